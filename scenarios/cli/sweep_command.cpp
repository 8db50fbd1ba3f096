// dtlsim sweep SCENARIO --seeds A..B [--jobs N] [--shard K/N] [--json]
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "args.h"
#include "commands.h"
#include "scenarios/sweep.h"

namespace dtlsim_cli {

namespace {

// A one-line bar redrawn on stderr when the finished fraction moves by a bar cell or more.
// Called under runSweep's lock, so never concurrently.
class ProgressBar {
 public:
  static constexpr std::uint64_t kCells = 40;

  void update(std::uint64_t done, std::uint64_t total) {
    const std::uint64_t cells = total == 0 ? kCells : done * kCells / total;
    if (cells == drawn_cells_ && done != total) return;
    drawn_cells_ = cells;
    std::fprintf(stderr, "\r[%s%s] %llu/%llu seeds", std::string(cells, '#').c_str(),
                 std::string(kCells - cells, '.').c_str(), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total));
    std::fflush(stderr);
  }
  void finish() {
    if (drawn_cells_ != kNone) std::fprintf(stderr, "\r\033[K");
  }

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  std::uint64_t drawn_cells_ = kNone;
};

}  // namespace

int sweepCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!parseArgs("sweep", raw,
                 {{"--seeds", true}, {"--jobs", true}, {"--shard", true}, {"--json", false}, {"--backend", true}},
                 &args, &error))
    return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("sweep").c_str(), stdout);
    return kExitHeld;
  }
  if (!expectPositional("sweep", args, {"SCENARIO"}, &error)) return badInput(error);
  scenarios::SweepOptions options;
  const auto seeds = args.value("--seeds");
  if (!seeds) return badInput("sweep: --seeds A..B is required");
  if (!scenarios::parseSeedRange(*seeds, &options.seeds, &error))
    return badInput("--seeds: " + error);
  if (const auto shard = args.value("--shard");
      shard && !scenarios::parseShard(*shard, &options.shard, &error))
    return badInput("--shard: " + error);
  std::uint64_t jobs = 0;
  if (!numberOption(args, "--jobs", defaultJobs(), &jobs, &error)) return badInput(error);
  if (jobs == 0 || jobs > scenarios::kMaxSweepJobs)
    return badInput("--jobs: must be in 1.." + std::to_string(scenarios::kMaxSweepJobs));
  options.jobs = static_cast<unsigned>(jobs);

  const std::string& path = args.positional[0];
  scenarios::LoadedScenario scenario;
  if (!scenarios::loadScenarioFile(path, &scenario, &error)) return badInput(error);
  if (const auto backend = args.value("--backend");
      backend && !scenarios::applyDefaultBackend(&scenario, *backend, &error))
    return badInput(error);

  ProgressBar bar;
  if (isatty(STDERR_FILENO))
    options.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  std::vector<scenarios::SeedResult> results;
  const bool ok = scenarios::runSweep(scenario, options, &results, &error);
  bar.finish();
  if (!ok) return badInput(error);

  const scenarios::SweepSummary summary = scenarios::summarize(results);
  if (args.has("--json")) {
    for (const auto& r : results) std::printf("%s\n", scenarios::seedResultJson(r).c_str());
    std::printf("%s\n",
                scenarios::summaryJson(summary, path, options.seeds, options.shard).c_str());
  } else {
    std::printf("sweep %s seeds %llu..%llu shard %llu/%llu\n", path.c_str(),
                static_cast<unsigned long long>(options.seeds.first),
                static_cast<unsigned long long>(options.seeds.last),
                static_cast<unsigned long long>(options.shard.index),
                static_cast<unsigned long long>(options.shard.count));
    std::fputs(scenarios::formatSummaryText(summary, path).c_str(), stdout);
  }
  return summary.failed == 0 ? kExitHeld : kExitFailed;
}

}  // namespace dtlsim_cli
