// The mbedTLS 2.28 backend: what it implements, and its two engines.
#include <mbedtls/version.h>

#include "backend.h"
#include "mbed_connection.h"
#include "mbed_cookie.h"

namespace dtls::detail {

namespace {

class MbedtlsBackend : public Backend {
 public:
  const char* name() const override { return "mbedtls"; }

  std::string version() const override {
    char text[18] = {};  // mbedtls_version_get_string_full writes at most 18 bytes
    mbedtls_version_get_string_full(text);
    return text;
  }

  bool isFeatureSupported(SupportedFeature feature) const override {
    switch (feature) {
      case SupportedFeature::CertificateVerification:
      case SupportedFeature::ClientSideAlpn:
      case SupportedFeature::ServerSideAlpn:
      case SupportedFeature::Psk:
      case SupportedFeature::SessionTicket:
      case SupportedFeature::Alerts:
      case SupportedFeature::InterruptOnVerificationError:
      case SupportedFeature::DtlsV1_0:
      case SupportedFeature::MtuControl:  // mbedtls_ssl_set_mtu
      case SupportedFeature::DiffieHellmanParameters:
        return true;
      // OpenSSL SSL_CONF commands mean nothing to mbedTLS.
      case SupportedFeature::BackendConfiguration:
      // mbedTLS 2.28 has no verification depth setting (MBEDTLS_X509_MAX_INTERMEDIATE_CA is a
      // build constant).
      case SupportedFeature::PeerVerifyDepth:
      // mbedTLS 2.28 has no setter: servers send no ServerKeyExchange with plain PSK and an
      // empty hint with (EC)DHE-PSK (ssl_srv.c ssl_prepare_server_key_exchange), and clients
      // skip the hint (ssl_cli.c ssl_parse_server_psk_hint).
      case SupportedFeature::PskIdentityHint:
      // The server's order is a build option (MBEDTLS_SSL_SRV_RESPECT_CLIENT_PREFERENCE).
      case SupportedFeature::ClientCipherPreference:
      case SupportedFeature::Ocsp:
        return false;
    }
    return false;
  }

  std::unique_ptr<ConnectionImpl> makeConnection(SslMode mode,
                                                 TimerService* timers) const override {
    return std::make_unique<MbedtlsConnection>(mode, timers);
  }

  std::unique_ptr<VerifierEngine> makeVerifier() const override { return makeMbedtlsVerifier(); }
};

}  // namespace

const Backend& mbedtlsBackend() {
  static const MbedtlsBackend backend;
  return backend;
}

}  // namespace dtls::detail
