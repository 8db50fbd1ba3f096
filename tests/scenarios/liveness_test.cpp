// Scenario.liveness: from faults_stop_ms on the network is clean; every handshake must then end
// within the bound and every payload sent on an established association must arrive, or the
// run fails naming what stalled.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "support/scenario_text.h"
#include "scenarios/scenario_file.h"

namespace scenarios {
namespace {

const std::string kPsk =
    "dtls { ciphers: \"PSK-AES128-GCM-SHA256\" "
    "psk { identity: \"sensor\" key_hex: \"000102030405060708090a0b0c0d0e0f\" } }";

std::string world(const std::string& link, const std::string& client_extra,
                  const std::string& rest) {
  return "name: \"liveness\"\nmax_virtual_time_ms: 200000\n"
         "network { default_link { latency_us: 10000 " + link + " } }\n"
         "endpoints { name: \"server\" role: SERVER address: \"10.0.0.1\" port: 4433 " + kPsk +
         " }\n"
         "endpoints { name: \"client\" role: CLIENT address: \"10.0.0.2\" server: \"server\" " +
         client_extra + " " + kPsk + " }\n" + rest;
}

dtlsim::Trace run(const std::string& text) { return test::runScenarioText(text); }

const dtlsim::EndpointOutcome& outcomeOf(const dtlsim::Trace& t, const std::string& name) {
  for (const auto& e : t.outcome().endpoints())
    if (e.name() == name) return e;
  ADD_FAILURE() << "no endpoint " << name;
  return t.outcome().endpoints(0);
}

TEST(LivenessTest, AHandshakeThatLostEverythingCompletesOnceTheFaultsStop) {
  // Every datagram is lost until 10 s; the client's retransmission at 15 s gets through.
  const dtlsim::Trace t =
      run(world("loss_probability: 1.0", "", "liveness { faults_stop_ms: 10000 }\n"));
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  const dtlsim::EndpointOutcome& client = outcomeOf(t, "client");
  ASSERT_TRUE(client.has_handshake_done_us());
  EXPECT_GT(client.handshake_done_us(), 10'000'000u);
  EXPECT_LT(client.handshake_done_us(), 16'000'000u);
  // The ClientHello and its copies at 1, 3 and 7 s were lost; nothing sent after 10 s was.
  EXPECT_EQ(client.retransmissions(), 4u);
  EXPECT_EQ(t.outcome().datagrams_dropped(), 4u);
}

TEST(LivenessTest, AClientThatIgnoresItsTimerIsAStallNamingItsStateAndTimer) {
  // Its ClientHello is lost and it never retransmits (ignore_timeouts): after the faults stop
  // nothing can move it.
  const dtlsim::Trace t = run(world("loss_probability: 1.0", "ignore_timeouts: true",
                                    "liveness { faults_stop_ms: 5000 bound_ms: 60000 }\n"));
  ASSERT_FALSE(t.outcome().passed());
  ASSERT_EQ(t.outcome().failures_size(), 1) << t.outcome().DebugString();
  EXPECT_EQ(t.outcome().failures(0),
            "invariant: stall: client still in HandshakeInProgress at t=65000.000 ms, 60000 ms "
            "after the faults stopped (no DTLS timer pending)");
}

TEST(LivenessTest, AStallWithAPendingTimerSaysWhenItIsDue) {
  // A bound shorter than the client's backed-off timer (1, 2, 4, 8 s: the retransmission due at
  // 15 s) catches it still waiting.
  const dtlsim::Trace t = run(world("loss_probability: 1.0", "",
                                    "liveness { faults_stop_ms: 8000 bound_ms: 2000 }\n"));
  ASSERT_FALSE(t.outcome().passed());
  ASSERT_GE(t.outcome().failures_size(), 1);
  EXPECT_EQ(t.outcome().failures(0),
            "invariant: stall: client still in HandshakeInProgress at t=10000.000 ms, 2000 ms "
            "after the faults stopped (its next DTLS timer due at t=15000.000 ms)");
}

TEST(LivenessTest, APayloadSentAfterTheFaultsStopMustArrive) {
  // The path's MTU stays after the faults stop (it is the path, not a fault), and it drops a
  // datagram over 576 bytes without telling the sender: the client's 1000-byte payloads, sent on
  // its established association, never reach the server.
  const dtlsim::Trace t =
      run(world("mtu_bytes: 576", "",
                "liveness { faults_stop_ms: 1000 bound_ms: 1000 }\n"
                "actions { at_ms: 1500 endpoint: \"client\" send { size_bytes: 1000 count: 2 "
                "interval_ms: 10 } }\n"
                "actions { at_ms: 1600 endpoint: \"client\" send { payload: \"fits\" } }\n"));
  ASSERT_FALSE(t.outcome().passed());
  ASSERT_EQ(t.outcome().failures_size(), 2) << t.outcome().DebugString();
  for (const std::string& f : t.outcome().failures())
    EXPECT_EQ(f, "invariant: 1 copy of a 1000-byte payload sent after the faults stopped never "
                 "reached server");
  EXPECT_EQ(outcomeOf(t, "server").delivered_size(), 1);  // "fits"
}

TEST(LivenessTest, PayloadsSentAfterTheFaultsStopThatArriveAreNoFailure) {
  const dtlsim::Trace t =
      run(world("loss_probability: 0.5", "",
                "liveness { faults_stop_ms: 30000 bound_ms: 130000 }\n"
                "actions { at_ms: 40000 endpoint: \"client\" send { payload: \"late\" count: 3 "
                "interval_ms: 10 } }\n"));
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  EXPECT_EQ(outcomeOf(t, "server").delivered_size(), 3);
  EXPECT_EQ(outcomeOf(t, "client").delivered_size(), 3);  // the echoes
}

TEST(LivenessTest, AnEndpointWhosePeerGaveUpIsNoStall) {
  // The client aborts at 35 ms, after the server took its cookie (30 ms) and began its flight:
  // the server, told nothing, retransmits until its own limit (483 s), long after the bound.
  // That is the right behaviour, not a stall; the client's abort is what a story would judge.
  const dtlsim::Trace t =
      run(world("", "",
                "liveness { faults_stop_ms: 1000 bound_ms: 60000 }\n"
                "actions { at_ms: 35 endpoint: \"client\" abort {} }\n"));
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  EXPECT_EQ(outcomeOf(t, "server").final_state(), "HandshakeInProgress");
}

TEST(LivenessTest, AStallThatThePeersKnownDeviationExplainsIsExcusedWithItsFinding) {
  // Finding 007: the wolfSSL server completes, its last flight is lost, and it never answers the
  // client's retransmissions. After the faults stop the client is still stuck: a stall, which
  // the server library's known last-flight-answered deviation explains.
  LoadedScenario s;
  std::string error;
  ASSERT_TRUE(loadScenarioFile(std::string(DTLSIM_SOURCE_DIR) +
                                   "/scenarios/findings/"
                                   "007-wolfssl-ignores-the-retransmitted-last-flight.textproto",
                               &s, &error))
      << error;
  s.scenario.clear_expectations();
  s.scenario.set_max_virtual_time_ms(200'000);
  s.scenario.mutable_liveness()->set_faults_stop_ms(10'000);
  s.scenario.mutable_liveness()->set_bound_ms(60'000);
  dtlsim::Trace t;
  ASSERT_TRUE(runScenario(s, {}, &t, &error)) << error;
  for (const std::string& f : t.outcome().failures())
    EXPECT_EQ(f.find("stall"), std::string::npos) << f;
  bool excused = false;
  for (const std::string& e : t.outcome().excused())
    excused = excused || (e.find("invariant: stall: client still in HandshakeInProgress") == 0 &&
                          e.find("its peer server (wolfSSL 5.5.4) completed: finding 007") !=
                              std::string::npos);
  EXPECT_TRUE(excused) << t.outcome().DebugString();
}

TEST(LivenessTest, AStallWithUnansweredInputAfterTheFaultsStopIsNotExcusedByASilentTimer) {
  // Finding 017: the GnuTLS server's timer expires in silence (finding 002, excused), but after
  // the faults stopped it receives the client's whole final flight again and again and never
  // answers it (an 11-byte datagram had wedged its record reader). Its silent timer does not
  // explain that, so both stalls are failures.
  LoadedScenario s;
  std::string error;
  ASSERT_TRUE(loadScenarioFile(std::string(DTLSIM_SOURCE_DIR) +
                                   "/scenarios/findings/"
                                   "017-gnutls-server-ignores-the-whole-final-flight-after-a-split-one.textproto",
                               &s, &error))
      << error;
  dtlsim::Trace t;
  ASSERT_TRUE(runScenario(s, {}, &t, &error)) << error;
  EXPECT_FALSE(t.outcome().passed());
  bool server_stall = false;
  for (const std::string& f : t.outcome().failures())
    server_stall = server_stall || f.rfind("invariant: stall: server", 0) == 0;
  EXPECT_TRUE(server_stall) << t.outcome().DebugString();
  for (const std::string& e : t.outcome().excused())
    EXPECT_EQ(e.find("invariant: stall"), std::string::npos) << e;
}

// Loads a scenario file of the source tree, or fails the test.
dtlsim::Trace runFile(const std::string& path) {
  LoadedScenario s;
  std::string error;
  dtlsim::Trace t;
  EXPECT_TRUE(loadScenarioFile(std::string(DTLSIM_SOURCE_DIR) + "/" + path, &s, &error)) << error;
  EXPECT_TRUE(runScenario(s, {}, &t, &error)) << error;
  return t;
}

TEST(LivenessTest, AStallAfterDamageMadeTheKeysDifferIsExcusedWithTheReason) {
  // One flipped bit in the server's Certificate goes into the client's transcript: the two
  // sides derive different master secrets and drop each other's Finished silently (RFC 6347
  // §4.1.2.7) until they give up, long after the bound. The protocol working as specified.
  const dtlsim::Trace t =
      runFile("tests/scenarios/repro/damaged-certificate-makes-the-keys-differ.textproto");
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  int excused = 0;
  for (const std::string& e : t.outcome().excused())
    if (e.rfind("invariant: stall: ", 0) == 0) {
      ++excused;
      EXPECT_NE(e.find("[a damaged datagram reached client at t=40.000 ms and the two sides "
                       "derived different master secrets (client random "),
                std::string::npos)
          << e;
    }
  EXPECT_EQ(excused, 2) << t.outcome().DebugString();
  // Both sides logged their own secret although neither completed.
  EXPECT_EQ(t.keylog_lines_size(), 2);
}

TEST(LivenessTest, TheBoundMustEndBeforeTheRun) {
  LoadedScenario s;
  std::string error;
  EXPECT_FALSE(parseScenarioText(world("", "", "liveness { faults_stop_ms: 100000 }\n"),
                                 "liveness", ".", &s, &error));
  EXPECT_NE(error.find("liveness: faults_stop_ms 100000 + bound 130000 ms is after the end of "
                       "the run (max_virtual_time_ms 200000)"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.rfind("liveness:", 0), 0u) << error;
}

}  // namespace
}  // namespace scenarios
