#include <openssl/crypto.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "dtls/backend.h"

#include "../world/world.h"
#include "judge.h"
#include "scenarios/runner.h"

namespace scenarios {

std::string buildId() {
  return std::string("dtlsim ") + DTLSIM_VERSION + ", " + OpenSSL_version(OPENSSL_VERSION);
}

std::string buildId(const dtlsim::Scenario& scenario) {
  // OpenSSL is in every build id (the value types run on it); another backend is named with its
  // run-time version and its endpoints, in scenario order: "...; mbed TLS 2.28.3 (server)".
  std::vector<std::pair<std::string, std::string>> others;  // backend, endpoint names
  for (const dtlsim::Endpoint& e : scenario.endpoints()) {
    const std::string& backend = e.dtls().backend();
    if (e.role() == dtlsim::Endpoint::NOISE || backend.empty() || backend == "openssl") continue;
    auto it = std::find_if(others.begin(), others.end(),
                           [&](const auto& o) { return o.first == backend; });
    if (it == others.end()) it = others.insert(others.end(), {backend, ""});
    it->second += (it->second.empty() ? "" : ", ") + e.name();
  }
  std::string id = buildId();
  for (const auto& [backend, names] : others)
    id += "; " + dtls::backendVersion(backend) + " (" + names + ")";
  return id;
}

bool runScenario(const LoadedScenario& scenario, const RunOptions& options, dtlsim::Trace* trace,
                 std::string* error) {
  const std::uint64_t seed = options.seed.value_or(scenario.scenario.seed());
  detail::World world(scenario, seed);
  if (!world.setUp(options, error)) return false;
  const bool ended = world.run();

  dtlsim::Trace& t = world.trace();
  *t.mutable_scenario() = scenario.scenario;
  t.set_seed(seed);
  t.set_build_id(buildId(scenario.scenario));
  dtlsim::Outcome* outcome = t.mutable_outcome();
  if (!ended)
    outcome->add_failures("invariant: the run did not end (event bound reached at " +
                          std::to_string(outcome->end_time_us()) + " us)");
  for (auto& f : detail::checkInvariants(world.endpoints())) outcome->add_failures(f);
  for (auto& f : detail::checkExpectations(scenario.scenario, *outcome)) outcome->add_failures(f);
  outcome->set_passed(outcome->failures_size() == 0);
  trace->Swap(&t);
  return true;
}

}  // namespace scenarios
