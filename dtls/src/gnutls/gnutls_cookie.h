// Private: GnuTLS's stateless cookies (gnutls_dtls_cookie_send / _verify, RFC 6347 §4.2.1),
// shared by the GnuTLS ClientVerifier, which issues and checks them, and a server Connection,
// which re-checks the verified ClientHello and hands its sequence numbers to the session
// (gnutls_dtls_prestate_set).
//
// The cookie is GnuTLS's own format: 16 bytes of HMAC-SHA1 over the client's transport id
// (first_hello.h), without a time stamp, so it never expires (lib/dtls.c). Its key derives
// from the GeneratorParameters, so a verifier and the server connections given the same
// parameters agree; an OpenSSL or mbedTLS cookie never verifies here, nor the reverse.
#pragma once

#include <memory>
#include <vector>

#include "backend.h"

namespace dtls::detail {

// The HMAC key of the cookies for `params`.
std::vector<unsigned char> gnutlsCookieKey(const GeneratorParameters& params);

// The GnuTLS engine of a ClientVerifier. Draws its default parameters from the thread's
// RandomSource (random_source.h).
std::unique_ptr<VerifierEngine> makeGnutlsVerifier();

}  // namespace dtls::detail
