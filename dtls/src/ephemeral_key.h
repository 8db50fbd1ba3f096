// Private: the peer's ephemeral ECDHE public key as a dtls::Key (an OpenSSL value type,
// Configuration::ephemeralServerKey()), for the stacks that hand out only the raw point.
#pragma once

#include <cstddef>

#include "dtls/ssl.h"
#include "dtls/key.h"

namespace dtls::detail {

// `point` on the group OpenSSL names `openssl_group` ("prime256v1", "X25519", ...): an
// uncompressed point (SEC 1 §2.3.3), or the raw key of an RFC 7748 curve. Null if OpenSSL does
// not take it, or `openssl_group` is null.
Key ephemeralKeyFromPoint(const char* openssl_group, const unsigned char* point,
                          std::size_t bytes);

// The key an ECDHE ServerKeyExchange body starts with: ECParameters (named_curve only) and the
// ECPoint (RFC 8422 §5.4). Null for any other body (DHE, PSK, a truncated message).
Key ephemeralKeyFromServerKeyExchange(const ByteArray& body);

}  // namespace dtls::detail
