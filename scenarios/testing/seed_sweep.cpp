#include "scenarios/seed_sweep.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "scenarios/trace_io.h"

namespace scenarios {

namespace {

constexpr char kSeedVariable[] = "DTLSIM_SEED";

std::optional<std::uint64_t> seedFromEnvironment() {
  const char* text = std::getenv(kSeedVariable);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const unsigned long long seed = std::strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || *text == '-') {
    ADD_FAILURE() << kSeedVariable << "='" << text << "' is not a seed (a decimal number)";
    return std::nullopt;
  }
  return seed;
}

std::string currentTestName() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "unknown";
  return std::string(info->test_suite_name()) + "." + info->name();
}

std::string executable() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("<test binary>") : exe.string();
}

// A file name for the test: parameterized names carry '/'.
std::string fileSafe(std::string name) {
  for (char& c : name)
    if (c == '/' || c == ' ') c = '_';
  return name;
}

}  // namespace

std::string seedRerunCommand(std::uint64_t seed) {
  return std::string(kSeedVariable) + "=" + std::to_string(seed) + " " + executable() +
         " --gtest_filter=" + currentTestName();
}

std::string seedSweepOutputDir() {
  // "xml:dir/file.xml", "json:dir/" or "xml" (the current directory).
  std::string output = ::testing::GTEST_FLAG(output);
  if (const auto colon = output.find(':'); colon != std::string::npos) {
    const std::string path = output.substr(colon + 1);
    // "dir/" and "dir/file.xml" both have "dir" as parent path.
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return dir.empty() ? std::string(".") : dir;
  }
  if (const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR"); dir != nullptr && *dir)
    return dir;
  return ".";
}

namespace {

// Writes the seed's trace and pcapng next to the test output; says where, or why not.
std::string writeArtifacts(const dtlsim::Trace& trace, std::uint64_t seed) {
  const std::string stem = seedSweepOutputDir() + "/" + fileSafe(currentTestName()) + ".seed-" +
                           std::to_string(seed);
  std::string error;
  if (!writeTraceFile(trace, stem + ".trace", &error)) return "trace not written: " + error;
  if (!writePcapng(trace, stem + ".pcapng", &error))
    return "trace: " + stem + ".trace (pcapng not written: " + error + ")";
  return "trace: " + stem + ".trace (+ .pcapng)";
}

}  // namespace

SeedSweepSummary sweepSeeds(const SeedSweepOptions& options, const SimulationBody& body) {
  SeedSweepSummary summary;
  std::uint64_t first = options.first_seed;
  std::uint64_t count = options.count;
  const std::optional<std::uint64_t> only = seedFromEnvironment();
  if (only) {
    std::printf("%s=%llu: running seed %llu alone\n", kSeedVariable,
                static_cast<unsigned long long>(*only), static_cast<unsigned long long>(*only));
    first = *only;
    count = 1;
  } else if (std::getenv(kSeedVariable) != nullptr && *std::getenv(kSeedVariable) != '\0') {
    return summary;  // a bad value: already a failure
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t seed = first + i;
    SimulationOptions sim_options = options.simulation;
    sim_options.seed = seed;
    // One seed on request: with its events, and its trace written whatever the verdict.
    if (only) sim_options.record_events = true;
    // Assertions inside the body are caught and reported again with their seed: that also
    // tells this seed's failures from earlier ones of the same test.
    testing::TestPartResultArray parts;
    SimulationVerdict verdict;
    {
      testing::ScopedFakeTestPartResultReporter capture(
          testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &parts);
      verdict = runSimulation(sim_options, body);
    }
    ++summary.runs;
    bool assertion_failed = false;
    for (int p = 0; p < parts.size(); ++p) {
      const testing::TestPartResult& part = parts.GetTestPartResult(p);
      if (!part.failed()) continue;
      assertion_failed = true;
      ADD_FAILURE_AT(part.file_name() != nullptr ? part.file_name() : "unknown",
                     part.line_number())
          << "seed " << seed << ": " << part.message();
    }
    if (!verdict.ok) {
      ADD_FAILURE() << "seed " << seed << ": the simulation could not be built: " << verdict.error;
      ++summary.failed;
      break;
    }
    if (verdict.failures.empty() && !assertion_failed) {
      if (only) std::printf("seed %llu passed; %s\n", static_cast<unsigned long long>(seed),
                            writeArtifacts(verdict.trace, seed).c_str());
      continue;
    }
    if (summary.failed++ == 0) summary.first_failed_seed = seed;

    if (!sim_options.record_events) {
      // The sweep ran without events for speed; the same seed gives the same run, now with
      // the datagrams and notes a trace is read for (its assertions were reported already).
      sim_options.record_events = true;
      testing::TestPartResultArray again;
      SimulationVerdict full;
      {
        testing::ScopedFakeTestPartResultReporter capture(
            testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &again);
        full = runSimulation(sim_options, body);
      }
      if (full.ok && full.failures == verdict.failures) {
        verdict.trace = std::move(full.trace);
      } else {
        ADD_FAILURE() << "seed " << seed << " is not reproducible: run again with events it "
                      << (full.failures.empty() ? std::string("passed")
                                                : "failed with '" + full.failures.front() + "'")
                      << " (the trace below is of the run without events)";
      }
    }
    std::string what;
    for (const std::string& f : verdict.failures) what += (what.empty() ? "" : "; ") + f;
    if (what.empty()) what = "a GoogleTest assertion failed (above)";
    const std::string written = writeArtifacts(verdict.trace, seed);
    ADD_FAILURE() << "seed " << seed << " failed: " << what
                  << "\n  rerun just this seed: " << seedRerunCommand(seed) << "\n  " << written;
    if (summary.failed >= options.max_failures) break;
  }
  std::printf("swept %llu seed%s from %llu: %llu failed\n",
              static_cast<unsigned long long>(summary.runs), summary.runs == 1 ? "" : "s",
              static_cast<unsigned long long>(first),
              static_cast<unsigned long long>(summary.failed));
  return summary;
}

}  // namespace scenarios
