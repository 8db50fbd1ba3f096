// Byte-level checks of the pcapng exporter: every block's framing, the SHB/IDB/DSB/EPB fields,
// the synthetic IPv4/IPv6 + UDP headers (checksums verified by recomputation) and the fate
// comments. tshark_test.cpp checks the same output against a real reader.
#include "scenarios/pcapng.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "scenarios/trace_builder.h"

namespace scenarios {
namespace {

constexpr std::uint64_t k2030Us = 1'893'456'000ULL * 1'000'000;

std::uint32_t le16(const std::string& s, std::size_t at) {
  return static_cast<std::uint8_t>(s.at(at)) | static_cast<std::uint8_t>(s.at(at + 1)) << 8;
}
std::uint32_t le32(const std::string& s, std::size_t at) {
  return le16(s, at) | le16(s, at + 2) << 16;
}
std::uint32_t be16(const std::string& s, std::size_t at) {
  return static_cast<std::uint8_t>(s.at(at)) << 8 | static_cast<std::uint8_t>(s.at(at + 1));
}

struct Block {
  std::uint32_t type = 0;
  std::string body;  // between the leading and the trailing length
};

// Splits a capture into blocks, checking the framing every block must have (pcapng §3.1).
std::vector<Block> blocks(const std::string& file) {
  std::vector<Block> out;
  std::size_t at = 0;
  while (at < file.size()) {
    EXPECT_LE(at + 12, file.size());
    const std::uint32_t length = le32(file, at + 4);
    EXPECT_EQ(length % 4, 0u) << "block at " << at;
    EXPECT_GE(length, 12u);
    EXPECT_LE(at + length, file.size());
    if (length < 12 || at + length > file.size()) break;
    EXPECT_EQ(le32(file, at + length - 4), length) << "trailing length of block at " << at;
    out.push_back({le32(file, at), file.substr(at + 8, length - 12)});
    at += length;
  }
  EXPECT_EQ(at, file.size());
  return out;
}

// Options from `at` in a block body: code -> value (the last one per code).
std::vector<std::pair<std::uint16_t, std::string>> options(const std::string& body,
                                                           std::size_t at) {
  std::vector<std::pair<std::uint16_t, std::string>> out;
  while (at + 4 <= body.size()) {
    const auto code = static_cast<std::uint16_t>(le16(body, at));
    const std::uint32_t length = le16(body, at + 2);
    if (code == 0) {
      EXPECT_EQ(length, 0u);
      EXPECT_EQ(at + 4, body.size()) << "opt_endofopt is last";
      return out;
    }
    out.emplace_back(code, body.substr(at + 4, length));
    at += 4 + (length + 3) / 4 * 4;
  }
  ADD_FAILURE() << "no opt_endofopt";
  return out;
}

std::string option(const std::string& body, std::size_t at, std::uint16_t code) {
  for (const auto& [c, v] : options(body, at))
    if (c == code) return v;
  return "<absent>";
}

// An EPB's fields.
struct Epb {
  std::uint32_t interface_id = 0;
  std::uint64_t timestamp = 0;
  std::string packet;
  std::string comment;
};

Epb epb(const Block& b) {
  EXPECT_EQ(b.type, 6u);
  Epb e;
  e.interface_id = le32(b.body, 0);
  e.timestamp = static_cast<std::uint64_t>(le32(b.body, 4)) << 32 | le32(b.body, 8);
  const std::uint32_t captured = le32(b.body, 12);
  EXPECT_EQ(le32(b.body, 16), captured) << "original length";
  e.packet = b.body.substr(20, captured);
  e.comment = option(b.body, 20 + (captured + 3) / 4 * 4, 1);
  return e;
}

std::vector<Epb> packets(const std::string& file) {
  std::vector<Epb> out;
  for (const Block& b : blocks(file))
    if (b.type == 6) out.push_back(epb(b));
  return out;
}

// RFC 1071 sum of 16-bit words, folded: 0xffff over data that includes a correct checksum.
std::uint32_t onesSum(const std::string& bytes) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 2)
    sum += static_cast<std::uint8_t>(bytes[i]) << 8 |
           (i + 1 < bytes.size() ? static_cast<std::uint8_t>(bytes[i + 1]) : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

dtlsim::Trace oneDatagram(const std::string& src, const std::string& dst,
                          const std::string& data, std::uint64_t id = 1) {
  dtlsim::Trace t;
  TraceBuilder b(&t);
  b.send(1'500, "client", id, src, dst, data);
  b.deliver(13'845, "server", id, 0, src, dst, data);
  return t;
}

TEST(PcapngTest, SectionHeaderAndOneIpv4InterfaceWithMicroseconds) {
  const auto bs = blocks(pcapngBytes(oneDatagram("10.0.0.1:50000", "10.0.0.2:4433", "abc")));
  ASSERT_EQ(bs.size(), 3u);  // SHB, IDB, EPB: no keys, no DSB
  EXPECT_EQ(bs[0].type, 0x0A0D0D0Au);
  EXPECT_EQ(le32(bs[0].body, 0), 0x1A2B3C4Du);
  EXPECT_EQ(le16(bs[0].body, 4), 1u);
  EXPECT_EQ(le16(bs[0].body, 6), 0u);
  EXPECT_EQ(bs[0].body.substr(8, 8), std::string(8, '\xff'));  // section length -1
  EXPECT_EQ(bs[1].type, 1u);
  EXPECT_EQ(le16(bs[1].body, 0), 228u);  // LINKTYPE_IPV4
  EXPECT_EQ(option(bs[1].body, 8, 9), std::string(1, '\x06'));  // if_tsresol 10^-6
  EXPECT_EQ(bs[2].type, 6u);
}

TEST(PcapngTest, Ipv4AndUdpHeaders) {
  const std::string data = "hello dtls";
  const auto ps = packets(pcapngBytes(oneDatagram("10.0.0.1:50000", "192.168.7.9:4433", data,
                                                  0x12345)));
  ASSERT_EQ(ps.size(), 1u);
  const std::string& p = ps[0].packet;
  ASSERT_EQ(p.size(), 20 + 8 + data.size());
  EXPECT_EQ(ps[0].interface_id, 0u);
  EXPECT_EQ(static_cast<std::uint8_t>(p[0]), 0x45);
  EXPECT_EQ(be16(p, 2), p.size());       // total length
  EXPECT_EQ(be16(p, 4), 0x2345u);        // IP ID = datagram id low 16 bits
  EXPECT_EQ(static_cast<std::uint8_t>(p[8]), 64);   // TTL
  EXPECT_EQ(static_cast<std::uint8_t>(p[9]), 17);   // UDP
  EXPECT_NE(be16(p, 10), 0u);
  EXPECT_EQ(onesSum(p.substr(0, 20)), 0xffffu) << "header checksum";
  EXPECT_EQ(p.substr(12, 4), std::string("\x0a\x00\x00\x01", 4));
  EXPECT_EQ(p.substr(16, 4), std::string("\xc0\xa8\x07\x09", 4));
  EXPECT_EQ(be16(p, 20), 50000u);
  EXPECT_EQ(be16(p, 22), 4433u);
  EXPECT_EQ(be16(p, 24), 8 + data.size());
  EXPECT_EQ(be16(p, 26), 0u);  // no UDP checksum over IPv4
  EXPECT_EQ(p.substr(28), data);
}

TEST(PcapngTest, Ipv6GetsItsOwnInterfaceAndAComputedUdpChecksum) {
  const std::string data = "odd-length payload!";  // 19 bytes: checksum pads with a zero
  const auto file = pcapngBytes(oneDatagram("[fd00::1]:50000", "[fd00::2]:4433", data));
  const auto bs = blocks(file);
  ASSERT_EQ(bs.size(), 4u);
  EXPECT_EQ(le16(bs[1].body, 0), 228u);
  EXPECT_EQ(le16(bs[2].body, 0), 229u);  // LINKTYPE_IPV6
  const Epb e = epb(bs[3]);
  EXPECT_EQ(e.interface_id, 1u);
  const std::string& p = e.packet;
  ASSERT_EQ(p.size(), 40 + 8 + data.size());
  EXPECT_EQ(static_cast<std::uint8_t>(p[0]) >> 4, 6);
  EXPECT_EQ(be16(p, 4), 8 + data.size());  // payload length
  EXPECT_EQ(static_cast<std::uint8_t>(p[6]), 17);
  EXPECT_EQ(static_cast<std::uint8_t>(p[7]), 64);
  EXPECT_EQ(p.substr(8, 16), std::string("\xfd\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16));
  EXPECT_NE(be16(p, 46), 0u);
  // Pseudo-header (RFC 8200 §8.1) + UDP header + payload sums to 0xffff with the checksum.
  std::string pseudo = p.substr(8, 32);
  pseudo += std::string("\0\0", 2) + p.substr(44, 2) + std::string("\0\0\0\x11", 4);
  EXPECT_EQ(onesSum(pseudo + p.substr(40)), 0xffffu);
}

TEST(PcapngTest, DecryptionSecretsBlockPrecedesThePacketsAndIsPadded) {
  dtlsim::Trace t = oneDatagram("10.0.0.1:1", "10.0.0.2:2", "x");
  t.add_keylog_lines("CLIENT_RANDOM aa bb");
  t.add_keylog_lines("CLIENT_RANDOM cc dd");
  const auto bs = blocks(pcapngBytes(t));
  ASSERT_EQ(bs.size(), 4u);
  EXPECT_EQ(bs[2].type, 0x0Au);
  EXPECT_EQ(le32(bs[2].body, 0), 0x544c534bu);  // "TLSK"
  const std::string secrets = "CLIENT_RANDOM aa bb\nCLIENT_RANDOM cc dd\n";
  EXPECT_EQ(le32(bs[2].body, 4), secrets.size());
  EXPECT_EQ(bs[2].body.substr(8, secrets.size()), secrets);
  EXPECT_EQ(bs[2].body.size(), 8 + (secrets.size() + 3) / 4 * 4);
  EXPECT_EQ(bs[3].type, 6u);
}

TEST(PcapngTest, TimestampsAreTheScenarioEpochPlusVirtualTime) {
  dtlsim::Trace t = oneDatagram("10.0.0.1:1", "10.0.0.2:2", "x");
  EXPECT_EQ(packets(pcapngBytes(t)).at(0).timestamp, k2030Us + 1'500);
  t.mutable_scenario()->set_epoch_unix_s(1'700'000'000);
  EXPECT_EQ(packets(pcapngBytes(t)).at(0).timestamp, 1'700'000'000ULL * 1'000'000 + 1'500);
}

TEST(PcapngTest, PacketsAreInTimeOrder) {
  dtlsim::Trace t;
  TraceBuilder b(&t);
  b.send(900, "server", 2, "10.0.0.2:2", "10.0.0.1:1", "late");
  b.send(100, "client", 1, "10.0.0.1:1", "10.0.0.2:2", "early");
  const auto ps = packets(pcapngBytes(t));
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].packet.substr(28), "early");
  EXPECT_EQ(ps[1].packet.substr(28), "late");
}

TEST(PcapngTest, ReceiverSideHasOnePacketPerDeliveryWithTheDeliveredBytes) {
  dtlsim::Trace t;
  TraceBuilder b(&t);
  b.send(0, "client", 7, "10.0.0.1:1", "10.0.0.2:2", "0123456789");
  b.duplicate(0, 7, 1);
  b.truncate(0, 7, 1, 4);
  b.deliver(2'000, "server", 7, 0, "10.0.0.1:1", "10.0.0.2:2", "0123456789");
  // Addresses left out: taken from the SEND.
  b.deliver(3'000, "server", 7, 1, "", "", "0123");
  const auto sender = packets(pcapngBytes(t));
  ASSERT_EQ(sender.size(), 1u);
  const auto ps = packets(pcapngBytes(t, PcapngOptions{.receiver_side = true}));
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].timestamp, k2030Us + 2'000);
  EXPECT_EQ(ps[1].timestamp, k2030Us + 3'000);
  EXPECT_EQ(ps[1].packet.substr(28), "0123");
  EXPECT_EQ(be16(ps[1].packet, 2), 28u + 4);
  EXPECT_EQ(be16(ps[1].packet, 20), 1u);  // source port from the SEND
  EXPECT_EQ(ps[1].comment.rfind("datagram #7 copy 1: ", 0), 0u) << ps[1].comment;
}

TEST(PcapngTest, EventsWithoutUsableAddressesAreSkipped) {
  dtlsim::Trace t;
  TraceBuilder b(&t);
  b.send(0, "client", 1, "client", "10.0.0.2:2", "a");
  b.send(0, "client", 2, "10.0.0.1:1", "[::1]:2", "b");  // mixed families
  b.send(0, "client", 3, "10.0.0.1:1", "10.0.0.2:2", "c");
  const auto ps = packets(pcapngBytes(t));
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].packet.substr(28), "c");
}

struct FateCase {
  const char* name;
  void (*events)(TraceBuilder&);
  const char* comment;
};

TEST(PcapngTest, CommentStatesTheDatagramsFate) {
  const FateCase cases[] = {
      {"delivered", [](TraceBuilder& b) { b.deliver(13'845, "s", 1, 0, "", "", "x"); },
       "datagram #1: delivered after 12.345 ms"},
      {"dropped", [](TraceBuilder& b) { b.drop(1'500, 1, 0, "loss", 1); },
       "datagram #1: dropped: loss"},
      {"duplicated",
       [](TraceBuilder& b) {
         b.duplicate(1'500, 1, 1);
         b.deliver(2'500, "s", 1, 0, "", "", "x");
         b.deliver(3'500, "s", 1, 1, "", "", "x");
       },
       "datagram #1: duplicated (+1 copy); delivered after 1.000 ms; copy 1 delivered after "
       "2.000 ms"},
      {"corrupted", [](TraceBuilder& b) { b.corrupt(1'500, 1, 0, {1, 9, 17}); },
       "datagram #1: corrupted (3 bits) in copy 0"},
      {"truncated", [](TraceBuilder& b) { b.truncate(1'500, 1, 0, 100); },
       "datagram #1: truncated to 100 bytes"},
      {"held", [](TraceBuilder& b) { b.delay(1'500, 1, 0, 40'000); },
       "datagram #1: held/delayed (not delivered by the end of the run)"},
      {"delayed then delivered",
       [](TraceBuilder& b) {
         b.delay(1'500, 1, 0, 40'000);
         b.deliver(41'500, "s", 1, 0, "", "", "x");
       },
       "datagram #1: delivered after 40.000 ms"},
      {"nothing", [](TraceBuilder&) {}, "datagram #1: in flight at end of run"},
  };
  for (const FateCase& c : cases) {
    dtlsim::Trace t;
    TraceBuilder b(&t);
    b.send(1'500, "c", 1, "10.0.0.1:1", "10.0.0.2:2", "x");
    b.send(1'500, "c", 2, "10.0.0.1:1", "10.0.0.2:2", "y");
    b.drop(1'600, 2, 0, "mtu", 1);  // another datagram's fate never leaks in
    c.events(b);
    const auto ps = packets(pcapngBytes(t));
    ASSERT_EQ(ps.size(), 2u) << c.name;
    // The comment is "<fate> | <label>": the label is the decoder's (not DTLS here).
    EXPECT_EQ(ps[0].comment.substr(0, ps[0].comment.find(" | ")), c.comment) << c.name;
    EXPECT_EQ(datagramFate(t, 1), std::string(c.comment).substr(std::string("datagram #1: ").size()))
        << c.name;
    EXPECT_EQ(ps[1].comment.substr(0, ps[1].comment.find(" | ")), "datagram #2: dropped: mtu");
  }
}

TEST(PcapngTest, ParseSocketAddress) {
  SocketAddress a;
  ASSERT_TRUE(parseSocketAddress("10.0.0.1:4433", &a));
  EXPECT_FALSE(a.ipv6);
  EXPECT_EQ(a.port, 4433);
  EXPECT_EQ(a.address[0], 10);
  EXPECT_EQ(a.address[3], 1);
  ASSERT_TRUE(parseSocketAddress("[::1]:0", &a));
  EXPECT_TRUE(a.ipv6);
  EXPECT_EQ(a.address[15], 1);
  EXPECT_EQ(a.port, 0);
  for (const char* bad : {"", "10.0.0.1", "10.0.0.1:", "10.0.0.1:65536", "10.0.0.1:x",
                          "host:1", "::1:5", "[::1]", "[::1]5", "[10.0.0.1]:5", "1.2.3:4"})
    EXPECT_FALSE(parseSocketAddress(bad, &a)) << bad;
}

TEST(PcapngTest, WritesTheFileOrSaysWhyNot) {
  const dtlsim::Trace t = oneDatagram("10.0.0.1:1", "10.0.0.2:2", "x");
  const auto path = std::filesystem::temp_directory_path() / "dtlsim-pcapng-test.pcapng";
  std::string error;
  ASSERT_TRUE(writePcapng(t, path.string(), &error)) << error;
  std::ifstream in(path, std::ios::binary);
  const std::string written((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove(path);
  EXPECT_EQ(written, pcapngBytes(t));
  EXPECT_EQ(written, pcapngBytes(t)) << "deterministic";
  EXPECT_FALSE(writePcapng(t, "/nonexistent-dir/x.pcapng", &error));
  EXPECT_EQ(error, "cannot write /nonexistent-dir/x.pcapng: No such file or directory");
}

}  // namespace
}  // namespace scenarios
