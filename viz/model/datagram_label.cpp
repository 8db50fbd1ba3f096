#include "model/datagram_label.h"

#include "dtls/wire/describe.h"
#include "dtls/wire/names.h"
#include "dtls/wire/record.h"

namespace viz {

std::string humanBytes(std::uint64_t bytes) {
  constexpr std::uint64_t kKiB = 1024;
  if (bytes < kKiB) return std::to_string(bytes) + " B";
  const char* unit = bytes < kKiB * kKiB ? " KiB" : " MiB";
  const std::uint64_t base = bytes < kKiB * kKiB ? kKiB : kKiB * kKiB;
  // Tenths, rounded half up, in integers: no floating point formatting (no locale).
  const std::uint64_t tenths = (bytes * 10 + base / 2) / base;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out + unit;
}

std::vector<std::string> datagramLabelParts(std::string_view bytes) {
  if (bytes.empty()) return {"(empty datagram)"};
  const dtls::wire::DecodedDatagram decoded = dtls::wire::decodeDatagram(bytes);
  std::vector<std::string> parts;
  for (const dtls::wire::Record& r : decoded.records) {
    if (r.content_type == static_cast<std::uint8_t>(dtls::wire::ContentType::ApplicationData))
      parts.push_back("AppData " + humanBytes(r.length()));
    else
      parts.push_back(dtls::wire::describe(r));
  }
  if (!decoded.ok()) parts.push_back("[malformed: " + decoded.error() + "]");
  return parts;
}

}  // namespace viz
