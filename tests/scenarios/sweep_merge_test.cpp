// scenarios/sweep_merge.h over shard outputs built here: the merge equals the one-process
// report, and every way shards can be wrong is an error that says where.
#include "scenarios/sweep_merge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace scenarios {
namespace {

SeedResult result(std::uint64_t seed) {
  SeedResult r;
  r.seed = seed;
  r.passed = seed % 3 != 0;  // 3, 6, 9 fail
  if (!r.passed) r.failures = {"client: seed " + std::to_string(seed) + " \"failed\""};
  if (seed % 4 != 0) r.handshake_us = 1000 * seed;
  r.retransmissions = seed % 5;
  r.end_time_us = 2'000'000 + seed;
  if (seed == 5) r.swarm_draw = "loss 0.1, pair openssl/gnutls";
  return r;
}

std::vector<SeedResult> results(std::uint64_t first, std::uint64_t last, Shard shard = {}) {
  std::vector<SeedResult> out;
  for (std::uint64_t s = first; s <= last; ++s)
    if ((s - first) % shard.count == shard.index - 1) out.push_back(result(s));
  return out;
}

constexpr char kFlags[] = " --swarm --backends openssl,gnutls";

// What `dtlsim sweep x.textproto --seeds 1..10 --shard K/N --json` would print.
std::string shardText(Shard shard, std::uint64_t first = 1, std::uint64_t last = 10) {
  return sweepReport(results(first, last, shard), "x.textproto", {first, last}, shard, kFlags,
                     true);
}

bool parse(const std::string& text, const std::string& file, ShardOutput* out,
           std::string* error) {
  return parseShardOutput(text, file, out, error);
}

TEST(SweepMergeTest, FourShardsMergeToTheOneProcessReportByteForByte) {
  std::vector<ShardOutput> outputs(4);
  std::string error;
  for (std::uint64_t k = 1; k <= 4; ++k)
    ASSERT_TRUE(parse(shardText({k, 4}), "shard" + std::to_string(k), &outputs[k - 1], &error))
        << error;
  MergedSweep merged;
  ASSERT_TRUE(mergeShardOutputs(outputs, &merged, &error)) << error;
  for (const bool json : {false, true}) {
    EXPECT_EQ(sweepReport(merged.results, merged.scenario, merged.range, {}, merged.run_flags,
                          json),
              sweepReport(results(1, 10), "x.textproto", {1, 10}, {}, kFlags, json));
  }
}

TEST(SweepMergeTest, SeveralShardsInOneFileAndSixtyFourBitSeedsStayExact) {
  // Seeds above 2^53 would be rounded by a reader that takes JSON numbers as doubles.
  const std::uint64_t first = (1ULL << 60) + 1;
  const std::string both = shardText({1, 2}, first, first + 5) + "\n" +
                           shardText({2, 2}, first, first + 5);
  ShardOutput out;
  std::string error;
  ASSERT_TRUE(parse(both, "both.jsonl", &out, &error)) << error;
  ASSERT_EQ(out.runs.size(), 2u);
  MergedSweep merged;
  ASSERT_TRUE(mergeShardOutputs({out}, &merged, &error)) << error;
  ASSERT_EQ(merged.results.size(), 6u);
  EXPECT_EQ(merged.results.back().seed, first + 5);
}

TEST(SweepMergeTest, AMissingShardNamesTheShardAndItsSeeds) {
  std::vector<ShardOutput> outputs(3);
  std::string error;
  for (std::uint64_t k : {1, 2, 4})
    ASSERT_TRUE(parse(shardText({k, 4}), "s" + std::to_string(k), &outputs[k == 4 ? 2 : k - 1],
                      &error));
  MergedSweep merged;
  EXPECT_FALSE(mergeShardOutputs(outputs, &merged, &error));
  EXPECT_EQ(error, "2 of seeds 1..10 missing: 3, 7; no output of shard 3/4");
}

TEST(SweepMergeTest, ASeedGivenTwiceIsNamedWithBothPlaces) {
  std::vector<ShardOutput> outputs(3);
  std::string error;
  ASSERT_TRUE(parse(shardText({1, 2}), "a.jsonl", &outputs[0], &error));
  ASSERT_TRUE(parse(shardText({2, 2}), "b.jsonl", &outputs[1], &error));
  ASSERT_TRUE(parse(shardText({2, 2}), "c.jsonl", &outputs[2], &error));
  MergedSweep merged;
  EXPECT_FALSE(mergeShardOutputs(outputs, &merged, &error));
  EXPECT_EQ(error, "c.jsonl:1: seed 2 listed twice (also at b.jsonl:1)");
}

TEST(SweepMergeTest, ShardsOfAnotherSweepAreRefused) {
  std::string error;
  std::vector<ShardOutput> outputs(2);
  ASSERT_TRUE(parse(shardText({1, 2}), "a.jsonl", &outputs[0], &error));
  const std::string other =
      sweepReport(results(1, 10, {2, 2}), "x.textproto", {1, 10}, {2, 2}, "", true);
  ASSERT_TRUE(parse(other, "b.jsonl", &outputs[1], &error));
  MergedSweep merged;
  EXPECT_FALSE(mergeShardOutputs(outputs, &merged, &error));
  EXPECT_EQ(error, "b.jsonl:6: a shard of another sweep: run flags '', but '" +
                       std::string(kFlags) + "' at a.jsonl:6");
}

TEST(SweepMergeTest, ASeedOutsideItsShardIsRefused) {
  std::string text = shardText({1, 2});
  const auto at = text.find("\"seed\":1,");
  text.replace(at, 9, "\"seed\":2,");
  ShardOutput out;
  std::string error;
  ASSERT_TRUE(parse(text, "a.jsonl", &out, &error)) << error;
  MergedSweep merged;
  EXPECT_FALSE(mergeShardOutputs({out}, &merged, &error));
  EXPECT_EQ(error, "a.jsonl:1: seed 2 is not in shard 1/2 of seeds 1..10");
}

TEST(SweepMergeTest, BadLinesSayFileLineAndWhat) {
  ShardOutput out;
  std::string error;
  EXPECT_FALSE(parse("{\"type\":\"seed\",\"seed\":1,\n", "f", &out, &error));
  EXPECT_EQ(error.rfind("f:1:", 0), 0u) << error;
  EXPECT_NE(error.find("not JSON"), std::string::npos) << error;

  EXPECT_FALSE(parse("\n[1,2]\n", "f", &out, &error));
  EXPECT_EQ(error, "f:2: not a sweep line (a JSON object with a \"type\")");

  EXPECT_FALSE(parse("{\"type\":\"row\"}\n", "f", &out, &error));
  EXPECT_EQ(error, "f:1: unknown line type \"row\" (expected \"seed\" or \"summary\")");

  EXPECT_FALSE(parse("{\"type\":\"seed\",\"seed\":-1}\n", "f", &out, &error));
  EXPECT_EQ(error, "f:1: seed line: \"seed\" is not a non-negative integer");

  // A shard cut off before its summary (the process was killed).
  std::string text = shardText({1, 2});
  text = text.substr(0, text.rfind("{\"type\":\"summary\""));
  EXPECT_FALSE(parse(text, "f", &out, &error));
  EXPECT_EQ(error, "f:1: 5 seed lines with no summary line after them (an unfinished shard?)");

  // A seed line removed: the summary no longer matches.
  text = shardText({1, 2});
  text = text.substr(text.find('\n') + 1);
  EXPECT_FALSE(parse(text, "f", &out, &error));
  EXPECT_EQ(error.rfind("f:5: summary line: the summary counts runs 5,", 0), 0u) << error;

  EXPECT_FALSE(parse("", "f", &out, &error));
  EXPECT_EQ(error, "f: no summary line: not the output of `dtlsim sweep --json`");
}

}  // namespace
}  // namespace scenarios
