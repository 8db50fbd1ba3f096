#include "model/hex_dump.h"

#include <algorithm>
#include <cstdio>

namespace viz {
namespace {

// Width of the offset column: 4 hex digits, more for dumps past 64 KiB.
std::size_t offsetDigits(std::size_t total) {
  std::size_t digits = 4;
  while (digits < 16 && (total >> (4 * digits)) != 0) ++digits;
  return digits;
}

// Column (within its line) of byte `i` (0..15) in the hex part, and in the ASCII part.
std::size_t hexColumn(std::size_t digits, std::size_t i) {
  return digits + 2 + i * 3 + (i >= 8 ? 1 : 0);
}
std::size_t asciiColumn(std::size_t digits, std::size_t i) {
  return digits + 2 + kHexBytesPerLine * 3 + 1 + 1 + i;
}
// Every line has the same length (short last lines are padded), so spans are arithmetic.
std::size_t lineLength(std::size_t digits) { return asciiColumn(digits, kHexBytesPerLine) + 1; }

}  // namespace

std::string hexDump(std::string_view bytes) {
  const std::size_t digits = offsetDigits(bytes.size());
  std::string out;
  out.reserve((bytes.size() / kHexBytesPerLine + 1) * lineLength(digits));
  for (std::size_t line = 0; line < bytes.size(); line += kHexBytesPerLine) {
    std::string text(lineLength(digits) - 1, ' ');
    char buf[20];
    std::snprintf(buf, sizeof buf, "%0*zx", static_cast<int>(digits), line);
    text.replace(0, digits, buf);
    for (std::size_t i = 0; i < kHexBytesPerLine && line + i < bytes.size(); ++i) {
      const auto byte = static_cast<unsigned char>(bytes[line + i]);
      std::snprintf(buf, sizeof buf, "%02x", byte);
      text.replace(hexColumn(digits, i), 2, buf);
      text[asciiColumn(digits, i)] = byte >= 0x20 && byte < 0x7f ? static_cast<char>(byte) : '.';
    }
    out += text + "\n";
  }
  return out;
}

std::vector<TextSpan> hexSpans(std::size_t offset, std::size_t length, std::size_t total) {
  std::vector<TextSpan> spans;
  const std::size_t end = std::min(total, offset + length);
  if (offset >= end) return spans;
  const std::size_t digits = offsetDigits(total);
  for (std::size_t line = offset / kHexBytesPerLine; line * kHexBytesPerLine < end; ++line) {
    const std::size_t first = std::max(offset, line * kHexBytesPerLine) - line * kHexBytesPerLine;
    const std::size_t last = std::min(end, (line + 1) * kHexBytesPerLine) - 1 - line * kHexBytesPerLine;
    const std::size_t base = line * lineLength(digits);
    const std::size_t hex_start = hexColumn(digits, first);
    spans.push_back({base + hex_start, hexColumn(digits, last) + 2 - hex_start});
    spans.push_back({base + asciiColumn(digits, first), last - first + 1});
  }
  return spans;
}

}  // namespace viz
