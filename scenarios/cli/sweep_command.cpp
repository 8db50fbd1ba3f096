// dtlsim sweep SCENARIO --seeds A..B [--jobs N] [--shard K/N] [--json] [backend options]
#include <algorithm>
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

  const std::string flags = backendFlags(args) + livenessFlags(args) + swarmFlags(args);
  std::fputs(scenarios::sweepReport(results, path, options.seeds, options.shard, flags,
                                    args.has("--json"))
                 .c_str(),
             stdout);
  const bool all_passed = std::all_of(results.begin(), results.end(),
                                      [](const scenarios::SeedResult& r) { return r.passed; });
  return all_passed ? kExitHeld : kExitFailed;
}

}  // namespace dtlsim_cli
