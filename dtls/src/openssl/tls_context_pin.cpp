#include "dtls/tls_context_pin.h"

#include "dtls/openssl_context.h"
#include "tls_context.h"

namespace dtls {

TlsContextPin::TlsContextPin(const Configuration& configuration, SslMode mode, IfNone if_none) {
  const bool server = mode == SslMode::SslServerMode;
  OSSL_LIB_CTX* libctx = currentLibraryContext();
  context_ = if_none == IfNone::kBuild
                 ? detail::sharedTlsContext(configuration, server, libctx, &error_)
                 : detail::existingTlsContext(configuration, server, libctx);
  if (context_) {
    park_ = [configuration, server, libctx](std::shared_ptr<void> context) {
      detail::parkTlsContext(configuration, server, libctx,
                             std::static_pointer_cast<SSL_CTX>(std::move(context)));
    };
  }
}

TlsContextPin TlsContextPin::clientVerifierContext(IfNone if_none) {
  TlsContextPin pin;
  OSSL_LIB_CTX* libctx = currentLibraryContext();
  pin.context_ = if_none == IfNone::kBuild ? detail::sharedVerifierContext(libctx, &pin.error_)
                                           : detail::existingVerifierContext(libctx);
  if (pin.context_) {
    pin.park_ = [libctx](std::shared_ptr<void> context) {
      detail::parkVerifierContext(libctx, std::static_pointer_cast<SSL_CTX>(std::move(context)));
    };
  }
  return pin;
}

void TlsContextPin::park() {
  if (park_) park_(std::move(context_));
  context_.reset();
  park_ = nullptr;
}

}  // namespace dtls
