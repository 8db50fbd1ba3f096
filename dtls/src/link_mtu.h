// Private: the link MTU defaults every backend applies (DESIGN.md §2).
#pragma once

#include <cstdint>

namespace dtls::detail {

// The link MTU without a hint or a path MTU from the socket: 576 bytes is the minimum datagram
// size every IPv4 host must accept (RFC 791).
inline constexpr std::uint16_t kDefaultLinkMtuBytes = 576;
// IP + UDP header bytes, subtracted from the link MTU to get what DTLS may put in a datagram.
inline constexpr std::uint16_t kIpv4UdpOverhead = 20 + 8;
inline constexpr std::uint16_t kIpv6UdpOverhead = 40 + 8;

}  // namespace dtls::detail
