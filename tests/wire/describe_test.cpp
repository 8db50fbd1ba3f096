#include "dtls/wire/describe.h"

#include <gtest/gtest.h>

#include "dtls/wire/names.h"
#include "wire/wire_builder.h"

namespace dtls::wire {
namespace {

using testing::handshake;
using testing::record;

struct Row {
  const char* name;
  std::string datagram;
  const char* description;
  const char* classification;  // Classification::text()
};

TEST(DescribeTest, LabelsEveryKindOfRecord) {
  const std::string ccs(1, '\x01');
  const Row rows[] = {
      {"client hello", testing::opensslClientHello(), "ClientHello (msg 0, frag 0-180)",
       "handshake:client_hello@0"},
      {"hello verify request", record(22, 0, 0, handshake(3, 0, std::string(23, 'h'))),
       "HelloVerifyRequest (msg 0, frag 0-23)", "handshake:hello_verify_request@0"},
      {"fragment", record(22, 0, 3, handshake(11, 2, std::string(500, 'c'), 500, 1200)),
       "Certificate (msg 2, frag 500-1000 of 1200)", "handshake:certificate@0"},
      {"server flight",
       record(22, 0, 1, handshake(2, 1, "sh")) + record(22, 0, 2, handshake(14, 2, "")),
       "ServerHello (msg 1, frag 0-2), ServerHelloDone (msg 2, frag 0-0)",
       "handshake:server_hello@0"},
      {"two messages one record", record(22, 0, 1, handshake(2, 1, "sh") + handshake(14, 2, "")),
       "ServerHello (msg 1, frag 0-2) + ServerHelloDone (msg 2, frag 0-0)",
       "handshake:server_hello@0"},
      {"ccs and finished", record(20, 0, 5, ccs) + record(22, 1, 0, std::string(40, 'f')),
       "ChangeCipherSpec, Finished (epoch 1)", "ccs@0"},
      {"finished alone", record(22, 1, 1, std::string(40, 'f')), "Finished (epoch 1)",
       "handshake:finished@1"},
      {"epoch 2 handshake", record(22, 2, 0, "x"), "EncryptedHandshake (epoch 2)",
       "handshake:encrypted@2"},
      {"appdata", record(23, 1, 7, std::string(1024, 'a')), "AppData 1024 B", "appdata@1"},
      {"plain alert", record(21, 0, 0, std::string("\x02\x28", 2)),
       "Alert fatal handshake_failure", "alert@0"},
      {"close notify", record(21, 0, 0, std::string("\x01\x00", 2)), "Alert warning close_notify",
       "alert@0"},
      {"encrypted alert", record(21, 1, 3, std::string(26, 'e')), "Alert (encrypted, epoch 1)",
       "alert@1"},
      {"heartbeat", record(24, 1, 3, std::string(19, 'e')), "Heartbeat 19 B", "heartbeat@1"},
      {"unknown type", record(99, 0, 0, "1234567"), "Record unknown(99) 7 B", "unknown:99@0"},
      {"empty", "", "[error: empty datagram]", "empty@0"},
      {"garbage", "\x16\x03\x03", "[error: record 1 at offset 0: header needs 13 bytes, 3 remain]",
       "malformed@0"},
      {"bad handshake", record(22, 0, 0, "abc"),
       "[malformed] [error: record 1 at offset 0: handshake message 1 at offset 13: header needs "
       "12 bytes, 3 remain]",
       "handshake:empty@0"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const DecodedDatagram decoded = decodeDatagram(row.datagram);
    EXPECT_EQ(describe(decoded), row.description);
    EXPECT_EQ(classify(decoded).text(), row.classification);
  }
}

TEST(DescribeTest, ClassificationListsEveryPartOfAFlight) {
  const std::string datagram = record(22, 0, 4, handshake(16, 3, "kex")) +
                               record(20, 0, 5, std::string(1, '\x01')) +
                               record(22, 1, 0, std::string(40, 'f'));
  const Classification c = classify(std::string_view(datagram));
  EXPECT_EQ(c.label, "handshake:client_key_exchange");
  const std::vector<std::string_view> expected = {"handshake:client_key_exchange", "ccs",
                                             "handshake:finished"};
  EXPECT_EQ(c.labels, expected);
  EXPECT_TRUE(c.contains("handshake:finished"));
  EXPECT_FALSE(c.contains("alert"));
}

// A hostile datagram of many records or fragments gets a bounded label; classify() still
// labels every part (fault rules match any of them).
TEST(DescribeTest, LongDatagramsAreSummarized) {
  std::string many_records;
  for (int i = 0; i < 20; ++i) many_records += record(23, 1, static_cast<std::uint64_t>(i), "x");
  const std::string label = describe(decodeDatagram(many_records));
  EXPECT_EQ(label.rfind("AppData 1 B, ", 0), 0u) << label;
  EXPECT_EQ(label.substr(label.size() - 17), ", 12 more records") << label;
  std::size_t listed = 0;
  for (std::size_t at = label.find("AppData"); at != std::string::npos;
       at = label.find("AppData", at + 1))
    ++listed;
  EXPECT_EQ(listed, kMaxListedRecords);
  EXPECT_EQ(classify(std::string_view(many_records)).labels.size(), 20u);

  std::string fragments;
  for (int i = 0; i < 10; ++i) fragments += handshake(1, static_cast<std::uint16_t>(i), "hi");
  const std::string flight = describe(decodeDatagram(record(22, 0, 0, fragments)));
  EXPECT_NE(flight.find("ClientHello (msg 3, frag 0-2) + 6 more"), std::string::npos) << flight;
  EXPECT_EQ(flight.find("msg 4"), std::string::npos) << flight;
}

TEST(NamesTest, NamesFollowTheRfcs) {
  EXPECT_EQ(contentTypeName(20), "change_cipher_spec");
  EXPECT_EQ(contentTypeName(23), "application_data");
  EXPECT_EQ(contentTypeName(7), "unknown(7)");
  EXPECT_EQ(handshakeTypeName(3), "hello_verify_request");
  EXPECT_EQ(handshakeTypeName(4), "new_session_ticket");
  EXPECT_EQ(handshakeTypeName(20), "finished");
  EXPECT_EQ(handshakeTypeTitle(16), "ClientKeyExchange");
  EXPECT_EQ(handshakeTypeTitle(99), "Handshake(99)");
  EXPECT_EQ(alertLevelName(2), "fatal");
  EXPECT_EQ(alertDescriptionName(0), "close_notify");
  EXPECT_EQ(alertDescriptionName(20), "bad_record_mac");
  EXPECT_EQ(alertDescriptionName(40), "handshake_failure");
  EXPECT_EQ(alertDescriptionName(200), "unknown(200)");
  EXPECT_EQ(versionName(0xfeff), "DTLS 1.0");
  EXPECT_EQ(versionName(0xfefd), "DTLS 1.2");
  EXPECT_EQ(versionName(0x0303), "0x0303");
}

}  // namespace
}  // namespace dtls::wire
