// Tests of viz/model/hex_dump.h: the dump's text and the spans of byte ranges in it.
#include "model/hex_dump.h"

#include <gtest/gtest.h>

namespace viz {
namespace {

TEST(HexDumpTest, Format) {
  std::string bytes = "\x16\xfe\xfd" + std::string("ABCDEFGHIJKLMNOPQ");
  const std::string dump = hexDump(bytes);
  EXPECT_EQ(dump,
            "0000  16 fe fd 41 42 43 44 45  46 47 48 49 4a 4b 4c 4d  ...ABCDEFGHIJKLM\n"
            "0010  4e 4f 50 51                                       NOPQ            \n");
  EXPECT_EQ(hexDump(""), "");
}

TEST(HexDumpTest, SpansCoverTheBytesInBothColumns) {
  const std::string bytes(20, 'x');
  const std::string dump = hexDump(bytes);
  const auto spans = hexSpans(14, 4, bytes.size());  // bytes 14..17: across a line break
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(dump.substr(spans[0].start, spans[0].length), "78 78");
  EXPECT_EQ(dump.substr(spans[1].start, spans[1].length), "xx");
  EXPECT_EQ(dump.substr(spans[2].start, spans[2].length), "78 78");
  EXPECT_EQ(dump.substr(spans[3].start, spans[3].length), "xx");
  const auto group = hexSpans(6, 4, bytes.size());  // across the two groups of eight
  EXPECT_EQ(dump.substr(group[0].start, group[0].length), "78 78  78 78");
  EXPECT_TRUE(hexSpans(30, 5, bytes.size()).empty());
  EXPECT_EQ(hexSpans(18, 100, bytes.size()).size(), 2u);
}

TEST(HexDumpTest, WideOffsetsPast64KiB) {
  const std::string bytes(70000, '\0');
  const std::string dump = hexDump(bytes);
  EXPECT_EQ(dump.substr(0, 7), "00000  ");
  const auto spans = hexSpans(69999, 1, bytes.size());
  EXPECT_EQ(dump.substr(spans[0].start, spans[0].length), "00");
}

}  // namespace
}  // namespace viz
