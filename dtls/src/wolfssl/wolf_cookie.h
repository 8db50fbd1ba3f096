// Private: wolfSSL 5.5.4's stateless cookies (RFC 6347 §4.2.1) on the dtls side: the wolfSSL
// ClientVerifier issues and checks the cookie a wolfSSL server computes itself
// (DoClientHelloStateless, which every wolfSSL 5.5.4 DTLS server runs on every ClientHello),
// and a server Connection re-checks the verified ClientHello before wolfSSL sees it.
//
// The cookie is HMAC-SHA256 over the peer's sockaddr and the ClientHello's fields (wolf_tls.h
// helloCookie), keyed from the GeneratorParameters (secret and hash), so a verifier and the
// server connections given the same parameters agree. An OpenSSL or mbedTLS cookie never
// verifies here, nor the reverse.
#pragma once

#include <cstdint>
#include <memory>

#include "backend.h"
#include "dtls/random_source.h"
#include "hello_verify.h"

namespace dtls::detail {

// The peer as the server's wolfSSL_dtls_set_peer is given it (wolf_tls.h peerId).
ByteArray wolfPeerId(const HostAddress& address, std::uint16_t port);

// The cookie a wolfSSL server with `params` expects in `hello` from `address`:`port`; empty if
// the hello's body does not parse or the secret is empty.
ByteArray wolfExpectedCookie(const FirstHello& hello, const GeneratorParameters& params,
                             const HostAddress& address, std::uint16_t port);

// 16 secret bytes from `source` (system entropy when null), SHA-256.
GeneratorParameters wolfDefaultParameters(RandomSource* source);

// The wolfSSL engine of a ClientVerifier. Draws its default parameters from the thread's
// RandomSource (random_source.h).
std::unique_ptr<VerifierEngine> makeWolfsslVerifier();

}  // namespace dtls::detail
