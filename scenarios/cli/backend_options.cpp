#include "backend_options.h"

#include "dtls/backend.h"
#include "scenarios/matrix.h"

namespace dtlsim_cli {

namespace {

constexpr const char* kNames[] = {"--backend", "--client-backend", "--server-backend"};

}  // namespace

std::vector<OptionSpec> backendOptionSpecs() {
  std::vector<OptionSpec> specs;
  for (const char* name : kNames) specs.push_back({name, true});
  return specs;
}

bool applyBackendOptions(const ParsedArgs& args, scenarios::LoadedScenario* scenario,
                         std::string* error) {
  if (const auto backend = args.value("--backend");
      backend && !scenarios::applyDefaultBackend(scenario, *backend, error))
    return false;
  const scenarios::RoleBackends roles{args.value("--client-backend").value_or(""),
                                      args.value("--server-backend").value_or("")};
  // An empty value would silently leave the role alone: say so instead.
  for (const char* name : {"--client-backend", "--server-backend"}) {
    if (const auto v = args.value(name); v && v->empty()) {
      *error = scenarios::unknownBackendError(name, "");
      return false;
    }
  }
  return scenarios::applyRoleBackends(scenario, roles, error);
}

bool matrixBackends(const ParsedArgs& args, std::vector<std::string>* out, std::string* error) {
  const auto list = args.value("--backends");
  if (!list) {
    *out = dtls::availableBackends();
    return true;
  }
  if (scenarios::parseBackendList(*list, out, error)) return true;
  *error = "--backends: " + *error;
  return false;
}

std::string backendFlags(const ParsedArgs& args) {
  std::string flags;
  for (const char* name : kNames)
    if (const auto v = args.value(name)) flags += std::string(" ") + name + " " + *v;
  return flags;
}

}  // namespace dtlsim_cli
