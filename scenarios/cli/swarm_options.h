// scenarios/cli/swarm_options.h — swarm testing on the command line (scenarios/swarm.h), shared
// by run, sweep and matrix:
//   --swarm            every seed draws its faults, MTU, action times and liveness phase
//   --backends A,B     (run and sweep) and draws its client and server backend from these
#pragma once

#include <string>
#include <vector>

#include "args.h"
#include "scenarios/swarm.h"

namespace dtlsim_cli {

// --swarm, and --backends when the command has none of its own (run, sweep).
std::vector<OptionSpec> swarmOptionSpecs(bool with_backends);

// Whether --swarm was given, and its options in *out. Errors: --backends without --swarm, a bad
// backend list, and --swarm with an option whose setting the draw replaces (--backend,
// --client-backend, --server-backend when backends are drawn; --faults-stop-ms and
// --liveness-bound-ms always: the draw sets the liveness phase).
bool swarmOptions(const ParsedArgs& args, bool with_backends, scenarios::SwarmOptions* out,
                  bool* on, std::string* error);

// " --swarm --backends openssl,gnutls" as given: what a printed `dtlsim run` needs.
std::string swarmFlags(const ParsedArgs& args);

}  // namespace dtlsim_cli
