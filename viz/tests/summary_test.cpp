// Tests of viz/model/summary.h: outcome, handshake durations, retransmissions, faults.
#include "model/summary.h"

#include <gtest/gtest.h>

#include "trace_fixtures.h"

namespace viz {
namespace {

// A noise sender never handshakes; the run's handshake duration still counts.
TEST(SummaryTest, NoiseSendersDoNotHideTheHandshakeDuration) {
  const dtlsim::Trace trace = testing::catalogTrace("hundred-clients-noise");
  ASSERT_TRUE(trace.outcome().passed());
  const Summary s = summarize(trace, buildTimeline(trace));
  EXPECT_TRUE(s.handshake_us.has_value());
}

TEST(SummaryTest, SmallTrace) {
  const dtlsim::Trace trace = testing::smallTrace();
  const Summary s = summarize(trace, buildTimeline(trace));
  EXPECT_FALSE(s.passed);
  EXPECT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.datagrams_sent, 7u);
  ASSERT_TRUE(s.handshake_us.has_value());
  EXPECT_EQ(*s.handshake_us, 1'020'000u);
  ASSERT_EQ(s.endpoints.size(), 2u);
  EXPECT_EQ(s.endpoints[0].name, "client");
  EXPECT_EQ(*s.endpoints[0].handshake_us, 1'020'000u);
  EXPECT_EQ(*s.endpoints[1].handshake_us, 1'000'000u);  // from the ClientHello's arrival
  EXPECT_EQ(s.endpoints[1].retransmissions, 1u);
  EXPECT_EQ(s.endpoints[1].timer_expiries, 1u);
  const std::map<std::string, int> faults = {{"corrupted", 1}, {"duplicated", 1},
                                             {"lost (rule)", 1}, {"reordered", 1},
                                             {"truncated", 1}};
  EXPECT_EQ(s.faults, faults);
}

TEST(SummaryTest, TextOfLostFinished) {
  const dtlsim::Trace trace = testing::catalogTrace("lost-finished");
  const std::string text = summaryText(summarize(trace, buildTimeline(trace)));
  EXPECT_NE(text.find("lost-finished  seed 1  PASSED"), std::string::npos) << text;
  EXPECT_NE(text.find("handshake 1060.000 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("client  HandshakeComplete  handshake 1060.000 ms  retx 1"),
            std::string::npos) << text;
  EXPECT_NE(text.find("faults: lost (rule) 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace viz
