// HostAddress: parsing (RFC 4291 §2.2, RFC 4007 §11), canonical text (RFC 5952) and the
// predicates the connection layer uses to refuse peers. Hand-written rather than inet_pton so the
// accepted grammar is the same on every platform (a scenario file must mean the same thing
// everywhere) and zone ids are handled in one place.
#include "dtls/host_address.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <optional>
#include <tuple>
#include <vector>

namespace dtls {
namespace {

using Bytes = HostAddress::IPv6Bytes;

constexpr std::size_t kMaxAddressTextBytes = 128;  // longest sane "[addr%zone]"; bounds parsing

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Exactly four decimal parts 0..255, no leading zeros (inet_aton would read "010" as octal 8;
// refusing it avoids two tools disagreeing on what an address means).
std::optional<std::uint32_t> parseIPv4(std::string_view text) {
  std::uint32_t result = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || !isDigit(text[i])) return std::nullopt;
    const std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && isDigit(text[i]) && i - start < 3) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    if (i < text.size() && isDigit(text[i])) return std::nullopt;  // four or more digits
    if (value > 255) return std::nullopt;
    if (i - start > 1 && text[start] == '0') return std::nullopt;  // leading zero
    result = (result << 8) | value;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  return result;
}

// Parses groups separated by ':' (no "::" inside) into `groups`; the last part may be a dotted
// quad when `allow_ipv4_tail`. Returns false on a bad group or when more than `max_groups`.
bool parseGroups(std::string_view text, bool allow_ipv4_tail, std::size_t max_groups,
                 std::vector<std::uint16_t>* groups) {
  if (text.empty()) return true;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = text.find(':', start);
    const bool last = colon == std::string_view::npos;
    const std::string_view part = text.substr(start, last ? std::string_view::npos : colon - start);
    if (last && allow_ipv4_tail && part.find('.') != std::string_view::npos) {
      const auto v4 = parseIPv4(part);
      if (!v4) return false;
      groups->push_back(static_cast<std::uint16_t>(*v4 >> 16));
      groups->push_back(static_cast<std::uint16_t>(*v4 & 0xffff));
    } else {
      if (part.empty() || part.size() > 4) return false;
      unsigned value = 0;
      for (char c : part) {
        const int digit = hexValue(c);
        if (digit < 0) return false;
        value = value * 16 + static_cast<unsigned>(digit);
      }
      groups->push_back(static_cast<std::uint16_t>(value));
    }
    if (groups->size() > max_groups) return false;
    if (last) return true;
    start = colon + 1;
  }
}

// RFC 4291 §2.2 text forms 1-3 (without zone).
std::optional<Bytes> parseIPv6(std::string_view text) {
  std::vector<std::uint16_t> head;
  std::vector<std::uint16_t> tail;
  const std::size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!parseGroups(text, true, 8, &head) || head.size() != 8) return std::nullopt;
  } else {
    const std::string_view left = text.substr(0, gap);
    const std::string_view right = text.substr(gap + 2);
    if (right.find("::") != std::string_view::npos) return std::nullopt;  // at most one "::"
    if (!parseGroups(left, false, 7, &head)) return std::nullopt;
    if (!parseGroups(right, true, 7, &tail)) return std::nullopt;
    // "::" stands for one or more zero groups (RFC 4291 §2.2 item 2).
    if (head.size() + tail.size() > 7) return std::nullopt;
  }
  std::array<std::uint16_t, 8> groups{};
  std::copy(head.begin(), head.end(), groups.begin());
  std::copy(tail.begin(), tail.end(), groups.end() - static_cast<std::ptrdiff_t>(tail.size()));
  Bytes bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return bytes;
}

bool isV4Mapped(const Bytes& b) {
  for (std::size_t i = 0; i < 10; ++i) {
    if (b[i] != 0) return false;
  }
  return b[10] == 0xff && b[11] == 0xff;
}

std::uint32_t low32(const Bytes& b) {
  return (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
         (std::uint32_t{b[14]} << 8) | std::uint32_t{b[15]};
}

bool allZero(const Bytes& b, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
    if (b[i] != 0) return false;
  }
  return true;
}

bool isUnspecified6(const Bytes& b) { return allZero(b, 0, 16); }
bool isLoopback6(const Bytes& b) { return allZero(b, 0, 15) && b[15] == 1; }

std::string ipv4Text(std::uint32_t a) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", (a >> 24) & 0xffu, (a >> 16) & 0xffu,
                (a >> 8) & 0xffu, a & 0xffu);
  return buffer;
}

// RFC 5952 §4: lower-case hex without leading zeros, the longest run (>= 2) of zero groups
// compressed, the first one on a tie; §5: v4-mapped addresses end in a dotted quad.
std::string ipv6Text(const Bytes& b) {
  const bool mapped = isV4Mapped(b);
  const std::size_t group_count = mapped ? 6 : 8;
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
  std::size_t best_start = group_count;
  std::size_t best_length = 1;  // a single zero group is never compressed (§4.2.2)
  for (std::size_t i = 0; i < group_count;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < group_count && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  std::string text;
  char buffer[8];
  for (std::size_t i = 0; i < group_count; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
    text += buffer;
  }
  if (mapped) {
    if (!text.empty() && text.back() != ':') text += ':';
    text += ipv4Text(low32(b));
  }
  return text;
}

}  // namespace

HostAddress::HostAddress(std::uint32_t ip4_host_order) { setAddress(ip4_host_order); }

HostAddress::HostAddress(const IPv6Bytes& ip6) { setAddress(ip6); }

HostAddress::HostAddress(std::string_view text) { setAddress(text); }

HostAddress::HostAddress(SpecialAddress address) { setAddress(address); }

bool HostAddress::setAddress(std::string_view text) {
  clear();
  if (text.empty() || text.size() > kMaxAddressTextBytes) return false;
  const bool bracketed = text.front() == '[';
  if (bracketed) {
    if (text.back() != ']' || text.size() < 2) return false;
    text = text.substr(1, text.size() - 2);
  }
  if (text.find(':') == std::string_view::npos) {
    if (bracketed) return false;  // brackets are for IPv6 literals only (RFC 3986 §3.2.2)
    const auto v4 = parseIPv4(text);
    if (!v4) return false;
    setAddress(*v4);
    return true;
  }
  std::string_view zone;
  const std::size_t percent = text.find('%');
  if (percent != std::string_view::npos) {
    zone = text.substr(percent + 1);
    text = text.substr(0, percent);
    if (zone.empty() || zone.find('%') != std::string_view::npos) return false;
  }
  const auto v6 = parseIPv6(text);
  if (!v6) return false;
  setAddress(*v6);
  scope_id_ = std::string(zone);
  return true;
}

void HostAddress::setAddress(std::uint32_t ip4_host_order) {
  clear();
  bytes_[10] = 0xff;
  bytes_[11] = 0xff;
  bytes_[12] = static_cast<std::uint8_t>(ip4_host_order >> 24);
  bytes_[13] = static_cast<std::uint8_t>(ip4_host_order >> 16);
  bytes_[14] = static_cast<std::uint8_t>(ip4_host_order >> 8);
  bytes_[15] = static_cast<std::uint8_t>(ip4_host_order);
  protocol_ = NetworkLayerProtocol::IPv4Protocol;
}

void HostAddress::setAddress(const IPv6Bytes& ip6) {
  clear();
  bytes_ = ip6;
  protocol_ = NetworkLayerProtocol::IPv6Protocol;
}

void HostAddress::setAddress(SpecialAddress address) {
  switch (address) {
    case Null:
      clear();
      return;
    case Broadcast:
      setAddress(std::uint32_t{0xffffffff});
      return;
    case LocalHost:
      setAddress(std::uint32_t{0x7f000001});
      return;
    case LocalHostIPv6: {
      IPv6Bytes loopback{};
      loopback[15] = 1;
      setAddress(loopback);
      return;
    }
    case Any:
    case AnyIPv6:
      setAddress(IPv6Bytes{});
      return;
    case AnyIPv4:
      setAddress(std::uint32_t{0});
      return;
  }
  clear();  // an out-of-range enum value: null, like an unparsable string
}

HostAddress HostAddress::fromString(std::string_view text) { return HostAddress(text); }

void HostAddress::clear() {
  bytes_ = {};
  protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
  scope_id_.clear();
}

std::uint32_t HostAddress::toIPv4Address(bool* ok) const {
  const bool v4 = protocol_ == NetworkLayerProtocol::IPv4Protocol ||
                  (protocol_ == NetworkLayerProtocol::IPv6Protocol && isV4Mapped(bytes_));
  if (ok != nullptr) *ok = v4;
  return v4 ? low32(bytes_) : 0;
}

HostAddress::IPv6Bytes HostAddress::toIPv6Address() const { return bytes_; }

std::string HostAddress::toString() const {
  switch (protocol_) {
    case NetworkLayerProtocol::IPv4Protocol:
      return ipv4Text(low32(bytes_));
    case NetworkLayerProtocol::IPv6Protocol:
      return scope_id_.empty() ? ipv6Text(bytes_) : ipv6Text(bytes_) + "%" + scope_id_;
    case NetworkLayerProtocol::UnknownNetworkLayerProtocol:
      break;
  }
  return {};
}

void HostAddress::setScopeId(std::string_view id) {
  if (protocol_ == NetworkLayerProtocol::IPv6Protocol) scope_id_ = std::string(id);
}

bool HostAddress::isLoopback() const {
  bool v4 = false;
  const std::uint32_t a = toIPv4Address(&v4);
  if (v4) return (a >> 24) == 127;
  return protocol_ == NetworkLayerProtocol::IPv6Protocol && isLoopback6(bytes_);
}

bool HostAddress::isMulticast() const {
  bool v4 = false;
  const std::uint32_t a = toIPv4Address(&v4);
  if (v4) return (a >> 28) == 0xe;
  return protocol_ == NetworkLayerProtocol::IPv6Protocol && bytes_[0] == 0xff;
}

bool HostAddress::isBroadcast() const {
  return protocol_ == NetworkLayerProtocol::IPv4Protocol && low32(bytes_) == 0xffffffffu;
}

bool HostAddress::isLinkLocal() const {
  bool v4 = false;
  const std::uint32_t a = toIPv4Address(&v4);
  if (v4) return (a >> 16) == 0xa9fe;
  return protocol_ == NetworkLayerProtocol::IPv6Protocol && bytes_[0] == 0xfe &&
         (bytes_[1] & 0xc0) == 0x80;
}

bool HostAddress::isAny() const {
  if (protocol_ == NetworkLayerProtocol::IPv4Protocol) return low32(bytes_) == 0;
  return protocol_ == NetworkLayerProtocol::IPv6Protocol && isUnspecified6(bytes_);
}

bool HostAddress::isEqual(const HostAddress& other, ConversionMode mode) const {
  if (protocol_ == other.protocol_) return *this == other;
  if (isNull() || other.isNull()) return false;
  const bool this_is_v4 = protocol_ == NetworkLayerProtocol::IPv4Protocol;
  const HostAddress& v4 = this_is_v4 ? *this : other;
  const HostAddress& v6 = this_is_v4 ? other : *this;
  const std::uint32_t a = low32(v4.bytes_);
  const Bytes& b = v6.bytes_;
  if ((mode & ConvertV4MappedToIPv4) != 0 && isV4Mapped(b) && low32(b) == a) return true;
  // Deprecated IPv4-compatible form ::a.b.c.d (RFC 4291 §2.5.5.1). :: and ::1 are not treated
  // as compatible addresses; the two flags below decide those.
  if ((mode & ConvertV4CompatToIPv4) != 0 && allZero(b, 0, 12) && !isUnspecified6(b) &&
      !isLoopback6(b) && low32(b) == a) {
    return true;
  }
  if ((mode & ConvertUnspecifiedAddress) != 0 && a == 0 && isUnspecified6(b)) return true;
  if ((mode & ConvertLocalHost) != 0 && a == 0x7f000001u && isLoopback6(b)) return true;
  return false;
}

bool operator==(const HostAddress& a, const HostAddress& b) {
  return a.protocol_ == b.protocol_ && a.bytes_ == b.bytes_ && a.scope_id_ == b.scope_id_;
}

bool operator<(const HostAddress& a, const HostAddress& b) {
  return std::tie(a.protocol_, a.bytes_, a.scope_id_) <
         std::tie(b.protocol_, b.bytes_, b.scope_id_);
}

std::size_t HostAddress::hash() const noexcept {
  // FNV-1a over the protocol and the bytes, mixed with the zone's hash.
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::uint8_t byte) {
    h ^= byte;
    h *= 1099511628211ull;
  };
  mix(static_cast<std::uint8_t>(static_cast<int>(protocol_) + 1));
  for (std::uint8_t byte : bytes_) mix(byte);
  if (!scope_id_.empty()) h ^= std::hash<std::string>{}(scope_id_) + 0x9e3779b97f4a7c15ull;
  return static_cast<std::size_t>(h);
}

}  // namespace dtls
