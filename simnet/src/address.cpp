#include "simnet/address.h"

#include <cstdio>

namespace simnet {
namespace {

std::optional<Address> parseV4(std::string_view t) {
  std::uint8_t out[4];
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= t.size() || t[pos] != '.') return std::nullopt;
      ++pos;
    }
    unsigned value = 0;
    std::size_t digits = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      value = value * 10 + static_cast<unsigned>(t[pos] - '0');
      ++pos;
      if (++digits > 3) return std::nullopt;
    }
    if (digits == 0 || value > 255) return std::nullopt;
    out[part] = static_cast<std::uint8_t>(value);
  }
  if (pos != t.size()) return std::nullopt;
  return Address::v4(out[0], out[1], out[2], out[3]);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses colon-separated hex groups into `groups`; returns the count or -1.
int parseGroups(std::string_view t, std::uint16_t* groups, int max) {
  if (t.empty()) return 0;
  int n = 0;
  std::size_t pos = 0;
  while (true) {
    if (n == max) return -1;
    unsigned v = 0;
    std::size_t digits = 0;
    while (pos < t.size() && hexValue(t[pos]) >= 0) {
      v = v * 16 + static_cast<unsigned>(hexValue(t[pos]));
      ++pos;
      if (++digits > 4) return -1;
    }
    if (digits == 0) return -1;
    groups[n++] = static_cast<std::uint16_t>(v);
    if (pos == t.size()) return n;
    if (t[pos] != ':') return -1;
    ++pos;
  }
}

std::optional<Address> parseV6(std::string_view t) {
  std::uint16_t head[8], tail[8];
  int nh, nt;
  const std::size_t gap = t.find("::");
  if (gap == std::string_view::npos) {
    nh = parseGroups(t, head, 8);
    if (nh != 8) return std::nullopt;
    nt = 0;
  } else {
    if (t.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    nh = parseGroups(t.substr(0, gap), head, 7);
    nt = parseGroups(t.substr(gap + 2), tail, 7);
    if (nh < 0 || nt < 0 || nh + nt > 7) return std::nullopt;
  }
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < nh; ++i) {
    b[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    b[2 * i + 1] = static_cast<std::uint8_t>(head[i]);
  }
  for (int i = 0; i < nt; ++i) {
    const int g = 8 - nt + i;
    b[2 * g] = static_cast<std::uint8_t>(tail[i] >> 8);
    b[2 * g + 1] = static_cast<std::uint8_t>(tail[i]);
  }
  return Address::v6(b);
}

}  // namespace

Address Address::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  Address r;
  r.family_ = Family::kIPv4;
  r.bytes_[0] = a;
  r.bytes_[1] = b;
  r.bytes_[2] = c;
  r.bytes_[3] = d;
  return r;
}

Address Address::v6(const std::array<std::uint8_t, 16>& bytes) {
  Address r;
  r.family_ = Family::kIPv6;
  r.bytes_ = bytes;
  return r;
}

std::optional<Address> Address::parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parseV6(text);
  return parseV4(text);
}

std::string Address::toString() const {
  char buf[64];
  if (isV4()) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
    return buf;
  }
  std::uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<std::uint16_t>(bytes_[2 * i] << 8 | bytes_[2 * i + 1]);
  // RFC 5952 §4.2: compress the longest run (>= 2) of zero groups, the first one on a tie.
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

std::string Endpoint::toString() const {
  const std::string a = address.toString();
  return (address.isV4() ? a : "[" + a + "]") + ":" + std::to_string(port);
}

}  // namespace simnet
