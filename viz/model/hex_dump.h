// viz/model/hex_dump.h — the detail pane's hex dump and where each byte sits in its text, so the
// pane can highlight the bytes of the selected field.
//
//   0000  16 fe fd 00 00 00 00 00  00 00 00 00 bf 01 00 00  ................
//
// 16 bytes a line: a 4-digit hex offset (more digits past 64 KiB), two spaces, the bytes in two
// groups of eight, two spaces, printable ASCII ('.' for the rest). Lines end with '\n'.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace viz {

inline constexpr std::size_t kHexBytesPerLine = 16;

std::string hexDump(std::string_view bytes);

// A character range of hexDump's text.
struct TextSpan {
  std::size_t start = 0;
  std::size_t length = 0;
  bool operator==(const TextSpan&) const = default;
};

// The spans covering bytes [offset, offset + length) of a dump of `total` bytes: per line one
// span in the hex columns and one in the ASCII column. Ranges past `total` are clipped.
std::vector<TextSpan> hexSpans(std::size_t offset, std::size_t length, std::size_t total);

}  // namespace viz
