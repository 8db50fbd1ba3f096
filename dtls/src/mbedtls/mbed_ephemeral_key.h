// Private: the peer's (EC)DHE public key of an mbedTLS handshake as a dtls::Key (an OpenSSL
// value type, Configuration::ephemeralServerKey()).
#pragma once

#include <mbedtls/ssl_internal.h>

#include "dtls/key.h"

namespace dtls::detail {

// Read once the ServerKeyExchange was processed, while the handshake parameters still hold the
// server's point or DH public value. Null when no (EC)DHE exchange took place (PSK, RSA key
// transport) or the curve has no OpenSSL name. Reads the MBEDTLS_ECDH_LEGACY_CONTEXT fields of
// Debian's build.
Key ephemeralPeerKey(const mbedtls_ssl_handshake_params& handshake);

}  // namespace dtls::detail
