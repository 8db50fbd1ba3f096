// Private: the ClientHello fragments cookie verification drops, on every backend.
#pragma once

#include "dtls/ssl.h"

namespace dtls::detail {

// True if `datagram` carries a plaintext ClientHello fragment that is not the whole message
// (RFC 6347 §4.2.3). Cookie verification drops such datagrams without an answer: a server that
// verifies cookies never starts a handshake from a fragmented ClientHello (DESIGN.md §2, Qt's
// QDtls documentation). OpenSSL 3.0's DTLSv1_listen alone would drop only the later fragments
// and accept a first fragment that holds the cookie, after which the handshake works; dtlsim
// keeps the documented behaviour instead, so a scenario gives the same outcome as QDtls.
bool carriesFragmentedClientHello(const ByteArray& datagram);

}  // namespace dtls::detail
