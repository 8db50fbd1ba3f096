// Tests of viz/model/datagram_fields.h: fields and byte ranges of records and fragments.
#include "model/datagram_fields.h"

#include <gtest/gtest.h>

#include "trace_fixtures.h"

namespace viz {
namespace {

TEST(DatagramFieldsTest, RecordAndHandshakeHeaders) {
  const std::string bytes = testing::record(22, 0, 5, testing::handshake(1, 0, 100, 0, 100));
  const auto fields = datagramFields(bytes);
  ASSERT_EQ(fields.size(), 1u);
  const Field& r = fields[0];
  EXPECT_EQ(r.name, "Record 1: handshake");
  EXPECT_EQ(r.value, "DTLS 1.2, epoch 0, seq 5, 112 B");
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.length, bytes.size());
  ASSERT_EQ(r.children.size(), 6u);
  EXPECT_EQ(r.children[1].name, "version");
  EXPECT_EQ(r.children[1].value, "DTLS 1.2 (0xfefd)");
  EXPECT_EQ(r.children[3].name, "sequence");
  EXPECT_EQ(r.children[3].offset, 5u);
  EXPECT_EQ(r.children[3].length, 6u);
  const Field& hello = r.children[5];
  EXPECT_EQ(hello.name, "ClientHello");
  EXPECT_EQ(hello.value, "length 100, message_seq 0, fragment 0+100");
  EXPECT_EQ(hello.offset, 13u);
  EXPECT_EQ(hello.length, 112u);
  EXPECT_EQ(hello.children[2].name, "message_seq");
  EXPECT_EQ(hello.children[2].offset, 17u);
  EXPECT_EQ(hello.children.back().name, "body");
  EXPECT_EQ(hello.children.back().offset, 25u);
}

TEST(DatagramFieldsTest, CiphertextAndSecondRecord) {
  const std::string bytes = testing::record(20, 0, 1, "\x01") + testing::record(22, 1, 0, "0123456789");
  const auto fields = datagramFields(bytes);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, "Record 1: change_cipher_spec");
  EXPECT_EQ(fields[1].offset, 14u);
  EXPECT_EQ(fields[1].children.back().name, "ciphertext");
  EXPECT_EQ(fields[1].children.back().value, "10 B (epoch 1)");
  EXPECT_EQ(fields[1].children.back().offset, 27u);
}

TEST(DatagramFieldsTest, TruncatedDatagramEndsWithTheError) {
  std::string bytes = testing::record(22, 0, 0, testing::handshake(1, 0, 100, 0, 100));
  bytes.resize(40);
  const auto fields = datagramFields(bytes);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].name, "decode error");
  EXPECT_NE(fields[0].value.find("exceeds"), std::string::npos) << fields[0].value;
  EXPECT_EQ(fields[0].length, 40u);
  EXPECT_TRUE(datagramFields("").size() == 1);
}

}  // namespace
}  // namespace viz
