// The OpenSSL 3.0 backend: what it implements, and its two engines.
#include <openssl/crypto.h>

#include "backend.h"
#include "openssl_connection.h"
#include "openssl_verifier.h"

namespace dtls::detail {

namespace {

class OpensslBackend : public Backend {
 public:
  const char* name() const override { return "openssl"; }
  std::string version() const override { return OpenSSL_version(OPENSSL_VERSION); }

  bool isFeatureSupported(SupportedFeature feature) const override {
    // OCSP stapling is a Configuration setting that no backend applies yet.
    return feature != SupportedFeature::Ocsp;
  }

  std::unique_ptr<ConnectionImpl> makeConnection(SslMode mode,
                                                 TimerService* timers) const override {
    return std::make_unique<OpensslConnection>(mode, timers);
  }

  std::unique_ptr<VerifierEngine> makeVerifier() const override { return makeOpensslVerifier(); }
};

}  // namespace

const Backend& opensslBackend() {
  static const OpensslBackend backend;
  return backend;
}

}  // namespace dtls::detail
