// Private: the peer's ECDHE public key of an mbedTLS handshake as a dtls::Key (an OpenSSL
// value type, Configuration::ephemeralServerKey()).
#pragma once

#include <mbedtls/ecdh.h>

#include "dtls/key.h"

namespace dtls::detail {

// Null when no ECDHE exchange took place (PSK, RSA key transport) or the curve has no OpenSSL
// name. Reads the MBEDTLS_ECDH_LEGACY_CONTEXT fields of Debian's build.
Key ephemeralPeerKey(const mbedtls_ecdh_context& ecdh);

}  // namespace dtls::detail
