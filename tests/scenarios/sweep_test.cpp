#include "scenarios/sweep.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace scenarios {
namespace {

const std::string kLossless = std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/lossless.textproto";

LoadedScenario loadLossless() {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(kLossless, &s, &error)) << error;
  return s;
}

std::string jsonLines(const std::vector<SeedResult>& results) {
  std::string out;
  for (const auto& r : results) out += seedResultJson(r) + "\n";
  return out;
}

std::vector<SeedResult> sweep(const LoadedScenario& s, SeedRange range, Shard shard,
                              unsigned jobs) {
  SweepOptions options;
  options.seeds = range;
  options.shard = shard;
  options.jobs = jobs;
  std::vector<SeedResult> results;
  std::string error;
  EXPECT_TRUE(runSweep(s, options, &results, &error)) << error;
  return results;
}

TEST(SweepTest, ParsesSeedRanges) {
  SeedRange r;
  std::string error;
  ASSERT_TRUE(parseSeedRange("1..20", &r, &error)) << error;
  EXPECT_EQ(r.first, 1u);
  EXPECT_EQ(r.last, 20u);
  ASSERT_TRUE(parseSeedRange("7..7", &r, &error));
  EXPECT_EQ(r.first, 7u);
  ASSERT_TRUE(parseSeedRange("0..18446744073709551615", &r, &error));
  EXPECT_EQ(r.last, UINT64_MAX);
  for (const char* bad : {"", "1", "1..", "..2", "a..b", "1...2", "-1..2", "1..2x", " 1..2",
                          "0..18446744073709551616"}) {
    EXPECT_FALSE(parseSeedRange(bad, &r, &error)) << bad;
    EXPECT_EQ(error, "'" + std::string(bad) + "' is not a seed range (A..B)");
  }
  EXPECT_FALSE(parseSeedRange("5..4", &r, &error));
  EXPECT_EQ(error, "'5..4': A is greater than B");
}

TEST(SweepTest, ParsesShards) {
  Shard s;
  std::string error;
  ASSERT_TRUE(parseShard("2/4", &s, &error)) << error;
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 4u);
  for (const char* bad : {"", "1", "1/", "/2", "1/0", "x/2"}) {
    EXPECT_FALSE(parseShard(bad, &s, &error)) << bad;
    EXPECT_EQ(error, "'" + std::string(bad) + "' is not a shard (K/N, 1-based)");
  }
  EXPECT_FALSE(parseShard("0/2", &s, &error));
  EXPECT_EQ(error, "'0/2': K must be in 1..N");
  EXPECT_FALSE(parseShard("3/2", &s, &error));
}

TEST(SweepTest, ShardsPartitionTheRange) {
  const SeedRange range{5, 24};
  std::vector<std::uint64_t> all;
  for (std::uint64_t k = 1; k <= 3; ++k) {
    const auto seeds = shardSeeds(range, {k, 3});
    EXPECT_EQ(seeds.size(), shardSeedCount(range, {k, 3}));
    for (const std::uint64_t s : seeds) EXPECT_EQ((s - range.first) % 3, k - 1);
    all.insert(all.end(), seeds.begin(), seeds.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::uint64_t> expected;
  for (std::uint64_t s = 5; s <= 24; ++s) expected.push_back(s);
  EXPECT_EQ(all, expected);
  EXPECT_EQ(shardSeeds({1, 1}, {2, 2}).size(), 0u);
  EXPECT_EQ(shardSeedCount({0, UINT64_MAX}, {1, 1}), UINT64_MAX);
  EXPECT_EQ(shardSeedCount({0, UINT64_MAX}, {2, 2}), std::uint64_t{1} << 63);
  EXPECT_EQ(shardSeeds({UINT64_MAX - 2, UINT64_MAX}, {3, 3}),
            std::vector<std::uint64_t>{UINT64_MAX});
}

TEST(SweepTest, NearestRankPercentiles) {
  const std::vector<std::uint64_t> tens{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  EXPECT_EQ(percentile(tens, 50), 50u);
  EXPECT_EQ(percentile(tens, 90), 90u);
  EXPECT_EQ(percentile(tens, 99), 100u);
  EXPECT_EQ(percentile(tens, 100), 100u);
  EXPECT_EQ(percentile(tens, 1), 10u);
  std::vector<std::uint64_t> hundred;
  for (std::uint64_t i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(percentile(hundred, 50), 50u);
  EXPECT_EQ(percentile(hundred, 90), 90u);
  EXPECT_EQ(percentile(hundred, 99), 99u);
  EXPECT_EQ(percentile({7}, 50), 7u);
  EXPECT_EQ(percentile({7}, 99), 7u);
}

TEST(SweepTest, SummarizesAFixedSet) {
  std::vector<SeedResult> results(4);
  results[0] = {1, true, {}, 100, 0, 1000, {}, {}};
  results[1] = {2, false, {"client: expected at most 0 retransmissions, got 2", "second"}, 300, 2,
                2000, {}, {}};
  results[2] = {3, true, {}, 200, 0, 1000, {}, {}};
  results[3] = {4, false, {"client: never"}, std::nullopt, 5, 3000, {}, {}};
  const SweepSummary s = summarize(results);
  EXPECT_EQ(s.runs, 4u);
  EXPECT_EQ(s.passed, 2u);
  EXPECT_EQ(s.failed, 2u);
  EXPECT_EQ(s.handshakes, 3u);
  EXPECT_EQ(s.handshake_p50_us, 200u);
  EXPECT_EQ(s.handshake_p90_us, 300u);
  EXPECT_EQ(s.handshake_max_us, 300u);
  EXPECT_EQ(s.retransmissions_histogram,
            (std::map<std::uint64_t, std::uint64_t>{{0, 2}, {2, 1}, {5, 1}}));
  ASSERT_EQ(s.failing.size(), 2u);
  EXPECT_EQ(s.failing[0]->seed, 2u);
  const std::string text = formatSummaryText(s, "x.textproto");
  EXPECT_NE(text.find("runs 4: 2 passed, 2 failed"), std::string::npos) << text;
  EXPECT_NE(text.find("p50 0.200 ms  p90 0.300 ms  p99 0.300 ms  max 0.300 ms"), std::string::npos)
      << text;
  EXPECT_NE(text.find("seed 2: client: expected at most 0 retransmissions, got 2 (+1 more)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("reproduce: dtlsim run x.textproto --seed 4"), std::string::npos) << text;
  EXPECT_EQ(seedResultJson(results[3]),
            "{\"type\":\"seed\",\"seed\":4,\"passed\":false,\"failures\":[\"client: never\"],"
            "\"handshake_us\":null,\"retransmissions\":5,\"end_time_us\":3000}");
  EXPECT_EQ(summaryJson(s, "x.textproto", {1, 4}, {1, 1}, " --swarm"),
            "{\"type\":\"summary\",\"scenario\":\"x.textproto\",\"seeds\":\"1..4\",\"shard\":"
            "\"1/1\",\"run_flags\":\" --swarm\",\"runs\":4,\"passed\":2,\"failed\":2,\"handshakes\":3,\"handshake_us\":{"
            "\"p50\":200,\"p90\":300,\"p99\":300,\"max\":300},\"retransmissions_histogram\":{"
            "\"0\":2,\"2\":1,\"5\":1},\"failing_seeds\":[2,4]}");
}

TEST(SweepTest, EscapesJsonStrings) {
  EXPECT_EQ(jsonString("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(SweepTest, SummaryDoesNotDependOnJobs) {
  const LoadedScenario s = loadLossless();
  const auto one = sweep(s, {1, 20}, {1, 1}, 1);
  const auto two = sweep(s, {1, 20}, {1, 1}, 2);
  ASSERT_EQ(one.size(), 20u);
  EXPECT_EQ(jsonLines(one), jsonLines(two));
  EXPECT_EQ(formatSummaryText(summarize(one), "l"), formatSummaryText(summarize(two), "l"));
  const SweepSummary summary = summarize(one);
  EXPECT_EQ(summary.passed, 20u) << formatSummaryText(summary, "l");
  EXPECT_EQ(summary.handshakes, 20u);
  EXPECT_GT(summary.handshake_p50_us, 0u);
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].seed, i + 1);
}

TEST(SweepTest, ShardsTogetherGiveTheWholeSweep) {
  const LoadedScenario s = loadLossless();
  const auto all = sweep(s, {1, 20}, {1, 1}, 2);
  auto merged = sweep(s, {1, 20}, {1, 2}, 2);
  const auto second = sweep(s, {1, 20}, {2, 2}, 1);
  EXPECT_EQ(merged.size(), 10u);
  EXPECT_EQ(second.size(), 10u);
  merged.insert(merged.end(), second.begin(), second.end());
  std::sort(merged.begin(), merged.end(),
            [](const SeedResult& a, const SeedResult& b) { return a.seed < b.seed; });
  EXPECT_EQ(jsonLines(merged), jsonLines(all));
}

TEST(SweepTest, ReportsProgressForEverySeed) {
  const LoadedScenario s = loadLossless();
  SweepOptions options;
  options.seeds = {1, 4};
  options.jobs = 2;
  std::vector<std::uint64_t> done;
  options.progress = [&](std::uint64_t d, std::uint64_t total) {
    EXPECT_EQ(total, 4u);
    done.push_back(d);
  };
  std::vector<SeedResult> results;
  std::string error;
  ASSERT_TRUE(runSweep(s, options, &results, &error)) << error;
  EXPECT_EQ(done, (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

TEST(SweepTest, RefusesBadOptions) {
  const LoadedScenario s = loadLossless();
  SweepOptions options;
  options.seeds = {1, 2};
  options.jobs = 0;
  std::vector<SeedResult> results;
  std::string error;
  EXPECT_FALSE(runSweep(s, options, &results, &error));
  EXPECT_EQ(error, "jobs must be in 1..256, got 0");
  options.jobs = 1;
  options.seeds = {0, kMaxSweepSeeds};
  EXPECT_FALSE(runSweep(s, options, &results, &error));
  EXPECT_NE(error.find("more than the bound"), std::string::npos) << error;
}

}  // namespace
}  // namespace scenarios
