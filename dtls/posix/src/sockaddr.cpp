#include "sockaddr.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <cstring>
#include <string>

namespace dtls::posix {
namespace {

std::uint32_t scopeIndex(const std::string& zone) {
  if (zone.empty()) return 0;
  if (const unsigned index = if_nametoindex(zone.c_str()); index != 0) return index;
  // A numeric zone ("fe80::1%2", RFC 4007 §11.2).
  std::uint32_t number = 0;
  for (char c : zone) {
    if (c < '0' || c > '9' || number > 0xfffffffu) return 0;
    number = number * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return number;
}

}  // namespace

bool toSockaddr(const HostAddress& address, std::uint16_t port, int family,
                sockaddr_storage* storage, socklen_t* length) {
  std::memset(storage, 0, sizeof *storage);
  if (address.isNull()) return false;
  if (family == AF_INET) {
    bool is_v4 = false;
    const std::uint32_t ip4 = address.toIPv4Address(&is_v4);
    if (!is_v4) return false;
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(ip4);
    std::memcpy(storage, &sin, sizeof sin);
    *length = sizeof sin;
    return true;
  }
  if (family == AF_INET6) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    const HostAddress::IPv6Bytes bytes = address.toIPv6Address();  // IPv4 comes v4-mapped
    std::memcpy(&sin6.sin6_addr, bytes.data(), bytes.size());
    sin6.sin6_scope_id = scopeIndex(address.scopeId());
    std::memcpy(storage, &sin6, sizeof sin6);
    *length = sizeof sin6;
    return true;
  }
  return false;
}

void fromSockaddr(const sockaddr_storage& storage, HostAddress* address, std::uint16_t* port) {
  HostAddress result;
  std::uint16_t result_port = 0;
  if (storage.ss_family == AF_INET) {
    sockaddr_in sin{};
    std::memcpy(&sin, &storage, sizeof sin);
    result.setAddress(static_cast<std::uint32_t>(ntohl(sin.sin_addr.s_addr)));
    result_port = ntohs(sin.sin_port);
  } else if (storage.ss_family == AF_INET6) {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, &storage, sizeof sin6);
    HostAddress::IPv6Bytes bytes{};
    std::memcpy(bytes.data(), &sin6.sin6_addr, bytes.size());
    result.setAddress(bytes);
    bool is_v4 = false;
    const std::uint32_t ip4 = result.toIPv4Address(&is_v4);
    if (is_v4) {
      result.setAddress(ip4);
    } else if (sin6.sin6_scope_id != 0) {
      char name[IF_NAMESIZE] = {};
      result.setScopeId(if_indextoname(sin6.sin6_scope_id, name) != nullptr
                            ? std::string(name)
                            : std::to_string(sin6.sin6_scope_id));
    }
    result_port = ntohs(sin6.sin6_port);
  }
  if (address != nullptr) *address = result;
  if (port != nullptr) *port = result_port;
}

}  // namespace dtls::posix
