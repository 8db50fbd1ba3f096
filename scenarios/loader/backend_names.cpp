#include <string>
#include <utility>

#include "dtls/backend.h"
#include "scenarios/scenario_file.h"

namespace scenarios {

bool isKnownBackend(const std::string& name) {
  for (const std::string& known : dtls::availableBackends())
    if (known == name) return true;
  return false;
}

std::string backendNames() {
  std::string names;
  for (const std::string& known : dtls::availableBackends())
    names += (names.empty() ? "" : ", ") + known;
  return names;
}

std::string unknownBackendError(const std::string& option, const std::string& name) {
  if (isKnownBackend(name)) return {};
  return option + ": unknown backend '" + name + "' (valid: " + backendNames() + ")";
}

bool applyDefaultBackend(LoadedScenario* loaded, const std::string& name, std::string* error) {
  if (const std::string e = unknownBackendError("--backend", name); !e.empty()) {
    *error = e;
    return false;
  }
  for (dtlsim::Endpoint& endpoint : *loaded->scenario.mutable_endpoints()) {
    if (endpoint.role() == dtlsim::Endpoint::NOISE || !endpoint.dtls().backend().empty()) continue;
    endpoint.mutable_dtls()->set_backend(name);
  }
  return true;
}

bool applyRoleBackends(LoadedScenario* loaded, const RoleBackends& roles, std::string* error) {
  for (const auto& [option, name] : {std::pair{"--client-backend", &roles.client},
                                     std::pair{"--server-backend", &roles.server}}) {
    if (name->empty()) continue;
    if (const std::string e = unknownBackendError(option, *name); !e.empty()) {
      *error = e;
      return false;
    }
  }
  for (dtlsim::Endpoint& endpoint : *loaded->scenario.mutable_endpoints()) {
    const std::string* name = endpoint.role() == dtlsim::Endpoint::CLIENT   ? &roles.client
                              : endpoint.role() == dtlsim::Endpoint::SERVER ? &roles.server
                                                                            : nullptr;
    if (name != nullptr && !name->empty()) endpoint.mutable_dtls()->set_backend(*name);
  }
  return true;
}

}  // namespace scenarios
