// The World features the catalog needs (scenario.proto: NOISE endpoints, one record per
// datagram, actions after the handshake, replay actions), checked in the traces of the catalog
// scenarios that use them: each feature must really happen, not only the story's outcome hold.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "scenarios/runner.h"

namespace scenarios {
namespace {

const std::string kCatalog = std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/";

dtlsim::Trace runCatalog(const std::string& file, std::uint64_t seed) {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(kCatalog + file, &s, &error)) << error;
  RunOptions options;
  options.seed = seed;
  dtlsim::Trace trace;
  EXPECT_TRUE(runScenario(s, options, &trace, &error)) << error;
  EXPECT_TRUE(trace.outcome().passed()) << file << " seed " << seed;
  return trace;
}

long countEvents(const dtlsim::Trace& t, dtlsim::TraceEvent::Kind kind, const std::string& endpoint,
                 const std::string& detail_prefix = "") {
  return std::count_if(t.events().begin(), t.events().end(), [&](const dtlsim::TraceEvent& e) {
    return e.kind() == kind && e.endpoint() == endpoint && e.detail().rfind(detail_prefix, 0) == 0;
  });
}

// Time of the first SEND by `endpoint` whose label starts with `label`.
std::uint64_t firstSendUs(const dtlsim::Trace& t, const std::string& endpoint, const std::string& label) {
  for (const auto& e : t.events())
    if (e.kind() == dtlsim::TraceEvent::SEND && e.endpoint() == endpoint && e.label().rfind(label, 0) == 0)
      return e.time_us();
  return UINT64_MAX;
}

TEST(WorldFeaturesTest, ReplayResendsTheCapturedDatagramFromTheClientsAddress) {
  const dtlsim::Trace t = runCatalog("replayed-appdata.textproto", 3);
  EXPECT_EQ(countEvents(t, dtlsim::TraceEvent::NOTE, "client", "replay of appdata datagram #2"), 10);
  EXPECT_EQ(countEvents(t, dtlsim::TraceEvent::NOTE, "client", "replay skipped"), 0);
  // 111 pings + 10 replays reach the server's socket; it delivers 111 (the expectations).
  long appdata_to_server = 0;
  for (const auto& e : t.events())
    if (e.kind() == dtlsim::TraceEvent::DELIVER && e.endpoint() == "server" &&
        e.label().rfind("AppData", 0) == 0)
      ++appdata_to_server;
  EXPECT_EQ(appdata_to_server, 121);
}

TEST(WorldFeaturesTest, OneRecordPerDatagramLetsTheCcsOvertakeTheClientKeyExchange) {
  const dtlsim::Trace t = runCatalog("reordered-ccs.textproto", 5);
  std::uint64_t cke = 0, ccs = 0;
  for (const auto& e : t.events()) {
    if (e.kind() != dtlsim::TraceEvent::DELIVER || e.endpoint() != "server") continue;
    if (cke == 0 && e.label().rfind("ClientKeyExchange", 0) == 0) cke = e.time_us();
    if (ccs == 0 && e.label() == "ChangeCipherSpec") ccs = e.time_us();
  }
  ASSERT_NE(cke, 0u);
  ASSERT_NE(ccs, 0u);
  EXPECT_LT(ccs, cke) << "the CCS must arrive first";
}

TEST(WorldFeaturesTest, AnAfterHandshakeActionRunsAtTheServersCompletion) {
  const dtlsim::Trace t = runCatalog("appdata-overtakes-finished.textproto", 7);
  std::uint64_t server_done = 0;
  for (const auto& e : t.outcome().endpoints())
    if (e.name() == "server") server_done = e.handshake_done_us();
  ASSERT_NE(server_done, 0u);
  EXPECT_EQ(firstSendUs(t, "server", "AppData"), server_done);
  EXPECT_EQ(countEvents(t, dtlsim::TraceEvent::APP_SEND, "server"), 10);
}

TEST(WorldFeaturesTest, TheNoiseSenderSendsItsDatagramsAndNoneIsAnswered) {
  const dtlsim::Trace t = runCatalog("hundred-clients-noise.textproto", 2);
  long from_noise = 0, to_noise = 0;
  for (const auto& e : t.events()) {
    if (e.kind() != dtlsim::TraceEvent::SEND) continue;
    if (e.endpoint() == "noise") ++from_noise;
    if (e.destination().rfind("10.0.9.9:", 0) == 0) ++to_noise;
  }
  EXPECT_EQ(from_noise, 300);
  EXPECT_EQ(to_noise, 0) << "forged datagrams must earn no answer";
}

// RFC 6347 §4.2.8 regression: at seed 36 a duplicated copy of the cookie-carrying ClientHello
// arrives after the handshake; the server used to replace the established association with a
// new handshake and every ping was lost. It must ignore the stale duplicate.
TEST(WorldFeaturesTest, AStaleDuplicateClientHelloKeepsTheEstablishedAssociation) {
  const dtlsim::Trace t = runCatalog("reorder-and-duplicate.textproto", 36);
  EXPECT_GE(countEvents(t, dtlsim::TraceEvent::NOTE, "server", "[10.0.0.2:49152] stale duplicate"), 1);
  EXPECT_EQ(countEvents(t, dtlsim::TraceEvent::NOTE, "server",
                        "[10.0.0.2:49152] ClientHello on an established association"),
            0);
}

}  // namespace
}  // namespace scenarios

namespace scenarios {
namespace {

// A server session refused at the verified ClientHello (a version the server does not speak)
// leaves the table at once: each retransmission of that ClientHello is verified and refused
// again. It used to stay until the next datagram, which it swallowed unanswered, so every
// second retransmission went without an answer.
TEST(WorldFeaturesTest, ASessionRefusedAtItsFirstMessageDoesNotSwallowTheNextDatagram) {
  LoadedScenario s;
  std::string error;
  ASSERT_TRUE(loadScenarioFile(std::string(DTLSIM_SOURCE_DIR) +
                                   "/scenarios/findings/"
                                   "005-gnutls-refuses-in-a-version-the-client-cannot-read.textproto",
                               &s, &error))
      << error;
  dtlsim::Trace t;
  ASSERT_TRUE(runScenario(s, RunOptions{}, &t, &error)) << error;
  long retransmissions = 0;
  for (const auto& e : t.events())
    if (e.kind() == dtlsim::TraceEvent::RETRANSMIT && e.endpoint() == "client") ++retransmissions;
  ASSERT_EQ(retransmissions, 9);
  // The ClientHello with the cookie and each of its 9 copies: verified and refused.
  EXPECT_EQ(countEvents(t, dtlsim::TraceEvent::VERIFIED, "server"), 10);
  EXPECT_EQ(countEvents(t, dtlsim::TraceEvent::ERROR, "server"), 10);
}

}  // namespace
}  // namespace scenarios
