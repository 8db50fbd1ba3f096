// dtlsim catalog [DIR] [--sweep N] [--jobs N] [--matrix]: the main job. Runs every scenario of the
// catalog with its own seed and prints one row each and a summary; with --sweep, also runs
// seeds 1..N of each to show how robust its story is to other fault draws.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "args.h"
#include "backend_options.h"
#include "catalog_matrix.h"
#include "commands.h"
#include "scenarios/runner.h"
#include "scenarios/sweep.h"
#include "scenarios/timeline.h"

namespace dtlsim_cli {

namespace {

std::vector<std::string> scenarioFiles(const std::string& dir, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".textproto") files.push_back(it->path().string());
  if (ec) *error = "catalog: cannot read directory '" + dir + "': " + ec.message();
  std::sort(files.begin(), files.end());  // directory order is not deterministic
  return files;
}

std::string handshakeText(const scenarios::SeedResult& r) {
  return r.handshake_us ? scenarios::formatMs(*r.handshake_us) : std::string("-");
}

// "20/20": how many seeds of 1..n pass; *first_failure names the first failing seed, its first
// reason and the command that reproduces it (empty when every seed passed).
std::string sweepText(const scenarios::LoadedScenario& s, const std::string& file,
                      const std::string& run_flags, std::uint64_t n, unsigned jobs,
                      std::string* first_failure, std::string* error) {
  scenarios::SweepOptions options;
  options.seeds = {1, n};
  options.jobs = jobs;
  std::vector<scenarios::SeedResult> results;
  if (!scenarios::runSweep(s, options, &results, error)) return {};
  const auto passed = std::count_if(results.begin(), results.end(),
                                    [](const scenarios::SeedResult& r) { return r.passed; });
  first_failure->clear();
  for (const auto& r : results) {
    if (r.passed) continue;
    *first_failure = "seed " + std::to_string(r.seed) + ": " +
                     (r.failures.empty() ? std::string("failed") : r.failures.front()) +
                     "\n    reproduce: " + scenarios::reproduceCommand(file, r.seed, run_flags);
    break;
  }
  // Expectations are properties of the story that hold for every seed; so do invariants.
  const auto broken = std::count_if(results.begin(), results.end(), [](const auto& r) {
    return std::any_of(r.failures.begin(), r.failures.end(),
                       [](const std::string& f) { return f.rfind("invariant:", 0) == 0; });
  });
  std::string text = std::to_string(passed) + "/" + std::to_string(results.size());
  if (broken > 0) text += "  INVARIANT BROKEN in " + std::to_string(broken) + " seeds";
  return text;
}

}  // namespace

int catalogCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  std::vector<OptionSpec> specs = {
      {"--sweep", true}, {"--jobs", true}, {"--matrix", false}, {"--backends", true},
      {"--oracles", false}};
  for (OptionSpec& s : backendOptionSpecs()) specs.push_back(std::move(s));
  if (!parseArgs("catalog", raw, specs, &args, &error))
    return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("catalog").c_str(), stdout);
    return kExitHeld;
  }
  if (args.positional.size() > 1) return badInput("catalog: expected at most one DIR");
  const std::string dir = args.positional.empty() ? "scenarios/catalog" : args.positional[0];
  std::uint64_t sweep = 0;
  unsigned jobs = 1;
  if (!numberOption(args, "--sweep", 0, &sweep, &error) || !jobsOption(args, &jobs, &error))
    return badInput(error);

  const auto files = scenarioFiles(dir, &error);
  if (!error.empty()) return badInput(error);
  if (files.empty()) return badInput("catalog: no *.textproto in '" + dir + "'");
  if (args.has("--matrix")) return catalogMatrix(args, files, sweep, jobs);
  if (args.has("--backends")) return badInput("catalog: --backends needs --matrix");
  if (args.has("--oracles")) return badInput("catalog: --oracles needs --matrix");

  // Which build ran: a library update is what users most need to compare runs across.
  std::printf("%s\n\n", scenarios::buildId().c_str());
  std::printf("%-40s %-6s %6s %14s %6s %8s %8s %9s%s\n", "scenario", "result", "seed",
              "handshake ms", "retx", "sent", "dropped", "delivered", sweep ? "  seeds passing" : "");
  int failed = 0;
  std::uint64_t datagrams = 0;
  for (const auto& file : files) {
    scenarios::LoadedScenario s;
    if (!scenarios::loadScenarioFile(file, &s, &error)) return badInput(error);
    if (!applyBackendOptions(args, &s, &error)) return badInput(error);
    dtlsim::Trace trace;
    scenarios::RunOptions run;
    run.events = false;  // a row is the outcome; `dtlsim run FILE` gives the trace
    if (!scenarios::runScenario(s, run, &trace, &error)) return badInput(error);
    const scenarios::SeedResult r = scenarios::seedResultOf(trace);
    std::string swept;
    std::string sweep_failure;
    if (sweep > 0) {
      swept = "  " + sweepText(s, file, backendFlags(args), sweep, jobs, &sweep_failure, &error);
      if (!error.empty()) return badInput(error);
    }
    const bool passed = r.passed && sweep_failure.empty();
    // Payloads handed to applications: what a library build can change without failing a
    // story (scripts/stack-versions.sh compares it across builds).
    std::uint64_t delivered = 0;
    for (const auto& e : trace.outcome().endpoints()) delivered += static_cast<std::uint64_t>(e.delivered_size());
    std::printf("%-40s %-6s %6llu %14s %6llu %8llu %8llu %9llu%s\n", s.scenario.name().c_str(),
                passed ? "PASS" : "FAIL", static_cast<unsigned long long>(trace.seed()),
                handshakeText(r).c_str(), static_cast<unsigned long long>(r.retransmissions),
                static_cast<unsigned long long>(trace.outcome().datagrams_sent()),
                static_cast<unsigned long long>(trace.outcome().datagrams_dropped()),
                static_cast<unsigned long long>(delivered), swept.c_str());
    for (const auto& f : r.failures) std::printf("    %s\n", f.c_str());
    if (!sweep_failure.empty()) std::printf("    %s\n", sweep_failure.c_str());
    datagrams += trace.outcome().datagrams_sent();
    if (!passed) ++failed;
  }
  std::printf("\n%zu scenarios: %zu passed, %d failed; %llu datagrams simulated\n", files.size(),
              files.size() - static_cast<size_t>(failed), failed,
              static_cast<unsigned long long>(datagrams));
  if (sweep > 0)
    std::printf("seeds passing: of seeds 1..%llu, how many meet every expectation and invariant "
                "(expectations are properties of the story, so a scenario passes only if every "
                "seed does)\n",
                static_cast<unsigned long long>(sweep));
  return failed == 0 ? kExitHeld : kExitFailed;
}

}  // namespace dtlsim_cli
