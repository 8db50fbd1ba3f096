// Tests of viz/model/trace_source.h: trace files, scenario runs, broken input.
#include "model/trace_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "scenarios/trace_io.h"
#include "trace_fixtures.h"

namespace viz {
namespace {

std::string tempPath(const std::string& name) {
  return ::testing::TempDir() + "viz_" + std::to_string(::getpid()) + "_" + name;
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(TraceSourceTest, ScenarioRunIsDeterministicAndTakesTheSeed) {
  const std::string path = testing::sourceDir() + "/scenarios/catalog/lost-finished.textproto";
  dtlsim::Trace a, b, c;
  std::string error;
  ASSERT_TRUE(loadInput(path, std::nullopt, &a, &error)) << error;
  ASSERT_TRUE(loadInput(path, std::nullopt, &b, &error)) << error;
  ASSERT_TRUE(loadInput(path, 5, &c, &error)) << error;
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
  EXPECT_EQ(a.seed(), 1u);
  EXPECT_EQ(c.seed(), 5u);
}

TEST(TraceSourceTest, TraceFileRoundTrip) {
  const std::string path = tempPath("ok.trace");
  std::string error;
  ASSERT_TRUE(scenarios::writeTraceFile(testing::smallTrace(), path, &error)) << error;
  EXPECT_EQ(guessInputKind(path), InputKind::Trace);
  dtlsim::Trace t;
  ASSERT_TRUE(loadInput(path, std::nullopt, &t, &error)) << error;
  EXPECT_EQ(t.scenario().name(), "small");
  EXPECT_FALSE(loadInput(path, 3, &t, &error));
  EXPECT_EQ(error, path + ": --seed applies to a scenario, this is a trace");
  std::remove(path.c_str());
}

TEST(TraceSourceTest, BrokenInputNamesTheProblem) {
  std::string bytes, error;
  ASSERT_TRUE(scenarios::serializeTrace(testing::smallTrace(), &bytes, &error));
  const std::string truncated = tempPath("cut.trace");
  writeFile(truncated, bytes.substr(0, bytes.size() / 2));
  dtlsim::Trace t;
  EXPECT_FALSE(loadInput(truncated, std::nullopt, &t, &error));
  EXPECT_NE(error.find("truncated or corrupt trace"), std::string::npos) << error;
  EXPECT_EQ(error.rfind(truncated, 0), 0u) << error;

  const std::string garbage = tempPath("garbage.textproto");
  writeFile(garbage, "this is { not a scenario");
  EXPECT_FALSE(loadInput(garbage, std::nullopt, &t, &error));
  EXPECT_EQ(error.rfind(garbage + ":1:", 0), 0u) << error;

  EXPECT_FALSE(loadInput(tempPath("missing.trace"), std::nullopt, &t, &error));
  EXPECT_NE(error.find("cannot read trace"), std::string::npos) << error;
  std::remove(truncated.c_str());
  std::remove(garbage.c_str());
}

}  // namespace
}  // namespace viz
