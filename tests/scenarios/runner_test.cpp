#include "scenarios/runner.h"

#include <gtest/gtest.h>

#include "scenarios/trace_io.h"

namespace scenarios {
namespace {

const std::string kCatalog = std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/";

LoadedScenario load(const std::string& name) {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(kCatalog + name, &s, &error)) << error;
  return s;
}

std::string serialized(const dtlsim::Trace& trace) {
  std::string bytes, error;
  EXPECT_TRUE(serializeTrace(trace, &bytes, &error)) << error;
  return bytes;
}

TEST(RunnerTest, LosslessScenarioPasses) {
  const LoadedScenario s = load("lossless.textproto");
  dtlsim::Trace trace;
  std::string error;
  ASSERT_TRUE(runScenario(s, {}, &trace, &error)) << error;
  std::string failures;
  for (const auto& f : trace.outcome().failures()) failures += f + "\n";
  EXPECT_TRUE(trace.outcome().passed()) << failures;
  EXPECT_GT(trace.events_size(), 10);
  EXPECT_EQ(trace.keylog_lines_size(), 1);
}

TEST(RunnerTest, SameSeedGivesAByteIdenticalTrace) {
  const LoadedScenario s = load("lossless.textproto");
  dtlsim::Trace a, b;
  std::string error;
  ASSERT_TRUE(runScenario(s, {}, &a, &error)) << error;
  ASSERT_TRUE(runScenario(s, {}, &b, &error)) << error;
  EXPECT_EQ(serialized(a), serialized(b));
}

TEST(RunnerTest, AnotherSeedGivesAnotherTrace) {
  const LoadedScenario s = load("lossless.textproto");
  dtlsim::Trace a, b;
  std::string error;
  RunOptions other;
  other.seed = 2;
  ASSERT_TRUE(runScenario(s, {}, &a, &error)) << error;
  ASSERT_TRUE(runScenario(s, other, &b, &error)) << error;
  EXPECT_NE(serialized(a), serialized(b));  // different randoms, keys, ciphertexts
}

}  // namespace
}  // namespace scenarios
