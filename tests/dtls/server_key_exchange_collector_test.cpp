// ServerKeyExchangeCollector (dtls/src/ephemeral_key.h): the server's (EC)DHE key taken off the
// handshake datagrams a client receives, in whatever order and number DTLS delivers the
// fragments (RFC 6347 §4.2.3).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ephemeral_key.h"

namespace dtls::detail {
namespace {

// An X25519 ServerKeyExchange body: ECParameters (named_curve 29) and a 32-byte point, then
// bytes standing for the signature, which the collector does not read.
ByteArray serverKeyExchangeBody() {
  ByteArray body("\x03\x00\x1d\x20", 4);
  for (int i = 0; i < 32; ++i) body += static_cast<char>(0x40 + i);
  body += ByteArray(72, '\x5a');
  return body;
}

void put24(ByteArray* out, std::uint32_t v) {
  *out += static_cast<char>(v >> 16);
  *out += static_cast<char>(v >> 8);
  *out += static_cast<char>(v);
}

// One epoch-0 handshake record carrying body[offset, offset + length) of a message of
// `total` bytes (RFC 6347 §4.1, §4.2.2).
ByteArray fragmentDatagram(const ByteArray& body, std::uint32_t offset, std::uint32_t length,
                           std::uint32_t total, std::uint8_t msg_type = 12) {
  ByteArray handshake;
  handshake += static_cast<char>(msg_type);
  put24(&handshake, total);
  handshake += ByteArray("\x00\x03", 2);  // message_seq
  put24(&handshake, offset);
  put24(&handshake, length);
  handshake += body.substr(offset, length);
  ByteArray record("\x16\xfe\xfd\x00\x00\x00\x00\x00\x00\x00\x05", 11);
  record += static_cast<char>(handshake.size() >> 8);
  record += static_cast<char>(handshake.size());
  return record + handshake;
}

TEST(ServerKeyExchangeCollectorTest, ReassemblesFragmentsInAnyOrderAndCopiesOnce) {
  const ByteArray body = serverKeyExchangeBody();
  const auto total = static_cast<std::uint32_t>(body.size());
  const Key expected = ephemeralKeyFromServerKeyExchange(body, "ECDH");
  ASSERT_FALSE(expected.isNull());

  ServerKeyExchangeCollector c;
  c.take(fragmentDatagram(body, 60, total - 60, total));  // the tail first
  EXPECT_TRUE(c.key("ECDH").isNull());
  c.take(fragmentDatagram(body, 60, total - 60, total));  // a copy
  EXPECT_TRUE(c.key("ECDH").isNull());
  c.take(fragmentDatagram(body, 0, 70, total));  // overlaps the tail
  ASSERT_FALSE(c.key("ECDH").isNull());
  EXPECT_EQ(c.key("ECDH").toDer(), expected.toDer());
}

TEST(ServerKeyExchangeCollectorTest, IgnoresOtherMessagesAndImplausibleLengths) {
  const ByteArray body = serverKeyExchangeBody();
  const auto total = static_cast<std::uint32_t>(body.size());
  ServerKeyExchangeCollector c;
  c.take(fragmentDatagram(body, 0, total, total, /*msg_type=*/11));  // a Certificate
  c.take(fragmentDatagram(body, 0, 10, 0x100000));  // claims 1 MiB
  c.take("not a DTLS datagram");
  EXPECT_TRUE(c.key("ECDH").isNull());
  c.take(fragmentDatagram(body, 0, total, total));
  EXPECT_FALSE(c.key("ECDH").isNull());
  c.reset();
  EXPECT_TRUE(c.key("ECDH").isNull());
}

// The PSK key exchanges put the identity hint first (RFC 5489 §2, RFC 4279 §3); a body read
// as another key exchange than its own gives no key rather than a wrong one.
TEST(EphemeralKeyFromServerKeyExchangeTest, ReadsTheBodyAsTheSuitesKeyExchange) {
  const ByteArray ecdhe = serverKeyExchangeBody();
  const Key expected = ephemeralKeyFromServerKeyExchange(ecdhe, "ECDH");
  ASSERT_FALSE(expected.isNull());
  const ByteArray hint("\x00\x04hint", 6);
  EXPECT_EQ(ephemeralKeyFromServerKeyExchange(hint + ecdhe, "ECDHEPSK").toDer(), expected.toDer());
  EXPECT_TRUE(ephemeralKeyFromServerKeyExchange(ecdhe, "DH").isNull());
  EXPECT_TRUE(ephemeralKeyFromServerKeyExchange(ecdhe, "PSK").isNull());
  EXPECT_TRUE(ephemeralKeyFromServerKeyExchange(hint + ecdhe, "ECDH").isNull());
  EXPECT_TRUE(ephemeralKeyFromServerKeyExchange(ecdhe.substr(0, 20), "ECDH").isNull());
}

TEST(EphemeralKeyFromServerKeyExchangeTest, ReadsServerDhParams) {
  // p = 23, g = 5, Ys = 8: a toy group OpenSSL still takes as numbers.
  const ByteArray dh("\x00\x01\x17\x00\x01\x05\x00\x01\x08", 9);
  const Key key = ephemeralKeyFromServerKeyExchange(dh + ByteArray(64, '\x5a'), "DH");
  ASSERT_FALSE(key.isNull());
  EXPECT_EQ(key.algorithm(), KeyAlgorithm::Dh);
  EXPECT_EQ(key.type(), KeyType::PublicKey);
  EXPECT_EQ(ephemeralKeyFromServerKeyExchange(ByteArray("\x00\x00", 2) + dh, "DHEPSK").toDer(),
            key.toDer());
  EXPECT_TRUE(ephemeralKeyFromServerKeyExchange(dh.substr(0, 7), "DH").isNull());
}

}  // namespace
}  // namespace dtls::detail
