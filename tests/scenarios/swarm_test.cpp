// Swarm testing: a seed's draw is a function of the seed alone, changes the faults, MTU, action
// times, backends and liveness phase, drops the story's expectations, and the run it gives is
// byte-identical each time.
#include "scenarios/swarm.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"

namespace scenarios {
namespace {

const std::vector<std::string> kAllBackends = {"openssl", "mbedtls", "gnutls", "wolfssl"};

LoadedScenario story(const std::string& name) {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/" + name +
                                   ".textproto",
                               &s, &error))
      << error;
  return s;
}

// `dtlsim run scenarios/catalog/<name>.textproto --seed <seed> --swarm --backends <all four>`.
dtlsim::Trace swarmRun(const std::string& name, std::uint64_t seed) {
  const LoadedScenario s = story(name);
  SwarmOptions options;
  options.backends = kAllBackends;
  RunOptions run;
  run.seed = seed;
  run.swarm = &options;
  dtlsim::Trace t;
  std::string error;
  EXPECT_TRUE(runScenario(s, run, &t, &error)) << error;
  return t;
}

TEST(SwarmTest, TheDrawDependsOnTheSeedAloneAndVariesAcrossSeeds) {
  SwarmOptions options;
  options.backends = kAllBackends;
  std::set<std::string> draws, pairs;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    LoadedScenario a = story("lossy-30-percent-with-data"), b = story("lossy-30-percent-with-data");
    std::string draw_a, draw_b, error;
    ASSERT_TRUE(applySwarm(options, seed, &a, &draw_a, &error)) << error;
    ASSERT_TRUE(applySwarm(options, seed, &b, &draw_b, &error)) << error;
    EXPECT_EQ(draw_a, draw_b);
    EXPECT_EQ(a.scenario.SerializeAsString(), b.scenario.SerializeAsString());
    EXPECT_TRUE(a.scenario.expectations().empty()) << "a swarm run keeps no story expectation";
    EXPECT_GT(a.scenario.liveness().faults_stop_ms(), 0u);
    EXPECT_GE(maxVirtualTimeUs(a.scenario) / 1000,
              static_cast<std::int64_t>(a.scenario.liveness().faults_stop_ms() +
                                        livenessBoundMs(a.scenario.liveness())));
    // Debian's wolfSSL always fits 1400-byte datagrams: no draw puts it behind a smaller MTU.
    bool wolfssl = false;
    for (const auto& e : a.scenario.endpoints()) wolfssl = wolfssl || e.dtls().backend() == "wolfssl";
    if (wolfssl && a.scenario.network().default_link().mtu_bytes() != 0) {
      EXPECT_GE(a.scenario.network().default_link().mtu_bytes(), 1400u) << draw_a;
    }
    draws.insert(draw_a);
    pairs.insert(draw_a.substr(draw_a.rfind("pair ")));
  }
  EXPECT_EQ(draws.size(), 60u) << "60 seeds, 60 different draws";
  EXPECT_EQ(pairs.size(), 16u) << "every client x server pair drawn";
}

TEST(SwarmTest, ARunUnderTheSameSeedIsByteIdenticalAndRecordsItsDraw) {
  const LoadedScenario s = story("lossy-30-percent-with-data");
  SwarmOptions options;
  options.backends = {"openssl", "gnutls"};
  RunOptions run;
  run.seed = 7;
  run.swarm = &options;
  dtlsim::Trace first, second, plain;
  std::string error;
  ASSERT_TRUE(runScenario(s, run, &first, &error)) << error;
  ASSERT_TRUE(runScenario(s, run, &second, &error)) << error;
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_FALSE(first.outcome().swarm_draw().empty());
  EXPECT_NE(first.outcome().swarm_draw().find("faults stop at"), std::string::npos);
  // The trace holds the scenario as run: its liveness phase is the draw's.
  EXPECT_GT(first.scenario().liveness().faults_stop_ms(), 0u);
  run.swarm = nullptr;
  ASSERT_TRUE(runScenario(s, run, &plain, &error)) << error;
  EXPECT_TRUE(plain.outcome().swarm_draw().empty());
  EXPECT_NE(plain.SerializeAsString(), first.SerializeAsString());
}

// A seed of the hunt (lossless --swarm, seed 6672, gnutls/openssl): the GnuTLS client's timer
// expires twelve times without a retransmission (finding 002) and it is still in its handshake
// when the liveness bound comes. The stall is its own known deviation's doing: excused, with it.
TEST(SwarmTest, AStallThatTheEndpointsOwnKnownDeviationCausesIsExcused) {
  const dtlsim::Trace t = swarmRun("lossless", 6672);
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  bool stall = false;
  for (const std::string& e : t.outcome().excused())
    stall = stall || (e.rfind("invariant: stall: client", 0) == 0 &&
                      e.find("its own timer expired without a retransmission: finding 002") !=
                          std::string::npos);
  EXPECT_TRUE(stall) << t.outcome().DebugString();
}

// A seed of the hunt (session-resumption --swarm, seed 117, openssl/openssl): the server's first
// handshake with the client is still going (its flight lost) when the client restarts on the
// same port. The server must take the new ClientHello (another random) for a new association
// after its cookie, and stop the old handshake's retransmissions; it used to hand the hello to
// the old handshake's stack, which ignored it, and both sides stalled.
TEST(SwarmTest, AClientThatRestartsDuringItsHandshakeGetsANewAssociation) {
  const dtlsim::Trace t = swarmRun("session-resumption", 117);
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  bool noted = false;
  for (const auto& e : t.events())
    noted = noted || e.detail().find("new ClientHello on an association still in its "
                                     "handshake") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(SwarmTest, AnUnknownBackendIsAnError) {
  LoadedScenario s = story("lossy-30-percent-with-data");
  SwarmOptions options;
  options.backends = {"nosuchtls"};
  std::string draw, error;
  // The pair is drawn from the list whatever the seed, so every seed trips on it.
  EXPECT_FALSE(applySwarm(options, 1, &s, &draw, &error));
  EXPECT_NE(error.find("nosuchtls"), std::string::npos) << error;
}

}  // namespace
}  // namespace scenarios
