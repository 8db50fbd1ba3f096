// scenarios/seed_sweep.h — a GoogleTest helper: run a test body in a Simulation over many seeds
// (library dtlsim_testing; link it with GTest).
//
//   TEST(Gateway, AnswersEveryRequestAt30PercentLoss) {
//     scenarios::SeedSweepOptions sweep;
//     sweep.count = 1000;
//     sweep.simulation.network.mutable_default_link()->set_loss_probability(0.3);
//     scenarios::sweepSeeds(sweep, [](scenarios::Simulation& sim) -> std::string {
//       ... build the application on sim, sim.runFor(...) ...
//       return answered == 10 ? "" : "answered " + std::to_string(answered) + " of 10";
//     });
//   }
//
// A seed fails when the body returns a failure, the simulation lists one (an invariant, a
// livelock), or a GoogleTest assertion inside the body fails. For the first failing seed the
// test fails with:
//
//   seed 417 failed: answered 9 of 10
//     rerun just this seed: DTLSIM_SEED=417 /path/to/test --gtest_filter=Gateway.AnswersEvery...
//     trace: /out/Gateway.AnswersEveryRequestAt30PercentLoss.seed-417.trace (+ .pcapng)
//
// DTLSIM_SEED=N in the environment runs seed N alone, whatever the range, and writes its trace
// whether it passes or fails (to look at a passing run too). The trace (open it
// with dtlsim-viz, `dtlsim replay`) and a pcapng capture with the key log (Wireshark) are
// written next to the test's output: the directory of --gtest_output (or GTEST_OUTPUT), else
// $TEST_UNDECLARED_OUTPUTS_DIR, else the current directory. A sweep without events
// (SimulationOptions::record_events false) runs a failing seed once more with events for its
// trace, so the body runs twice for it (its side effects too); a different verdict the second
// time fails the test as "not reproducible".
#pragma once

#include <cstdint>
#include <string>

#include "scenarios/simulation.h"

namespace scenarios {

struct SeedSweepOptions {
  std::uint64_t first_seed = 1;
  std::uint64_t count = 100;
  // The simulation each seed runs in; its seed is replaced by the seed being run.
  SimulationOptions simulation;
  // Seeds that may fail before the sweep stops (each is reported).
  std::uint64_t max_failures = 1;
};

// What a sweep saw (the test has already been failed for each failing seed).
struct SeedSweepSummary {
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
  std::uint64_t first_failed_seed = 0;  // valid when failed > 0
};

SeedSweepSummary sweepSeeds(const SeedSweepOptions& options, const SimulationBody& body);

// The rerun line for `seed` of the running test: "DTLSIM_SEED=417 <exe> --gtest_filter=S.N".
std::string seedRerunCommand(std::uint64_t seed);
// The directory sweep artifacts go to (see above), without a trailing '/'.
std::string seedSweepOutputDir();

}  // namespace scenarios
