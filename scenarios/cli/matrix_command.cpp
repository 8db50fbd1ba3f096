// dtlsim matrix SCENARIO [--backends A,B,...] [--seeds A..B] [--jobs N] [--json]
//                        [--faults-stop-ms T [--liveness-bound-ms B]]
#include <cstdio>

#include "args.h"
#include "backend_options.h"
#include "liveness_options.h"
#include "swarm_options.h"
#include "commands.h"
#include "progress_bar.h"
#include "scenarios/matrix.h"

namespace dtlsim_cli {

namespace {

// --seeds A..B, else the scenario's own seed (what `dtlsim run` runs without --seed).
bool matrixSeeds(const ParsedArgs& args, const scenarios::LoadedScenario& scenario,
                 std::vector<std::uint64_t>* out, std::string* error) {
  const auto text = args.value("--seeds");
  if (!text) {
    *out = {scenario.scenario.seed()};
    return true;
  }
  scenarios::SeedRange range;
  if (!scenarios::parseSeedRange(*text, &range, error)) {
    *error = "--seeds: " + *error;
    return false;
  }
  if (scenarios::shardSeedCount(range, {}) > scenarios::kMaxSweepSeeds) {
    *error = "--seeds: more than " + std::to_string(scenarios::kMaxSweepSeeds) + " seeds";
    return false;
  }
  *out = scenarios::shardSeeds(range, {});
  return true;
}

}  // namespace

int matrixCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  std::vector<OptionSpec> specs = {
      {"--backends", true}, {"--seeds", true}, {"--jobs", true}, {"--json", false}};
  for (OptionSpec& s : livenessOptionSpecs()) specs.push_back(std::move(s));
  for (OptionSpec& s : swarmOptionSpecs(false)) specs.push_back(std::move(s));
  if (!parseArgs("matrix", raw, specs, &args, &error))
    return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("matrix").c_str(), stdout);
    return kExitHeld;
  }
  if (!expectPositional("matrix", args, {"SCENARIO"}, &error)) return badInput(error);
  scenarios::MatrixOptions options;
  if (!matrixBackends(args, &options.backends, &error)) return badInput(error);
  if (!jobsOption(args, &options.jobs, &error)) return badInput(error);

  const std::string& path = args.positional[0];
  scenarios::LoadedScenario scenario;
  if (!scenarios::loadScenarioFile(path, &scenario, &error)) return badInput(error);
  if (!matrixSeeds(args, scenario, &options.seeds, &error)) return badInput(error);
  if (!applyLivenessOptions(args, &scenario, &error)) return badInput(error);
  scenarios::SwarmOptions swarm;
  bool swarming = false;
  if (!swarmOptions(args, false, &swarm, &swarming, &error)) return badInput("matrix: " + error);
  if (swarming) options.swarm = &swarm;
  options.run_flags = livenessFlags(args) + swarmFlags(args);

  ProgressBar bar("runs");
  options.progress = bar.callback();
  std::vector<scenarios::MatrixCell> cells;
  const bool ok = scenarios::runMatrix(scenario, options, &cells, &error);
  bar.finish();
  if (!ok) return badInput(error);

  bool failed = false;
  for (const auto& cell : cells) failed = failed || cell.summary.failed > 0;
  if (args.has("--json")) {
    for (const auto& cell : cells)
      std::printf("%s\n", scenarios::matrixCellJson(cell, path, options.run_flags).c_str());
  } else {
    std::fputs(scenarios::formatMatrixText(cells, options, path).c_str(), stdout);
  }
  return failed ? kExitFailed : kExitHeld;
}

}  // namespace dtlsim_cli
