// The GnuTLS 3.7 backend: what it implements, and its two engines.
#include <gnutls/gnutls.h>

#include "backend.h"
#include "gnutls_connection.h"
#include "gnutls_cookie.h"

namespace dtls::detail {

namespace {

class GnutlsBackend : public Backend {
 public:
  const char* name() const override { return "gnutls"; }

  // "GnuTLS 3.7.9": the name scenario expectations match (library { name: "GnuTLS" }) and the
  // version loaded at run time.
  std::string version() const override {
    return std::string("GnuTLS ") + gnutls_check_version(nullptr);
  }

  bool isFeatureSupported(SupportedFeature feature) const override {
    switch (feature) {
      case SupportedFeature::CertificateVerification:
      case SupportedFeature::ClientSideAlpn:
      case SupportedFeature::ServerSideAlpn:
      case SupportedFeature::Psk:
      case SupportedFeature::PskIdentityHint:
      case SupportedFeature::SessionTicket:
      case SupportedFeature::Alerts:
      case SupportedFeature::InterruptOnVerificationError:
      case SupportedFeature::DtlsV1_0:
      case SupportedFeature::ClientCipherPreference:
      case SupportedFeature::MtuControl:  // gnutls_dtls_set_mtu
      case SupportedFeature::DiffieHellmanParameters:
        return true;
      // OpenSSL SSL_CONF commands mean nothing to GnuTLS.
      case SupportedFeature::BackendConfiguration:
      // gnutls_certificate_set_verify_limits bounds the number of certificates the peer sends
      // and fails gnutls_certificate_verify_peers with GNUTLS_E_CONSTRAINT_ERROR instead of
      // naming a certificate; it is not OpenSSL's depth of the verified chain.
      case SupportedFeature::PeerVerifyDepth:
      case SupportedFeature::Ocsp:
        return false;
    }
    return false;
  }

  std::unique_ptr<ConnectionImpl> makeConnection(SslMode mode,
                                                 TimerService* timers) const override {
    return std::make_unique<GnutlsConnection>(mode, timers);
  }

  std::unique_ptr<VerifierEngine> makeVerifier() const override { return makeGnutlsVerifier(); }
};

}  // namespace

const Backend& gnutlsBackend() {
  static const GnutlsBackend backend;
  return backend;
}

}  // namespace dtls::detail
