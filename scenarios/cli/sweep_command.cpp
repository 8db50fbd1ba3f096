// dtlsim sweep SCENARIO --seeds A..B [--jobs N] [--shard K/N] [--json] [backend options]
#include <cstdio>
#include <thread>

#include "args.h"
#include "backend_options.h"
#include "liveness_options.h"
#include "swarm_options.h"
#include "commands.h"
#include "progress_bar.h"
#include "scenarios/sweep.h"

namespace dtlsim_cli {

int sweepCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  std::vector<OptionSpec> specs = {
      {"--seeds", true}, {"--jobs", true}, {"--shard", true}, {"--json", false}};
  for (OptionSpec& s : backendOptionSpecs()) specs.push_back(std::move(s));
  for (OptionSpec& s : livenessOptionSpecs()) specs.push_back(std::move(s));
  for (OptionSpec& s : swarmOptionSpecs(true)) specs.push_back(std::move(s));
  if (!parseArgs("sweep", raw, specs, &args, &error))
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
  if (!jobsOption(args, &options.jobs, &error)) return badInput(error);
  scenarios::SwarmOptions swarm;
  bool swarming = false;
  if (!swarmOptions(args, true, &swarm, &swarming, &error)) return badInput("sweep: " + error);
  if (swarming) options.swarm = &swarm;

  const std::string& path = args.positional[0];
  scenarios::LoadedScenario scenario;
  if (!scenarios::loadScenarioFile(path, &scenario, &error)) return badInput(error);
  if (!applyBackendOptions(args, &scenario, &error)) return badInput(error);
  if (!applyLivenessOptions(args, &scenario, &error)) return badInput(error);

  ProgressBar bar("seeds");
  options.progress = bar.callback();
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
    std::fputs(scenarios::formatSummaryText(summary, path, backendFlags(args) + livenessFlags(args) +
                                                   swarmFlags(args)).c_str(),
               stdout);
  }
  return summary.failed == 0 ? kExitHeld : kExitFailed;
}

}  // namespace dtlsim_cli
