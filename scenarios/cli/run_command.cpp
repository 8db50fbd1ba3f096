// dtlsim run SCENARIO [--seed N] [--trace FILE] [--pcap FILE] [--keylog FILE] [--timeline]
// [--backend NAME] [--client-backend NAME] [--server-backend NAME]
#include <cstdio>

#include "args.h"
#include "backend_options.h"
#include "liveness_options.h"
#include "swarm_options.h"
#include "commands.h"
#include "scenarios/keylog.h"
#include "scenarios/oracles.h"
#include "scenarios/pcapng.h"
#include "scenarios/runner.h"
#include "scenarios/timeline.h"
#include "scenarios/trace_io.h"

namespace dtlsim_cli {

namespace {

// Every export the options ask for; the first error (an unwritable path) in *error.
bool writeExports(const ParsedArgs& args, const dtlsim::Trace& trace, std::string* error) {
  if (const auto path = args.value("--trace"); path && !scenarios::writeTraceFile(trace, *path, error))
    return false;
  if (const auto path = args.value("--pcap"); path && !scenarios::writePcapng(trace, *path, error))
    return false;
  if (const auto path = args.value("--keylog"); path && !scenarios::writeKeylog(trace, *path, error))
    return false;
  return true;
}

void printOutcome(const dtlsim::Trace& trace) {
  const dtlsim::Outcome& o = trace.outcome();
  std::printf("%s %s seed %llu (end %s ms, %llu datagrams sent, %llu dropped)\n",
              o.passed() ? "PASSED" : "FAILED", trace.scenario().name().c_str(),
              static_cast<unsigned long long>(trace.seed()),
              scenarios::formatMs(o.end_time_us()).c_str(),
              static_cast<unsigned long long>(o.datagrams_sent()),
              static_cast<unsigned long long>(o.datagrams_dropped()));
  for (const std::string& f : o.failures()) std::printf("  %s\n", f.c_str());
  for (const std::string& e : o.excused()) std::printf("  excused: %s\n", e.c_str());
  if (!o.swarm_draw().empty()) std::printf("  swarm draw: %s\n", o.swarm_draw().c_str());
}

}  // namespace

int runCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  std::vector<OptionSpec> specs = {{"--seed", true},   {"--trace", true},
                                   {"--pcap", true},   {"--keylog", true},
                                   {"--timeline", false}, {"--oracles", false}};
  for (OptionSpec& s : backendOptionSpecs()) specs.push_back(std::move(s));
  for (OptionSpec& s : livenessOptionSpecs()) specs.push_back(std::move(s));
  for (OptionSpec& s : swarmOptionSpecs(true)) specs.push_back(std::move(s));
  if (!parseArgs("run", raw, specs, &args, &error))
    return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("run").c_str(), stdout);
    return kExitHeld;
  }
  if (!expectPositional("run", args, {"SCENARIO"}, &error)) return badInput(error);
  scenarios::RunOptions options;
  if (args.has("--seed")) {
    std::uint64_t seed = 0;
    if (!numberOption(args, "--seed", 0, &seed, &error)) return badInput(error);
    options.seed = seed;
  }
  scenarios::SwarmOptions swarm;
  bool swarming = false;
  if (!swarmOptions(args, true, &swarm, &swarming, &error)) return badInput("run: " + error);
  if (swarming) options.swarm = &swarm;
  scenarios::LoadedScenario scenario;
  if (!scenarios::loadScenarioFile(args.positional[0], &scenario, &error)) return badInput(error);
  if (!applyBackendOptions(args, &scenario, &error)) return badInput(error);
  if (!applyLivenessOptions(args, &scenario, &error)) return badInput(error);

  dtlsim::Trace trace;
  if (!scenarios::runScenario(scenario, options, &trace, &error)) return badInput(error);
  if (!writeExports(args, trace, &error)) return badInput(error);
  if (args.has("--timeline")) std::fputs(scenarios::renderTimeline(trace).c_str(), stdout);
  printOutcome(trace);
  if (args.has("--oracles")) {
    std::printf("RFC 6347 oracles (property, section, endpoint: checks, verdict):\n%s",
                scenarios::formatOracleChecks(trace.outcome()).c_str());
  }
  return trace.outcome().passed() ? kExitHeld : kExitFailed;
}

}  // namespace dtlsim_cli
