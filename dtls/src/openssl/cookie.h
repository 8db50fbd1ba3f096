// Private: the stateless DTLS cookie (RFC 6347 §4.2.1), shared by ClientVerifier, which issues
// and checks cookies with DTLSv1_listen, and Connection, whose server re-checks the verified
// ClientHello. Both must compute the same bytes for the same peer and parameters.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <string>

#include "dtls/cookie.h"
#include "dtls/host_address.h"
#include "fragmented_hello.h"

namespace dtls::detail {

// Longest cookie DTLS allows (DTLS1_COOKIE_LENGTH); SHA-512 gives 64 bytes.
constexpr unsigned kMaxCookieBytes = 255;

// HMAC(params.hash, params.secret, 16-byte address || big-endian port); IPv4 addresses are
// taken in their IPv4-mapped IPv6 form so one peer has one cookie. Returns the cookie length,
// or 0 if the digest is unknown or OpenSSL fails.
unsigned computeCookie(OSSL_LIB_CTX* libctx, const GeneratorParameters& params,
                       const HostAddress& address, std::uint16_t port,
                       unsigned char out[kMaxCookieBytes]);

// SHA-256 and 16 bytes from `libctx`'s CSPRNG. The secret is empty if the CSPRNG fails.
GeneratorParameters defaultGeneratorParameters(OSSL_LIB_CTX* libctx);

// What the cookie callbacks of an SSL_CTX need to know about the peer of one SSL.
struct CookiePeer {
  OSSL_LIB_CTX* libctx = nullptr;
  const GeneratorParameters* params = nullptr;
  HostAddress address;
  std::uint16_t port = 0;
};

// Installs generate/verify callbacks on `ctx` that read the CookiePeer attached to each SSL
// with attachCookiePeer(). The CookiePeer must outlive every SSL call.
void installCookieCallbacks(SSL_CTX* ctx);
void attachCookiePeer(SSL* ssl, CookiePeer* peer);

}  // namespace dtls::detail
