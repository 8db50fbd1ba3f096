// DtlsConfig -> dtls::Configuration.

#include "scenarios/endpoint_config.h"

#include "dtls/certificate.h"
#include "dtls/elliptic_curve.h"
#include "dtls/key.h"
#include "file_access.h"

namespace scenarios {
namespace {

// Builds one configuration; every failure names its field.
class ConfigBuilder {
 public:
  ConfigBuilder(const LoadedScenario& loaded, int index)
      : loaded_(loaded),
        dtls_(loaded.scenario.endpoints(index).dtls()),
        prefix_("endpoints[" + std::to_string(index) + "].dtls") {}

  bool build(dtls::Configuration* out, std::string* error) {
    error_ = error;
    config_ = dtls::Configuration::defaultDtlsConfiguration();
    // Never the system store: a run must not depend on the machine it runs on.
    config_.setCaCertificates({});
    if (!caCertificates() || !protocol() || !localIdentity() || !verification() ||
        !ciphersAndCurves()) {
      return false;
    }
    misc();
    *out = config_;
    return true;
  }

 private:
  bool fail(const std::string& field, const std::string& message) {
    if (error_ != nullptr) *error_ = loaded_.errorAt(prefix_ + "." + field, message);
    return false;
  }

  // Certificates in the PEM file `relative` (written at `field`); empty list → error.
  bool readCertificates(const std::string& field, const std::string& relative,
                        std::vector<dtls::Certificate>* out) {
    std::string pem;
    if (!loader::readReferencedFile(loaded_, prefix_ + "." + field, relative, &pem, error_)) {
      return false;
    }
    *out = dtls::Certificate::fromData(pem, dtls::EncodingFormat::Pem);
    if (out->empty()) {
      return fail(field, loader::describeFile(loaded_, relative) + " holds no PEM certificate");
    }
    return true;
  }

  bool caCertificates() {
    for (int i = 0; i < dtls_.ca_certificates_size(); ++i) {
      std::vector<dtls::Certificate> certs;
      if (!readCertificates("ca_certificates[" + std::to_string(i) + "]", dtls_.ca_certificates(i), &certs)) {
        return false;
      }
      config_.addCaCertificates(certs);
    }
    return true;
  }

  bool protocol() {
    if (dtls_.protocol().empty()) {
      config_.setProtocol(dtls::SslProtocol::DtlsV1_2OrLater);
      return true;
    }
    const auto p = sslProtocolFromName(dtls_.protocol());
    if (!p) {
      return fail("protocol", "unknown protocol '" + dtls_.protocol() + "' (valid: " + sslProtocolNames() + ")");
    }
    config_.setProtocol(*p);
    return true;
  }

  bool localIdentity() {
    if (!dtls_.certificate_chain().empty()) {
      std::vector<dtls::Certificate> chain;
      if (!readCertificates("certificate_chain", dtls_.certificate_chain(), &chain)) return false;
      config_.setLocalCertificateChain(chain);
    }
    if (dtls_.private_key().empty()) return true;
    std::string pem;
    if (!loader::readReferencedFile(loaded_, prefix_ + ".private_key", dtls_.private_key(), &pem, error_)) {
      return false;
    }
    const dtls::ByteArray pass = dtls_.private_key_passphrase();
    for (dtls::KeyAlgorithm algorithm :
         {dtls::KeyAlgorithm::Ec, dtls::KeyAlgorithm::Rsa, dtls::KeyAlgorithm::Opaque}) {
      dtls::Key key(pem, algorithm, dtls::EncodingFormat::Pem, dtls::KeyType::PrivateKey, pass);
      if (!key.isNull()) {
        config_.setPrivateKey(key);
        return true;
      }
    }
    const bool encrypted = pem.find("ENCRYPTED") != std::string::npos;
    std::string why = loader::describeFile(loaded_, dtls_.private_key()) + " holds no PEM private key";
    if (encrypted) {
      why += pass.empty() ? " (it is encrypted and private_key_passphrase is empty)"
                          : " readable with private_key_passphrase (wrong passphrase?)";
    }
    return fail("private_key", why);
  }

  bool verification() {
    if (!dtls_.verify_mode().empty()) {
      const auto mode = peerVerifyModeFromName(dtls_.verify_mode());
      if (!mode) {
        return fail("verify_mode", "unknown verify mode '" + dtls_.verify_mode() +
                                       "' (valid: " + peerVerifyModeNames() + ")");
      }
      config_.setPeerVerifyMode(*mode);
    }
    if (dtls_.verify_depth() < 0) {
      return fail("verify_depth", std::to_string(dtls_.verify_depth()) + " is negative");
    }
    config_.setPeerVerifyDepth(dtls_.verify_depth());
    config_.setMissingCertificateIsFatal(dtls_.missing_certificate_is_fatal());
    return true;
  }

  bool ciphersAndCurves() {
    if (!dtls_.ciphers().empty()) {
      std::string why;
      if (!config_.setCiphers(dtls_.ciphers(), &why)) return fail("ciphers", why);
    }
    std::vector<dtls::EllipticCurve> curves;
    for (int i = 0; i < dtls_.curves_size(); ++i) {
      const dtls::EllipticCurve curve = dtls::EllipticCurve::fromShortName(dtls_.curves(i));
      if (!curve.isValid()) {
        return fail("curves[" + std::to_string(i) + "]",
                    "unknown elliptic curve '" + dtls_.curves(i) +
                        "' (an OpenSSL short name such as prime256v1, secp384r1, X25519)");
      }
      curves.push_back(curve);
    }
    if (!curves.empty()) config_.setEllipticCurves(curves);
    return true;
  }

  void misc() {
    if (!dtls_.psk().identity_hint().empty()) {
      config_.setPreSharedKeyIdentityHint(dtls_.psk().identity_hint());
    }
    if (dtls_.alpn_size() > 0) {
      config_.setAllowedNextProtocols(std::vector<dtls::ByteArray>(dtls_.alpn().begin(), dtls_.alpn().end()));
    }
    if (dtls_.disable_cookies()) config_.setDtlsCookieVerificationEnabled(false);
    if (dtls_.session_persistence()) {
      config_.setSslOption(dtls::SslOption::SslOptionDisableSessionPersistence, false);
    }
    // The map's iteration order is unspecified: sort so the configuration is deterministic.
    std::map<dtls::ByteArray, dtls::ByteArray> options(dtls_.backend_options().begin(),
                                                       dtls_.backend_options().end());
    for (const auto& [name, value] : options) config_.setBackendConfigurationOption(name, value);
  }

  const LoadedScenario& loaded_;
  const dtlsim::DtlsConfig& dtls_;
  std::string prefix_;
  std::string* error_ = nullptr;
  dtls::Configuration config_;
};

}  // namespace

bool buildConfiguration(const LoadedScenario& loaded, int endpoint_index, dtls::Configuration* out,
                        std::string* error) {
  if (endpoint_index < 0 || endpoint_index >= loaded.scenario.endpoints_size()) {
    if (error != nullptr) {
      *error = loaded.path + ": endpoint index " + std::to_string(endpoint_index) +
               " out of range (the scenario has " + std::to_string(loaded.scenario.endpoints_size()) +
               " endpoints)";
    }
    return false;
  }
  return ConfigBuilder(loaded, endpoint_index).build(out, error);
}

}  // namespace scenarios
