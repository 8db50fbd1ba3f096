// The pcapng exporter against the real reader: tshark (Wireshark 4.0, Debian 12) must decode
// the synthetic IPv4/UDP packets as DTLS and decrypt the application data with nothing but the
// capture's Decryption Secrets Block, whichever backends the two ends run on (each exports its
// own key log lines). A missing tshark fails (scripts/install-deps.sh installs it); it is never
// skipped.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/pcapng.h"
#include "scenarios/trace_builder.h"
#include "support/dtls_pair.h"

namespace scenarios {
namespace {

constexpr char kClientAddress[] = "10.0.0.1:50000";
constexpr char kServerAddress[] = "10.0.0.2:4433";
constexpr auto kHopDelay = std::chrono::milliseconds(5);

// A handshake and one ping/pong exchange between a real DTLS client and server, recorded as a
// trace: every datagram each side wrote (SEND at the write time, DELIVER 5 ms later) and the
// NSS key log lines from both sides (one session: the same line twice is kept once).
dtlsim::Trace recordPingPong(const dtls::test::DtlsPair::Backends& backends) {
  dtlsim::Trace trace;
  trace.mutable_scenario()->set_name("tshark-ping-pong");
  trace.set_seed(7);
  TraceBuilder b(&trace);
  dtls::test::DtlsPair pair(backends);
  auto keylog = [&trace, &b](const std::string& line) {
    for (const std::string& seen : trace.keylog_lines())
      if (seen == line) return;
    b.keylog(line);
  };
  pair.client.setKeyLogCallback(keylog);
  pair.server.setKeyLogCallback(keylog);
  std::uint64_t next_id = 1;
  auto now_us = [&pair] {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(pair.clock.now()).count());
  };
  // Carries what both sockets hold until both are quiet.
  auto carry = [&] {
    for (int round = 0; round < 20; ++round) {
      auto to_server = pair.client_socket.take();
      auto to_client = pair.server_socket.take();
      if (to_server.empty() && to_client.empty()) return;
      std::vector<std::uint64_t> ids_s, ids_c;
      for (const auto& d : to_server) {
        ids_s.push_back(next_id);
        b.send(now_us(), "client", next_id++, kClientAddress, kServerAddress, d);
      }
      for (const auto& d : to_client) {
        ids_c.push_back(next_id);
        b.send(now_us(), "server", next_id++, kServerAddress, kClientAddress, d);
      }
      pair.clock.advance(kHopDelay);
      for (std::size_t i = 0; i < to_server.size(); ++i) {
        b.deliver(now_us(), "server", ids_s[i], 0, kClientAddress, kServerAddress, to_server[i]);
        pair.deliverToServer(to_server[i]);
      }
      for (std::size_t i = 0; i < to_client.size(); ++i) {
        b.deliver(now_us(), "client", ids_c[i], 0, kServerAddress, kClientAddress, to_client[i]);
        pair.deliverToClient(to_client[i]);
      }
    }
  };
  EXPECT_TRUE(pair.client.doHandshake(&pair.client_socket)) << pair.why();
  carry();
  EXPECT_TRUE(pair.bothEncrypted()) << pair.why();
  EXPECT_EQ(pair.client.writeDatagramEncrypted(&pair.client_socket, "ping"), 4);
  carry();
  EXPECT_EQ(pair.server.writeDatagramEncrypted(&pair.server_socket, "pong"), 4);
  carry();
  EXPECT_EQ(pair.server_received, std::vector<dtls::ByteArray>{"ping"});
  EXPECT_EQ(pair.client_received, std::vector<dtls::ByteArray>{"pong"});
  EXPECT_FALSE(trace.keylog_lines().empty());
  return trace;
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

// Runs `command` through /bin/sh and collects its standard output.
CommandResult run(const std::string& command) {
  CommandResult r;
  std::FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// tshark's fields for one frame (-T fields in this order).
struct Frame {
  std::string number, src, handshake_types, text, ip_checksum, udp_checksum, comment;
};

// Client backend, server backend.
class TsharkTest : public ::testing::TestWithParam<dtls::test::DtlsPair::Backends> {};

TEST_P(TsharkTest, DecodesChecksumsAndDecryptsWithTheDecryptionSecretsBlock) {
  ASSERT_EQ(run("command -v tshark").exit_code, 0)
      << "tshark is not installed: run scripts/install-deps.sh test (apt-get install tshark)";
  dtlsim::Trace trace = recordPingPong(GetParam());
  ASSERT_FALSE(::testing::Test::HasFailure());
  // One IPv6 datagram as well (second interface), to check its computed UDP checksum.
  const std::uint64_t v6_id = static_cast<std::uint64_t>(trace.events_size()) + 100;
  TraceBuilder(&trace).send(40'000, "client", v6_id, "[fd00::1]:50000", "[fd00::2]:4433",
                            "not dtls, checksum only");

  const auto dir = std::filesystem::temp_directory_path();
  const std::string pcap = (dir / ("dtlsim-tshark-" + std::to_string(::getpid()) + ".pcapng"));
  std::string error;
  ASSERT_TRUE(writePcapng(trace, pcap, &error)) << error;

  // One tshark run (it takes about a second to start), bounded by timeout(1). No keylog file
  // is given: the secrets must come from the capture. Port 4433 is not a registered DTLS
  // port, hence -d. Checksum validation is off by default in Wireshark; turn it on.
  const std::string command =
      "timeout 20 tshark -n -r '" + pcap +
      "' -d udp.port==4433,dtls -o data.show_as_text:TRUE -o ip.check_checksum:TRUE"
      " -o udp.check_checksum:TRUE -T fields -E separator=/t -e frame.number -e ip.src"
      " -e dtls.handshake.type -e data.text -e ip.checksum.status -e udp.checksum.status"
      " -e frame.comment 2>&1";
  const CommandResult r = run(command);
  if (!std::getenv("DTLSIM_KEEP_PCAP")) std::filesystem::remove(pcap);
  ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.out;

  std::vector<Frame> frames;
  for (const std::string& line : split(r.out, '\n')) {
    const auto f = split(line, '\t');
    if (f.size() != 7) continue;  // tshark's "Running as user root" warning
    frames.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
  }
  int sends = 0;
  for (const auto& e : trace.events()) sends += e.kind() == dtlsim::TraceEvent::SEND;
  ASSERT_EQ(frames.size(), static_cast<std::size_t>(sends)) << r.out;

  EXPECT_EQ(frames.front().handshake_types, "1") << "ClientHello first\n" << r.out;
  int finished = 0, ping = 0, pong = 0;
  for (const Frame& f : frames) {
    // An encrypted Finished (20) only has a type once tshark decrypted the epoch-1 record.
    for (const std::string& type : split(f.handshake_types, ',')) finished += type == "20";
    ping += f.src == "10.0.0.1" && f.text == "ping";
    pong += f.src == "10.0.0.2" && f.text == "pong";
    if (f.src.empty()) {
      // Wireshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present.
      EXPECT_EQ(f.udp_checksum, "1") << "IPv6 UDP checksum not good\n" << r.out;
      EXPECT_EQ(f.comment.rfind("datagram #" + std::to_string(v6_id) + ": in flight", 0), 0u)
          << f.comment;
    } else {
      EXPECT_EQ(f.ip_checksum, "1") << "IPv4 header checksum not good\n" << r.out;
      EXPECT_EQ(f.udp_checksum, "3") << "UDP checksum 0 over IPv4\n" << r.out;
      EXPECT_NE(f.comment.find(": delivered after 5.000 ms | "), std::string::npos) << f.comment;
    }
  }
  EXPECT_EQ(finished, 2) << "both Finished decrypted\n" << r.out;
  EXPECT_EQ(ping, 1) << "client's \"ping\" not decrypted:\n" << r.out;
  EXPECT_EQ(pong, 1) << "server's \"pong\" not decrypted:\n" << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Backends, TsharkTest,
    ::testing::Values(dtls::test::DtlsPair::Backends{"openssl", "openssl"},
                      dtls::test::DtlsPair::Backends{"mbedtls", "mbedtls"},
                      dtls::test::DtlsPair::Backends{"openssl", "mbedtls"},
                      dtls::test::DtlsPair::Backends{"mbedtls", "openssl"}),
    [](const ::testing::TestParamInfo<dtls::test::DtlsPair::Backends>& row) {
      return row.param.client + "To" + row.param.server;
    });

}  // namespace
}  // namespace scenarios
