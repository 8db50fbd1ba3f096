// dtlsim merge SHARD_FILE... [--json]
#include <cstdio>
#include <fstream>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "scenarios/sweep_merge.h"

namespace dtlsim_cli {

int mergeCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!parseArgs("merge", raw, {{"--json", false}}, &args, &error)) return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("merge").c_str(), stdout);
    return kExitHeld;
  }
  if (args.positional.empty())
    return badInput("merge: expected SHARD_FILE... (the outputs of `dtlsim sweep --shard K/N --json`)");
  std::vector<scenarios::ShardOutput> outputs(args.positional.size());
  for (std::size_t i = 0; i < args.positional.size(); ++i) {
    const std::string& file = args.positional[i];
    std::ifstream in(file, std::ios::binary);
    if (!in) return badInput(file + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    if (!scenarios::parseShardOutput(text.str(), file, &outputs[i], &error)) return badInput(error);
  }
  scenarios::MergedSweep merged;
  if (!scenarios::mergeShardOutputs(outputs, &merged, &error)) return badInput("merge: " + error);
  std::fputs(scenarios::sweepReport(merged.results, merged.scenario, merged.range, {},
                                    merged.run_flags, args.has("--json"))
                 .c_str(),
             stdout);
  for (const scenarios::SeedResult& r : merged.results)
    if (!r.passed) return kExitFailed;
  return kExitHeld;
}

}  // namespace dtlsim_cli
