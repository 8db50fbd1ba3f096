// Private: mbedTLS's stateless cookies (mbedtls_ssl_cookie_*, RFC 6347 §4.2.1), shared by the
// mbedTLS ClientVerifier, which issues and checks them, and a server Connection, whose
// mbedTLS context re-checks the verified ClientHello.
//
// The cookie is mbedTLS's own format: 4 bytes of time() and an HMAC-SHA-224 truncated to 28
// bytes of that time and the client's transport id, valid for 60 s. Its HMAC key derives from
// the GeneratorParameters (secret and hash), so a verifier and the server connections given the
// same parameters agree, as with OpenSSL; an OpenSSL cookie never verifies here, nor the
// reverse.
#pragma once

#include <mbedtls/ssl_cookie.h>

#include <array>
#include <cstdint>
#include <memory>

#include "backend.h"
#include "first_hello.h"

namespace dtls::detail {

// An mbedtls_ssl_cookie_ctx keyed from `params`. Not movable: mbedTLS holds its address.
class MbedCookieKey {
 public:
  explicit MbedCookieKey(const GeneratorParameters& params);
  ~MbedCookieKey();
  MbedCookieKey(const MbedCookieKey&) = delete;
  MbedCookieKey& operator=(const MbedCookieKey&) = delete;
  bool ok() const { return ok_; }
  mbedtls_ssl_cookie_ctx* get() { return &ctx_; }

 private:
  mbedtls_ssl_cookie_ctx ctx_;
  bool ok_ = false;
};

// The mbedTLS engine of a ClientVerifier. Draws its default parameters from the thread's
// RandomSource (random_source.h).
std::unique_ptr<VerifierEngine> makeMbedtlsVerifier();

}  // namespace dtls::detail
