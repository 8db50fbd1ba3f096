// DESIGN.md §3: the same seed gives the same run; a recorded run replays from its decisions.
#include <gtest/gtest.h>

#include <set>

#include "workload.h"

namespace simnet {
namespace {

using testing::runWorkload;

TEST(DeterminismTest, ThousandSeedsRunTwiceIdentically) {
  std::set<std::uint64_t> distinct;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const auto first = runWorkload(seed);
    const auto second = runWorkload(seed);
    ASSERT_EQ(first.hash, second.hash) << "seed " << seed;
    ASSERT_EQ(first.decisions, second.decisions) << "seed " << seed;
    ASSERT_GT(first.events, 100u) << "seed " << seed << ": workload should be busy";
    distinct.insert(first.hash);
  }
  EXPECT_EQ(distinct.size(), 1000u) << "different seeds must give different runs";
}

// The same seed gives the same event log in every build: these hashes were produced by the
// g++ 12 RelWithDebInfo build and must match clang, Debug and sanitizer builds.
TEST(DeterminismTest, GoldenEventLogHashes) {
  const auto h1 = runWorkload(1).hash;
  const auto h2 = runWorkload(2).hash;
  EXPECT_EQ(h1, 0x58fb4af75eaa0af4ull);
  EXPECT_EQ(h2, 0x20436e062c54da17ull);
}

TEST(DeterminismTest, WorkloadExercisesEveryFault) {
  NetworkStats total;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const NetworkStats s = runWorkload(seed).stats;
    total.duplicated += s.duplicated;
    total.corrupted += s.corrupted;
    total.truncated += s.truncated;
    total.reordered += s.reordered;
    for (int r = 0; r < kDropReasonCount; ++r) total.dropped[r] += s.dropped[r];
  }
  EXPECT_GT(total.duplicated, 0u);
  EXPECT_GT(total.corrupted, 0u);
  EXPECT_GT(total.truncated, 0u);
  EXPECT_GT(total.reordered, 0u);
  for (DropReason r : {DropReason::kLoss, DropReason::kBurst, DropReason::kMtu, DropReason::kQueue,
                       DropReason::kPartition, DropReason::kRule, DropReason::kRcvBuf}) {
    EXPECT_GT(total.dropped[static_cast<int>(r)], 0u) << toString(r);
  }
}

TEST(DeterminismTest, ReplayFromDecisionsReproducesTheLog) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const auto recorded = runWorkload(seed);
    ASSERT_FALSE(recorded.decisions.empty());
    const auto replayed = runWorkload(seed, &recorded.decisions);
    ASSERT_EQ(recorded.hash, replayed.hash) << "seed " << seed;
  }
}

TEST(DeterminismTest, EditedDecisionListStillRunsDeterministically) {
  auto recorded = runWorkload(7);
  // What a shrinker does: drop one decision and re-run, twice, expecting the same result.
  recorded.decisions.erase(recorded.decisions.begin());
  const auto a = runWorkload(7, &recorded.decisions);
  const auto b = runWorkload(7, &recorded.decisions);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_NE(a.hash, runWorkload(7).hash);
}

// Streams are keyed by path name: adding a host and traffic on a new path leaves the draws of
// an existing path unchanged.
TEST(DeterminismTest, AddingAHostDoesNotChangeOtherLinksDraws) {
  auto lossPattern = [](bool extra_host) {
    testing::Pair p(99);
    LinkModel m;
    m.loss_probability = 0.5;
    (void)p.net.setDefaultLink(m);
    SocketId sc = 0;
    if (extra_host) {
      (void)p.net.addHost("c", {testing::addr("10.0.0.3")});
      sc = p.net.bind(testing::addr("10.0.0.3"), 1).value();
    }
    std::vector<std::uint64_t> delivered;
    p.net.setReceiveCallback(p.sb, [&](SocketId s) {
      Datagram d;
      while (p.net.receive(s, d)) delivered.push_back(d.datagram_id);
    });
    for (int i = 0; i < 200; ++i) {
      if (extra_host) (void)p.net.sendTo(sc, Endpoint{p.b, 2000}, testing::bytesOf(1));
      p.sendAB(1);
    }
    p.net.run();
    return delivered;
  };
  const auto plain = lossPattern(false);
  const auto with_c = lossPattern(true);
  // With the extra host, a's datagrams have even ids (c sends first each round).
  std::vector<std::uint64_t> a_only;
  for (std::uint64_t id : with_c) {
    if (id % 2 == 0) a_only.push_back(id / 2);
  }
  EXPECT_EQ(plain, a_only);
}

}  // namespace
}  // namespace simnet
