#include "dtls/wire/record.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dtls/wire/names.h"
#include "wire/wire_builder.h"

namespace dtls::wire {
namespace {

using testing::handshake;
using testing::record;

constexpr std::uint8_t kCcs = 20;
constexpr std::uint8_t kAlert = 21;
constexpr std::uint8_t kHandshake = 22;
constexpr std::uint8_t kAppData = 23;

TEST(RecordTest, DecodesOneRecordHeader) {
  const std::string datagram = record(kAppData, 3, 0x0000123456789abcull, "payload");
  const DecodedDatagram decoded = decodeDatagram(datagram);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  ASSERT_EQ(decoded.records.size(), 1u);
  const Record& r = decoded.records[0];
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.content_type, kAppData);
  EXPECT_EQ(r.version, kDtls1_2Version);
  EXPECT_EQ(r.epoch, 3);
  EXPECT_EQ(r.sequence_number, 0x123456789abcull);
  EXPECT_EQ(r.fragment, "payload");
  EXPECT_TRUE(r.encrypted());
}

TEST(RecordTest, DecodesSeveralRecordsPerDatagram) {
  const std::string datagram = record(kHandshake, 0, 5, handshake(16, 3, "kex")) +
                               record(kCcs, 0, 6, std::string(1, '\x01')) +
                               record(kHandshake, 1, 0, "ciphertext-of-finished");
  const DecodedDatagram decoded = decodeDatagram(datagram);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  ASSERT_EQ(decoded.records.size(), 3u);
  EXPECT_EQ(decoded.records[1].offset, 13u + 12u + 3u);
  EXPECT_EQ(decoded.records[1].content_type, kCcs);
  EXPECT_EQ(decoded.records[2].epoch, 1);
  EXPECT_TRUE(decoded.records[2].handshake_messages.empty());  // encrypted: opaque
}

TEST(RecordTest, DecodesHandshakeHeaders) {
  const std::string body(100, 'b');
  const std::string datagram = record(kHandshake, 0, 0, handshake(11, 2, body, 200, 1000));
  const DecodedDatagram decoded = decodeDatagram(datagram);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  ASSERT_EQ(decoded.records[0].handshake_messages.size(), 1u);
  const HandshakeMessage& m = decoded.records[0].handshake_messages[0];
  EXPECT_EQ(m.offset, 13u);
  EXPECT_EQ(m.msg_type, 11);
  EXPECT_EQ(m.length, 1000u);
  EXPECT_EQ(m.message_seq, 2);
  EXPECT_EQ(m.fragment_offset, 200u);
  EXPECT_EQ(m.fragment_length, 100u);
  EXPECT_EQ(m.body, body);
  EXPECT_TRUE(m.isFragmented());
}

TEST(RecordTest, DecodesSeveralHandshakeMessagesPerRecord) {
  // A server flight packed in one record: ServerHello, Certificate fragment, ServerHelloDone.
  const std::string datagram = record(
      kHandshake, 0, 1,
      handshake(2, 1, "sh") + handshake(11, 2, "cert-part", 0, 500) + handshake(14, 3, ""));
  const DecodedDatagram decoded = decodeDatagram(datagram);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  const auto& messages = decoded.records[0].handshake_messages;
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].msg_type, 2);
  EXPECT_FALSE(messages[0].isFragmented());
  EXPECT_TRUE(messages[1].isFragmented());
  EXPECT_EQ(messages[2].msg_type, 14);
  EXPECT_EQ(messages[2].length, 0u);
  EXPECT_EQ(messages[2].offset, 13u + 14u + 21u);
}

TEST(RecordTest, ReassemblesNothingButKeepsFragmentsInOrder) {
  const std::string whole(300, 'x');
  const std::string datagram =
      record(kHandshake, 0, 0, handshake(1, 0, whole.substr(0, 100), 0, 300)) +
      record(kHandshake, 0, 1, handshake(1, 0, whole.substr(100, 200), 100, 300));
  const DecodedDatagram decoded = decodeDatagram(datagram);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  ASSERT_EQ(decoded.records.size(), 2u);
  EXPECT_EQ(decoded.records[1].handshake_messages[0].fragment_offset, 100u);
  EXPECT_EQ(decoded.records[1].handshake_messages[0].fragment_length, 200u);
}

TEST(RecordTest, DecodesPlaintextAlert) {
  const DecodedDatagram decoded = decodeDatagram(record(kAlert, 0, 9, std::string("\x02\x28", 2)));
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  ASSERT_TRUE(decoded.records[0].alert.has_value());
  EXPECT_EQ(decoded.records[0].alert->level, 2);
  EXPECT_EQ(decoded.records[0].alert->description, 40);
}

TEST(RecordTest, EncryptedAlertIsOpaque) {
  const DecodedDatagram decoded = decodeDatagram(record(kAlert, 1, 9, std::string(26, 'c')));
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_FALSE(decoded.records[0].alert.has_value());
}

TEST(RecordTest, DecodesRealOpenSslClientHello) {
  const std::string datagram = testing::opensslClientHello();
  const DecodedDatagram decoded = decodeDatagram(datagram);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  ASSERT_EQ(decoded.records.size(), 1u);
  EXPECT_EQ(decoded.records[0].version, kDtls1_0Version);  // ClientHello records say 1.0
  EXPECT_EQ(decoded.records[0].length(), 192u);
  ASSERT_EQ(decoded.records[0].handshake_messages.size(), 1u);
  EXPECT_EQ(decoded.records[0].handshake_messages[0].length, 180u);
  EXPECT_FALSE(decoded.records[0].handshake_messages[0].isFragmented());
}

struct ErrorRow {
  const char* name;
  std::string datagram;
  std::size_t records_kept;
  const char* error;
};

TEST(RecordTest, ReportsMalformedInputWithOffsets) {
  const std::string good = record(kAppData, 1, 1, std::string(10, 'a'));
  std::string long_header = record(kAppData, 1, 2, std::string(300, 'a'));
  long_header.resize(13 + 12);
  const ErrorRow rows[] = {
      {"empty", "", 0, "empty datagram"},
      {"short header", good + std::string(5, '\x17'), 1,
       "record 2 at offset 23: header needs 13 bytes, 5 remain"},
      {"length beyond datagram", good + long_header, 1,
       "record 2 at offset 23: length 300 exceeds the 12 remaining bytes"},
      {"not dtls", record(kAppData, 0, 0, "x", 0x0303), 0,
       "record 1 at offset 0: version 0x0303 is not DTLS (RFC 6347 §4.1: major byte 0xfe)"},
      {"too long", record(kAppData, 1, 0, std::string(20000, 'z')), 0,
       "record 1 at offset 0: length 20000 exceeds the maximum 18432 (RFC 5246 §6.2.3)"},
      {"short handshake header", record(kHandshake, 0, 0, "abc"), 1,
       "record 1 at offset 0: handshake message 1 at offset 13: header needs 12 bytes, 3 remain"},
      {"fragment beyond record", record(kHandshake, 0, 0, handshake(1, 0, "abcd").substr(0, 14)),
       1,
       "record 1 at offset 0: handshake message 1 at offset 13: fragment_length 4 exceeds the 2 "
       "remaining bytes of the record"},
      {"fragment beyond message", record(kHandshake, 0, 0, handshake(1, 0, "abcd", 10, 12)), 1,
       "record 1 at offset 0: handshake message 1 at offset 13: fragment 10+4 exceeds message "
       "length 12"},
      {"long alert", record(kAlert, 0, 0, "abc"), 1,
       "record 1 at offset 0: alert of 3 bytes, expected 2"},
  };
  for (const ErrorRow& row : rows) {
    SCOPED_TRACE(row.name);
    const DecodedDatagram decoded = decodeDatagram(row.datagram);
    EXPECT_EQ(decoded.error(), row.error);
    EXPECT_EQ(decoded.records.size(), row.records_kept);
  }
}

TEST(RecordTest, BodyErrorKeepsDecodingLaterRecords) {
  const std::string datagram = record(kAlert, 0, 0, "abc") + record(kAppData, 1, 0, "data");
  const DecodedDatagram decoded = decodeDatagram(datagram);
  EXPECT_EQ(decoded.error(), "record 1 at offset 0: alert of 3 bytes, expected 2");
  ASSERT_EQ(decoded.records.size(), 2u);
  EXPECT_EQ(decoded.records[1].fragment, "data");
}

TEST(RecordTest, BoundsRecordsPerDatagram) {
  std::string datagram;
  for (std::size_t i = 0; i < kMaxRecordsPerDatagram + 3; ++i) {
    datagram += record(kAppData, 1, i, "");
  }
  const DecodedDatagram decoded = decodeDatagram(datagram);
  EXPECT_EQ(decoded.records.size(), kMaxRecordsPerDatagram);
  EXPECT_EQ(decoded.error(), "record 513 at offset 6656: more than 512 records in one datagram");
}

TEST(RecordTest, BoundsHandshakeMessagesPerRecord) {
  std::string fragment;
  for (std::size_t i = 0; i < kMaxHandshakeMessagesPerRecord + 1; ++i) {
    fragment += handshake(0, 0, "");
  }
  const DecodedDatagram decoded = decodeDatagram(record(kHandshake, 0, 0, fragment));
  ASSERT_EQ(decoded.records.size(), 1u);
  EXPECT_EQ(decoded.records[0].handshake_messages.size(), kMaxHandshakeMessagesPerRecord);
  EXPECT_NE(decoded.error().find("more than 512 handshake messages"), std::string::npos);
}

// Every strict prefix of a valid datagram is malformed, unless it ends exactly between two
// records: an error, never a crash, and the records before the cut are kept. Run under
// ASan/UBSan this also proves no out-of-bounds read.
TEST(RecordTest, EveryTruncationIsAnErrorNotACrash) {
  const std::string datagrams[] = {
      testing::opensslClientHello(),
      record(kHandshake, 0, 1, handshake(2, 1, "sh") + handshake(14, 2, "")) +
          record(kCcs, 0, 2, std::string(1, '\x01')) + record(kHandshake, 1, 0, "finished"),
      record(kAlert, 0, 0, std::string("\x01\x00", 2)),
  };
  for (const std::string& full : datagrams) {
    const DecodedDatagram whole = decodeDatagram(full);
    ASSERT_TRUE(whole.ok()) << whole.error();
    for (std::size_t cut = 0; cut < full.size(); ++cut) {
      // A fresh heap copy of exactly `cut` bytes so ASan sees any read past the end.
      const std::string prefix = full.substr(0, cut);
      const DecodedDatagram decoded = decodeDatagram(prefix);
      std::size_t complete_records = 0;
      bool at_boundary = false;
      for (const Record& r : whole.records) {
        if (r.offset + kRecordHeaderBytes + r.length() <= cut) ++complete_records;
        if (r.offset + kRecordHeaderBytes + r.length() == cut) at_boundary = true;
      }
      EXPECT_EQ(decoded.ok(), at_boundary) << "cut at " << cut << ": " << decoded.error();
      EXPECT_GE(decoded.records.size(), complete_records) << "cut at " << cut;
      EXPECT_LE(decoded.records.size(), complete_records + 1) << "cut at " << cut;
    }
  }
}

TEST(RecordTest, RawBytesOverload) {
  EXPECT_EQ(decodeDatagram(nullptr, 0).error(), kEmptyDatagramError);
  const std::string datagram = record(kAppData, 1, 0, "x");
  EXPECT_EQ(decodeDatagram(reinterpret_cast<const std::uint8_t*>(datagram.data()), datagram.size())
                .records.size(),
            1u);
}

TEST(RecordTest, GarbageNeverCrashes) {
  // Deterministic pseudo-random garbage (fixed seed, LCG), including DTLS-looking headers.
  std::uint64_t state = 301;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint8_t>(state >> 56);
  };
  for (int round = 0; round < 2000; ++round) {
    std::string datagram(next() % 96, '\0');
    for (char& c : datagram) c = static_cast<char>(next());
    if (datagram.size() > 3 && round % 2 == 0) {
      datagram[0] = static_cast<char>(20 + next() % 5);
      datagram[1] = static_cast<char>(0xfe);
      datagram[3] = 0;
      datagram[4] = 0;  // epoch 0: exercise the body decoders
    }
    const DecodedDatagram decoded = decodeDatagram(datagram);
    for (const Record& r : decoded.records) {
      EXPECT_LE(r.offset + kRecordHeaderBytes + r.length(), datagram.size());
    }
  }
}

// Everything decodeDatagram reports, as one comparable text (handshake fragments included).
std::string summary(const DecodedDatagram& d) {
  std::string text = d.error() + "|";
  for (const Record& r : d.records) {
    text += std::to_string(r.offset) + ":" + std::to_string(r.content_type) + "/" +
            std::to_string(r.epoch) + "/" + std::to_string(r.sequence_number) + "/" +
            std::to_string(r.length()) + (r.alert ? "A" : "") + "[";
    for (const HandshakeMessage& m : r.handshake_messages)
      text += std::to_string(m.offset) + "," + std::to_string(m.msg_type) + "," +
              std::string(m.body) + ";";
    text += "]";
  }
  return text;
}

// Decoding into a result that held another datagram gives exactly what a fresh result gives:
// nothing carries over (the trace recorder and fuzz_wire reuse one result for every datagram).
TEST(RecordTest, ReusedResultEqualsFreshOne) {
  const std::string datagrams[] = {
      record(kHandshake, 0, 1, handshake(2, 1, "sh") + handshake(14, 2, "")) +
          record(kCcs, 0, 2, std::string(1, '\x01')) + record(kHandshake, 1, 0, "finished"),
      record(kAlert, 0, 0, std::string("\x02\x28", 2)),
      record(kAlert, 0, 0, "bad"),
      record(kHandshake, 0, 0, handshake(1, 0, "hello")) + "\x16\xfe",
      "",
      testing::opensslClientHello(),
      record(kAppData, 1, 7, "ciphertext"),
  };
  DecodedDatagram reused;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& datagram : datagrams) {
      decodeDatagram(datagram, &reused);
      EXPECT_EQ(summary(reused), summary(decodeDatagram(datagram)));
    }
  }
}

// A copy's records point at the copy's own fragments, which outlive the original.
TEST(RecordTest, CopiesPointAtTheirOwnFragments) {
  const std::string datagram =
      record(kHandshake, 0, 1, handshake(2, 1, "sh") + handshake(14, 2, "")) +
      record(kHandshake, 0, 2, handshake(11, 3, "cert"));
  auto original = std::make_unique<DecodedDatagram>(decodeDatagram(datagram));
  const std::string expected = summary(*original);
  const DecodedDatagram copy = *original;
  DecodedDatagram assigned;
  assigned = *original;
  original.reset();
  EXPECT_EQ(summary(copy), expected);
  EXPECT_EQ(summary(assigned), expected);
  ASSERT_EQ(copy.records.size(), 2u);
  EXPECT_EQ(copy.records[1].handshake_messages.size(), 1u);
  EXPECT_EQ(copy.records[1].handshake_messages[0].body, "cert");
}

}  // namespace
}  // namespace dtls::wire
