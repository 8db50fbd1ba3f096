// Conversions between dtls::HostAddress + port and the kernel's sockaddr_in / sockaddr_in6.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>

#include "dtls/host_address.h"

namespace dtls::posix {

// Fills `*storage` for a socket of `family` (AF_INET or AF_INET6). An IPv4 address on an
// AF_INET6 socket is written v4-mapped; a v4-mapped IPv6 address on an AF_INET socket is
// written as IPv4. Returns false (EAFNOSUPPORT case) for any other mismatch or a null address.
// An IPv6 zone is resolved with if_nametoindex, or read as a number.
bool toSockaddr(const HostAddress& address, std::uint16_t port, int family,
                sockaddr_storage* storage, socklen_t* length);

// The address and port of `storage`; v4-mapped IPv6 addresses come back as IPv4 (as
// QUdpSocket reports the senders seen by a dual-stack socket). A nonzero scope id becomes the
// interface name, or its number if it has no name.
void fromSockaddr(const sockaddr_storage& storage, HostAddress* address, std::uint16_t* port);

}  // namespace dtls::posix
