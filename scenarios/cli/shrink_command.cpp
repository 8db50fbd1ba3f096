// dtlsim shrink SCENARIO --seed N [-o FILE] [--max-runs N] [--any-failure]
#include <google/protobuf/text_format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "args.h"
#include "commands.h"
#include "swarm_options.h"
#include "scenarios/shrink.h"

namespace dtlsim_cli {

namespace {

// The shrunk scenario as a commented text-format file.
std::string scenarioText(const dtlsim::Scenario& shrunk, const std::string& source,
                         const scenarios::ShrinkResult& result, std::uint64_t seed) {
  std::string body;
  google::protobuf::TextFormat::PrintToString(shrunk, &body);
  std::string head = "# Shrunk by `dtlsim shrink " + source + " --seed " + std::to_string(seed) +
                     "`: " + std::to_string(result.minimal.size()) + " of " +
                     std::to_string(result.original.size()) + " faults remain" +
                     (result.one_minimal ? " (1-minimal)" : " (run bound reached)") + ".\n";
  head += "# Failure: " + result.first_failure + "\n";
  head += "# explicit_faults replace the network's random draws, rules and partitions: every\n"
          "# datagram not listed is delivered once, unmodified, after the link latency.\n";
  if (result.minimal.empty())
    head += "# The one entry below is a placeholder for a datagram no run reaches: it only keeps\n"
            "# the network in replay mode (an empty list would draw faults from the seed).\n";
  return head + body;
}

bool writeText(const std::string& path, const std::string& text, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.flush();
  if (!out) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

int shrinkCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  std::vector<OptionSpec> specs = {
      {"--seed", true}, {"-o", true}, {"--max-runs", true}, {"--any-failure", false}};
  for (OptionSpec& s : swarmOptionSpecs(true)) specs.push_back(std::move(s));
  if (!parseArgs("shrink", raw, specs, &args, &error)) return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("shrink").c_str(), stdout);
    return kExitHeld;
  }
  if (!expectPositional("shrink", args, {"SCENARIO"}, &error)) return badInput(error);
  if (!args.has("--seed")) return badInput("shrink: --seed N is required");
  scenarios::ShrinkOptions options;
  if (!numberOption(args, "--seed", 0, &options.seed, &error)) return badInput(error);
  if (!numberOption(args, "--max-runs", scenarios::kDefaultShrinkMaxRuns, &options.max_runs,
                    &error))
    return badInput(error);
  if (options.max_runs < 2) return badInput("--max-runs: must be at least 2");
  options.match_any_failure = args.has("--any-failure");

  const std::string& path = args.positional[0];
  scenarios::LoadedScenario scenario;
  if (!scenarios::loadScenarioFile(path, &scenario, &error)) return badInput(error);
  // A swarm seed is shrunk as the scenario its draw made: the file written holds the draw.
  scenarios::SwarmOptions swarm;
  bool swarming = false;
  if (!swarmOptions(args, true, &swarm, &swarming, &error)) return badInput("shrink: " + error);
  std::string draw;
  if (swarming && !scenarios::applySwarm(swarm, options.seed, &scenario, &draw, &error))
    return badInput("shrink: " + error);

  scenarios::ShrinkResult result;
  if (!scenarios::shrinkFailure(scenario, options, &result, &error)) {
    std::fprintf(stderr, "dtlsim: %s\n", error.c_str());
    return result.failed ? kExitFailed : kExitBadInput;
  }
  if (!result.failed) {
    std::printf("seed %llu passes; nothing to shrink\n",
                static_cast<unsigned long long>(options.seed));
    return kExitHeld;
  }

  const auto out_path = args.value("-o");
  std::string out_dir;
  if (out_path) {
    out_dir = std::filesystem::path(*out_path).parent_path().string();
    if (out_dir.empty()) out_dir = ".";
  }
  const dtlsim::Scenario shrunk =
      scenarios::shrunkScenario(scenario, options.seed, result.minimal, out_dir);
  const std::string text = scenarioText(shrunk, path + swarmFlags(args), result, options.seed);
  // Status goes to stderr when stdout carries the scenario.
  FILE* status = out_path ? stdout : stderr;
  if (out_path) {
    if (!writeText(*out_path, text, &error)) return badInput(error);
  } else {
    std::fputs(text.c_str(), stdout);
  }
  const char* guarantee = !result.one_minimal ? "; run bound reached, not guaranteed 1-minimal"
                          : result.minimal.empty()
                              ? "; the failure needs no network fault (clean replay)"
                              : "; removing any one of them makes the failure go away";
  std::fprintf(status, "%zu faults remain (from %zu) after %llu runs%s\n", result.minimal.size(),
               result.original.size(), static_cast<unsigned long long>(result.runs), guarantee);
  std::fprintf(status, "failure: %s\n", result.first_failure.c_str());
  if (out_path)
    std::fprintf(status, "reproduce: dtlsim run %s\n", out_path->c_str());
  return kExitHeld;
}

}  // namespace dtlsim_cli
