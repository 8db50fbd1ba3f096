// dtls/host_address.h — an IPv4/IPv6 address value type (the role of QHostAddress).
//
// One of the three ports of dtls (DESIGN.md §1): a Connection names its peer with a HostAddress
// and a port; simnet and the POSIX adapters translate it to and from their own addresses.
//
// A HostAddress is either null (no address), an IPv4 address or an IPv6 address with an
// optional scope (zone) id. It is a small value type: cheap to copy, totally ordered (usable as a
// std::map key) and hashable (usable as a std::unordered_map key).
//
// The connection layer refuses null, broadcast and multicast peers (InvalidInputParameters,
// DESIGN.md §2): the predicates below are what it asks.
//
// Mapping from the reference: QHostAddress::setAddress(QString) -> setAddress(std::string_view),
// toIPv4Address(bool*) -> toIPv4Address(bool*), toIPv6Address() -> toIPv6Address() (an array of
// 16 bytes instead of Q_IPV6ADDR), scopeId() -> scopeId(), isEqual(other, mode) -> isEqual.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dtls {

// QAbstractSocket::NetworkLayerProtocol (only the values an address can have).
enum class NetworkLayerProtocol : int {
  IPv4Protocol = 0,
  IPv6Protocol = 1,
  UnknownNetworkLayerProtocol = -1,
};

class HostAddress {
 public:
  // QHostAddress::SpecialAddress, same names and values.
  enum SpecialAddress {
    Null = 0,           // no address
    Broadcast = 1,      // 255.255.255.255
    LocalHost = 2,      // 127.0.0.1
    LocalHostIPv6 = 3,  // ::1
    Any = 4,            // the dual-stack wildcard. The reference reports AnyIPProtocol; here it
                        // is :: with IPv6Protocol (a dual-stack bind, IPV6_V6ONLY off)
    AnyIPv6 = 5,        // ::
    AnyIPv4 = 6,        // 0.0.0.0
  };

  // QHostAddress::ConversionModeFlag: how isEqual treats the two families.
  enum ConversionModeFlag : unsigned {
    ConvertV4MappedToIPv4 = 1,   // ::ffff:a.b.c.d equals a.b.c.d
    ConvertV4CompatToIPv4 = 2,   // ::a.b.c.d (deprecated, RFC 4291 §2.5.5.1) equals a.b.c.d
    ConvertUnspecifiedAddress = 4,  // 0.0.0.0 equals ::
    ConvertLocalHost = 8,        // 127.0.0.1 equals ::1
    TolerantConversion = 0xff,   // all of the above
    StrictConversion = 0,        // compare family and bytes exactly (what operator== does)
  };
  using ConversionMode = unsigned;

  using IPv6Bytes = std::array<std::uint8_t, 16>;

  // The null address: protocol() is UnknownNetworkLayerProtocol, isNull() is true.
  HostAddress() = default;

  // An IPv4 address in host byte order (0x7f000001 is 127.0.0.1).
  explicit HostAddress(std::uint32_t ip4_host_order);

  // An IPv6 address from its 16 bytes in network order. Never converts ::ffff:a.b.c.d to IPv4
  // (neither does the reference); use isEqual(other, ConvertV4MappedToIPv4) to compare.
  explicit HostAddress(const IPv6Bytes& ip6);

  // Parses `text` as by setAddress(); on failure the address is null.
  explicit HostAddress(std::string_view text);

  // One of the special addresses listed above.
  HostAddress(SpecialAddress address);  // NOLINT(google-explicit-constructor): as QHostAddress

  // Parses `text`. Accepted forms:
  //  - IPv4 dotted quad, exactly four decimal parts 0..255 ("192.0.2.1"); no shorthand such as
  //    "127.1" and no leading zeros ("010.0.0.1" is rejected: inet_aton would read it as octal).
  //  - IPv6 text per RFC 4291 §2.2: eight groups of 1..4 hex digits, at most one "::", an
  //    optional trailing dotted quad ("::ffff:1.2.3.4"), an optional "%zone" suffix (RFC 4007
  //    §11; any non-empty text without '%' is kept verbatim as scopeId()).
  //  - Surrounding square brackets around IPv6 ("[::1]") are accepted, as QHostAddress does;
  //    "[1.2.3.4]" is not.
  // Returns false, and leaves the address null, on anything else (including empty text).
  bool setAddress(std::string_view text);
  void setAddress(std::uint32_t ip4_host_order);
  void setAddress(const IPv6Bytes& ip6);
  void setAddress(SpecialAddress address);

  // Parses `text`; returns a null address on failure (check isNull()).
  static HostAddress fromString(std::string_view text);

  // Back to the null state.
  void clear();

  NetworkLayerProtocol protocol() const { return protocol_; }

  // The IPv4 address in host byte order. For an IPv6 address that is v4-mapped
  // (::ffff:a.b.c.d) returns a.b.c.d, as the reference does. Otherwise returns 0.
  // `*ok` (if not null) says whether the result is an IPv4 address.
  std::uint32_t toIPv4Address(bool* ok = nullptr) const;

  // The 16 bytes in network order. An IPv4 address is returned v4-mapped (::ffff:a.b.c.d);
  // a null address gives all zeros.
  IPv6Bytes toIPv6Address() const;

  // Canonical text: IPv4 dotted quad; IPv6 per RFC 5952 §4 (lower-case hex, no leading zeros,
  // the longest run of two or more zero groups — the first if tied — compressed to "::", and
  // ::ffff:a.b.c.d written with a dotted quad per §5), followed by "%zone" if there is one.
  // Null gives "".
  std::string toString() const;

  // The IPv6 zone ("eth0", "3"); empty for none and for IPv4.
  const std::string& scopeId() const { return scope_id_; }
  // Sets the zone of an IPv6 address; ignored for IPv4 and null (as the reference).
  void setScopeId(std::string_view id);

  bool isNull() const { return protocol_ == NetworkLayerProtocol::UnknownNetworkLayerProtocol; }
  // 127.0.0.0/8, ::1, and ::ffff:127.x.y.z.
  bool isLoopback() const;
  // 224.0.0.0/4, ff00::/8, and v4-mapped multicast.
  bool isMulticast() const;
  // 255.255.255.255 only (a subnet's directed broadcast cannot be known without the netmask).
  bool isBroadcast() const;
  // 169.254.0.0/16 (RFC 3927) and fe80::/10 (RFC 4291 §2.5.6).
  bool isLinkLocal() const;
  // 0.0.0.0 or ::.
  bool isAny() const;

  // Equality under `mode` (see ConversionModeFlag). Two null addresses are equal; a null address
  // equals nothing else. Scope ids must match for IPv6-to-IPv6 comparison.
  bool isEqual(const HostAddress& other, ConversionMode mode = TolerantConversion) const;

  // Strict equality, isEqual(other, StrictConversion) as in the reference: same protocol, same
  // bytes, same scope id. ::ffff:1.2.3.4 != 1.2.3.4; this keeps == consistent with < and hash.
  friend bool operator==(const HostAddress& a, const HostAddress& b);
  friend bool operator!=(const HostAddress& a, const HostAddress& b) { return !(a == b); }
  // Total order consistent with ==: null < IPv4 < IPv6, then bytes, then scope id.
  friend bool operator<(const HostAddress& a, const HostAddress& b);

  // A hash consistent with == (for std::hash).
  std::size_t hash() const noexcept;

 private:
  // Always 16 bytes: IPv4 is stored v4-mapped so toIPv6Address is a copy.
  IPv6Bytes bytes_{};
  NetworkLayerProtocol protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
  std::string scope_id_;
};

}  // namespace dtls

template <>
struct std::hash<dtls::HostAddress> {
  std::size_t operator()(const dtls::HostAddress& address) const noexcept {
    return address.hash();
  }
};
