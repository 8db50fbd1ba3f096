// A world whose virtual time stops advancing ends at once as a livelock (simnet::RunStop::
// kLivelock), with a failure that says when and what kept running, instead of spinning until
// the 20,000,000-event bound. The spinning part here is an endpoint's deliberately broken DTLS
// timer service (broken_timer_below_ms), as a buggy event loop would be; every backend's
// retransmission timer goes through it.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "support/scenario_text.h"
#include "simnet/scheduler.h"
#include "support/backend_param.h"

namespace scenarios {
namespace {

std::string scenarioText(const std::string& backend, std::uint32_t client_broken_below_ms,
                         std::uint32_t server_broken_below_ms) {
  const std::string dtls = "dtls { backend: \"" + backend +
                           "\" ciphers: \"PSK-AES128-GCM-SHA256:PSK-CHACHA20-POLY1305\" "
                           "psk { identity: \"sensor\" key_hex: \"000102030405060708090a0b0c0d0e0f\" } }";
  return "name: \"broken-timer\"\n"
         "network { default_link { latency_us: 10000 } }\n"
         "endpoints { name: \"server\" role: SERVER address: \"10.0.0.1\" port: 4433 "
         "broken_timer_below_ms: " + std::to_string(server_broken_below_ms) + " " + dtls + " }\n"
         "endpoints { name: \"client\" role: CLIENT address: \"10.0.0.2\" server: \"server\" "
         "start_ms: 5 broken_timer_below_ms: " + std::to_string(client_broken_below_ms) + " " +
         dtls + " }\n";
}

dtlsim::Trace run(const std::string& text) { return test::runScenarioText(text); }

const std::string kBound = std::to_string(simnet::kDefaultMaxEventsPerInstant +
                                          simnet::kLivelockSampleEvents);
const std::string kSample = std::to_string(simnet::kLivelockSampleEvents);

class LivelockTest : public dtls::test::BackendTest {};

TEST_P(LivelockTest, AClientTimerThatReArmsAtZeroDelayEndsTheRunAtOnce) {
  const dtlsim::Trace t = run(scenarioText(GetParam(), 2000, 0));
  ASSERT_FALSE(t.outcome().passed());
  ASSERT_EQ(t.outcome().failures_size(), 1) << t.outcome().DebugString();
  // The client's first flight goes out at 5 ms and its 1 s timer spins there.
  EXPECT_EQ(t.outcome().failures(0),
            "invariant: livelock at t=5.000 ms: " + kBound +
                " events without time advancing (what kept running: client's DTLS timer " +
                kSample + " of the last " + kSample + " events)");
  EXPECT_EQ(t.outcome().end_time_us(), 5000u);
}

TEST_P(LivelockTest, AServerTimerSpinsWhenItsFlightGoesOut) {
  const dtlsim::Trace t = run(scenarioText(GetParam(), 0, 2000));
  ASSERT_FALSE(t.outcome().passed());
  ASSERT_GE(t.outcome().failures_size(), 1);
  const std::string& failure = t.outcome().failures(0);
  EXPECT_EQ(failure.rfind("invariant: livelock at t=", 0), 0u) << failure;
  EXPECT_NE(failure.find("(what kept running: server's DTLS timer " + kSample + " of the last"),
            std::string::npos)
      << failure;
}

TEST_P(LivelockTest, ATimerBrokenOnlyBelowAShorterDelayLeavesTheHandshakeAlone) {
  // The stacks' first timeout is 1 s: a timer broken below 1 ms never spins.
  const dtlsim::Trace t = run(scenarioText(GetParam(), 1, 1));
  EXPECT_TRUE(t.outcome().passed()) << t.outcome().DebugString();
  ASSERT_EQ(t.outcome().endpoints_size(), 2);
  for (const dtlsim::EndpointOutcome& e : t.outcome().endpoints())
    EXPECT_TRUE(e.has_handshake_done_us()) << e.name();
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(LivelockTest);

}  // namespace
}  // namespace scenarios
