// The wolfSSL 5.5.4 backend: what it implements, and its two engines.
#include "backend.h"
#include "wolf_connection.h"
#include "wolf_cookie.h"

namespace dtls::detail {

namespace {

class WolfsslBackend : public Backend {
 public:
  const char* name() const override { return "wolfssl"; }
  std::string version() const override { return wolf::libraryVersion(); }

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
      case SupportedFeature::PeerVerifyDepth:
      case SupportedFeature::DiffieHellmanParameters:
        return true;
      // OpenSSL SSL_CONF commands mean nothing to wolfSSL.
      case SupportedFeature::BackendConfiguration:
      // Debian's build has no WOLFSSL_DTLS_MTU: datagrams are fitted to 1400 bytes
      // (WOLFSSL_MAX_MTU) whatever the link.
      case SupportedFeature::MtuControl:
      case SupportedFeature::Ocsp:
        return false;
    }
    return false;
  }

  std::unique_ptr<ConnectionImpl> makeConnection(SslMode mode,
                                                 TimerService* timers) const override {
    return std::make_unique<WolfsslConnection>(mode, timers);
  }

  std::unique_ptr<VerifierEngine> makeVerifier() const override { return makeWolfsslVerifier(); }
};

}  // namespace

const Backend& wolfsslBackend() {
  static const WolfsslBackend backend;
  return backend;
}

}  // namespace dtls::detail
