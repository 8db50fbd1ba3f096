#include "dtls/tls_context_pin.h"

#include "dtls/openssl_context.h"
#include "tls_context.h"

namespace dtls {

TlsContextPin::TlsContextPin(const Configuration& configuration, SslMode mode) {
  context_ = detail::sharedTlsContext(configuration, mode == SslMode::SslServerMode,
                                      currentLibraryContext(), &error_);
}

TlsContextPin TlsContextPin::clientVerifierContext() {
  TlsContextPin pin;
  pin.context_ = detail::sharedVerifierContext(currentLibraryContext(), &pin.error_);
  return pin;
}

}  // namespace dtls
