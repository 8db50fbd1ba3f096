// scenarios/cli/liveness_options.h — a liveness phase given on the command line, shared by run,
// sweep and matrix (Scenario.liveness, which a scenario file may also set):
//   --faults-stop-ms T       from T on the network injects no fault
//   --liveness-bound-ms B    every handshake must have ended B ms after T (default 130000)
#pragma once

#include <string>
#include <vector>

#include "args.h"
#include "scenarios/scenario_file.h"

namespace dtlsim_cli {

// The two options, to append to a command's OptionSpec list.
std::vector<OptionSpec> livenessOptionSpecs();

// Sets the scenario's liveness phase from the options given (each overrides the file's field).
// Errors: a bad number; --liveness-bound-ms without a faults stop in the options or the file;
// "--faults-stop-ms: 200000 + bound 130000 ms is after the end of the run (max_virtual_time_ms
// 300000)".
bool applyLivenessOptions(const ParsedArgs& args, scenarios::LoadedScenario* scenario,
                          std::string* error);

// The options given, as " --faults-stop-ms 30000" (each with a leading space): what a printed
// `dtlsim run` needs to rebuild the same world.
std::string livenessFlags(const ParsedArgs& args);

}  // namespace dtlsim_cli
