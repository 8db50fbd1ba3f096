#include <openssl/crypto.h>

#include "../world/world.h"
#include "judge.h"
#include "scenarios/runner.h"

namespace scenarios {

std::string buildId() {
  return std::string("dtlsim ") + DTLSIM_VERSION + ", " + OpenSSL_version(OPENSSL_VERSION);
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
  t.set_build_id(buildId());
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
