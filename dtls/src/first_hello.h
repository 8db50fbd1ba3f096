// Private: what the stateless-cookie verifiers of the callback backends (mbedTLS, GnuTLS,
// wolfSSL) read from a ClientHello and bind a cookie to. OpenSSL's DTLSv1_listen parses for itself.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "dtls/host_address.h"
#include "dtls/ssl.h"

namespace dtls::detail {

// The transport id a cookie is bound to: the 16-byte address (IPv4 in its IPv4-mapped form)
// and the big-endian port, the bytes OpenSSL's cookie HMAC covers.
std::array<unsigned char, 18> transportId(const HostAddress& address, std::uint16_t port);

// The ClientHello in the first record of a datagram: where a HelloVerifyRequest answering it
// takes its sequence numbers from (RFC 6347 §4.2.1), and the cookie it carries.
struct FirstHello {
  std::uint64_t record_sequence = 0;
  std::uint16_t message_seq = 0;
  ByteArray body;    // the ClientHello's body, for wolfSSL's cookie over its fields
  ByteArray cookie;  // empty in a first ClientHello
};

// The unfragmented plaintext ClientHello in the first record of `datagram`, as DTLSv1_listen
// reads only that record; nullopt if there is none or it does not parse.
std::optional<FirstHello> firstHello(const ByteArray& datagram);

}  // namespace dtls::detail
