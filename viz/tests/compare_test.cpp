// Tests of viz/model/compare.h: which datagrams correspond between two runs and where they part.
#include "model/compare.h"

#include <gtest/gtest.h>

#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "model/trace_source.h"
#include "trace_fixtures.h"

namespace viz {
namespace {

// lost-finished as written (its rule drops the client's final flight once), and without rules.
dtlsim::Trace lostFinished(bool with_rules) {
  scenarios::LoadedScenario loaded;
  std::string error;
  EXPECT_TRUE(scenarios::loadScenarioFile(testing::sourceDir() + "/scenarios/catalog/lost-finished.textproto",
                                          &loaded, &error))
      << error;
  if (!with_rules) loaded.scenario.mutable_network()->clear_rules();
  dtlsim::Trace trace;
  EXPECT_TRUE(scenarios::runScenario(loaded, {}, &trace, &error)) << error;
  return trace;
}

TEST(CompareTest, ARunAgainstItselfHasNoDifference) {
  const dtlsim::Trace trace = testing::catalogTrace("lost-finished");
  const Timeline t = buildTimeline(trace);
  const Comparison c = compareRuns(trace, t, trace, t);
  EXPECT_TRUE(c.same_seed);
  EXPECT_EQ(c.matched.size(), t.datagrams.size());
  EXPECT_TRUE(c.differences.empty());
  EXPECT_NE(c.summary("a", "b").find("no difference"), std::string::npos);
}

TEST(CompareTest, OneDropIsTheFirstDifference) {
  const dtlsim::Trace with = lostFinished(true);
  const dtlsim::Trace without = lostFinished(false);
  const Timeline a = buildTimeline(with);
  const Timeline b = buildTimeline(without);
  const Comparison c = compareRuns(with, a, without, b);
  ASSERT_FALSE(c.differences.empty());
  const Difference& first = c.differences.front();
  EXPECT_EQ(first.kind, Difference::Kind::Fate);
  ASSERT_GE(first.a, 0);
  ASSERT_GE(first.b, 0);
  const DatagramItem& lost = a.datagrams[static_cast<std::size_t>(first.a)];
  EXPECT_EQ(lost.fate, Fate::Dropped);
  EXPECT_EQ(lost.drop_reason, "rule");
  EXPECT_EQ(b.datagrams[static_cast<std::size_t>(first.b)].fate, Fate::Delivered);
  // Everything before it corresponds exactly, bytes included.
  for (const auto& [ia, ib] : c.matched) {
    if (a.datagrams[static_cast<std::size_t>(ia)].send_us >= lost.send_us) continue;
    EXPECT_EQ(a.datagrams[static_cast<std::size_t>(ia)].sent_bytes,
              b.datagrams[static_cast<std::size_t>(ib)].sent_bytes);
  }
  // Later: A retransmits what B never had to.
  bool retransmission_only_in_a = false;
  for (const Difference& d : c.differences)
    retransmission_only_in_a |= d.kind == Difference::Kind::OnlyInA &&
                                a.datagrams[static_cast<std::size_t>(d.a)].retransmission;
  EXPECT_TRUE(retransmission_only_in_a);
  const std::string text = c.summary("with the rule", "without");
  EXPECT_NE(text.find("first difference at " + std::string("40.000 ms (fate): client \u2192 server")),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lost (rule) in A, delivered after"), std::string::npos) << text;
}

TEST(CompareTest, TwoSeedsCompareStructureNotBytes) {
  const dtlsim::Trace one = testing::catalogTrace("lossless");
  std::string error;
  dtlsim::Trace two;
  ASSERT_TRUE(loadInput(testing::sourceDir() + "/scenarios/catalog/lossless.textproto", 99, &two, &error)) << error;
  const Timeline a = buildTimeline(one);
  const Timeline b = buildTimeline(two);
  const Comparison c = compareRuns(one, a, two, b);
  EXPECT_FALSE(c.same_seed);
  EXPECT_EQ(c.matched.size(), a.datagrams.size());
  for (const Difference& d : c.differences) EXPECT_NE(d.kind, Difference::Kind::Bytes) << d.text;
  EXPECT_NE(c.summary("1", "99").find("bytes not compared"), std::string::npos);
}

}  // namespace
}  // namespace viz
