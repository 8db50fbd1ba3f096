// dtlsim replay TRACE [--records]
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "scenarios/timeline.h"
#include "scenarios/trace_io.h"

namespace dtlsim_cli {

int replayCommand(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!parseArgs("replay", raw, {{"--records", false}}, &args, &error)) return badInput(error);
  if (args.help) {
    std::fputs(commandHelp("replay").c_str(), stdout);
    return kExitHeld;
  }
  if (!expectPositional("replay", args, {"TRACE"}, &error)) return badInput(error);
  dtlsim::Trace trace;
  if (!scenarios::readTraceFile(args.positional[0], &trace, &error)) return badInput(error);
  scenarios::TimelineOptions options;
  options.records = args.has("--records");
  std::fputs(scenarios::renderTimeline(trace, options).c_str(), stdout);
  return kExitHeld;
}

}  // namespace dtlsim_cli
