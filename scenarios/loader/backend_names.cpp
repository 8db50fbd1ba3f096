#include <string>

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

bool applyDefaultBackend(LoadedScenario* loaded, const std::string& name, std::string* error) {
  if (!isKnownBackend(name)) {
    *error = "--backend: unknown backend '" + name + "' (valid: " + backendNames() + ")";
    return false;
  }
  for (dtlsim::Endpoint& endpoint : *loaded->scenario.mutable_endpoints()) {
    if (endpoint.role() == dtlsim::Endpoint::NOISE || !endpoint.dtls().backend().empty()) continue;
    endpoint.mutable_dtls()->set_backend(name);
  }
  return true;
}

}  // namespace scenarios
