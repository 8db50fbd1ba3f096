// Test helper: a scenario written in the test as text, parsed and run once with its own seed.
// A parse or set-up error fails the calling test and returns an empty trace.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"

namespace scenarios::test {

inline dtlsim::Trace runScenarioText(const std::string& text) {
  LoadedScenario s;
  std::string error;
  dtlsim::Trace trace;
  EXPECT_TRUE(parseScenarioText(text, "test scenario", ".", &s, &error)) << error;
  if (!error.empty()) return trace;
  EXPECT_TRUE(runScenario(s, RunOptions{}, &trace, &error)) << error;
  return trace;
}

}  // namespace scenarios::test
