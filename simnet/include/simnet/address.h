// simnet's own address value type: 16 bytes + family. IPv4 addresses use the first 4 bytes
// (the rest zero), so comparison and hashing never depend on the family's padding.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simnet {

enum class Family : std::uint8_t { kIPv4 = 4, kIPv6 = 6 };

class Address {
 public:
  // The IPv4 "0.0.0.0"; use parse() or v4()/v6() for real addresses.
  Address() = default;

  static Address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  static Address v6(const std::array<std::uint8_t, 16>& bytes);
  // Parses dotted-quad IPv4 ("10.0.0.1") or RFC 4291 §2.2 IPv6 text ("fd00::1",
  // "::ffff:1.2.3.4" is not supported). Returns nullopt for anything else.
  static std::optional<Address> parse(std::string_view text);

  Family family() const { return family_; }
  bool isV4() const { return family_ == Family::kIPv4; }
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  // "10.0.0.1" or the RFC 5952 canonical IPv6 form ("fd00::1").
  std::string toString() const;

  friend auto operator<=>(const Address&, const Address&) = default;
  friend bool operator==(const Address&, const Address&) = default;

 private:
  Family family_ = Family::kIPv4;
  std::array<std::uint8_t, 16> bytes_{};
};

// An address and a UDP port.
struct Endpoint {
  Address address;
  std::uint16_t port = 0;

  // "10.0.0.1:443" or "[fd00::1]:443".
  std::string toString() const;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

}  // namespace simnet
