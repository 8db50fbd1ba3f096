#include "swarm_options.h"

#include "backend_options.h"

namespace dtlsim_cli {

std::vector<OptionSpec> swarmOptionSpecs(bool with_backends) {
  std::vector<OptionSpec> specs = {{"--swarm", false}};
  if (with_backends) specs.push_back({"--backends", true});
  return specs;
}

bool swarmOptions(const ParsedArgs& args, bool with_backends, scenarios::SwarmOptions* out,
                  bool* on, std::string* error) {
  *on = args.has("--swarm");
  if (!*on) {
    if (with_backends && args.has("--backends")) {
      *error = "--backends needs --swarm (the pair is drawn per seed from the list)";
      return false;
    }
    return true;
  }
  for (const char* liveness : {"--faults-stop-ms", "--liveness-bound-ms"}) {
    if (args.has(liveness)) {
      *error = std::string("--swarm draws the liveness phase; ") + liveness + " does not apply";
      return false;
    }
  }
  if (with_backends && args.has("--backends")) {
    if (!matrixBackends(args, &out->backends, error)) return false;
    for (const OptionSpec& spec : backendOptionSpecs()) {
      if (args.has(spec.name)) {
        *error = "--swarm --backends draws every client's and server's backend; " + spec.name +
                 " does not apply";
        return false;
      }
    }
  }
  return true;
}

std::string swarmFlags(const ParsedArgs& args) {
  std::string flags;
  if (args.has("--swarm")) flags += " --swarm";
  if (const auto list = args.value("--backends"); list && args.has("--swarm"))
    flags += " --backends " + *list;
  return flags;
}

}  // namespace dtlsim_cli
