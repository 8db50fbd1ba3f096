// Tests of viz/model/datagram_label.h.
#include "model/datagram_label.h"

#include <gtest/gtest.h>

#include "trace_fixtures.h"

namespace viz {
namespace {

TEST(DatagramLabelTest, PartsPerRecord) {
  const std::string flight = testing::record(22, 0, 3, testing::handshake(16, 3, 33, 0, 33)) +
                             testing::record(20, 0, 4, "\x01") +
                             testing::record(22, 1, 0, std::string(40, 'f'));
  EXPECT_EQ(datagramLabelParts(flight),
            (std::vector<std::string>{"ClientKeyExchange (msg 3, frag 0-33)", "ChangeCipherSpec",
                                      "Finished (epoch 1)"}));
  EXPECT_EQ(datagramLabelParts(testing::record(23, 1, 1, std::string(1536, 'a'))),
            std::vector<std::string>{"AppData 1.5 KiB"});
  EXPECT_EQ(datagramLabelParts(""), std::vector<std::string>{"(empty datagram)"});
  const auto broken = datagramLabelParts("\x16\xfe");
  EXPECT_EQ(broken.back().rfind("[malformed: ", 0), 0u);
}

TEST(DatagramLabelTest, HumanBytes) {
  EXPECT_EQ(humanBytes(28), "28 B");
  EXPECT_EQ(humanBytes(1023), "1023 B");
  EXPECT_EQ(humanBytes(1024), "1 KiB");
  EXPECT_EQ(humanBytes(1048), "1 KiB");
  EXPECT_EQ(humanBytes(1536), "1.5 KiB");
  EXPECT_EQ(humanBytes(3u << 20), "3 MiB");
}

}  // namespace
}  // namespace viz
