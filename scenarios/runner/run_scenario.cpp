#include <openssl/crypto.h>

#include <algorithm>
#include <map>
#include <optional>
#include <cstdio>
#include <utility>
#include <vector>

#include "dtls/backend.h"

#include "../world/world.h"
#include "judge.h"
#include "scenarios/oracles.h"
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

namespace {

// "livelock at t=250.000 ms: 11000 events without time advancing (what kept running: client's
// DTLS timer 1000 of the last 1000 events)".
std::string livelockFailure(const detail::World& world, const simnet::RunResult& result,
                            std::int64_t at_us) {
  char at[32];
  std::snprintf(at, sizeof at, "%.3f", static_cast<double>(at_us) / 1000.0);
  std::string text = "invariant: livelock at t=" + std::string(at) + " ms: " +
                     std::to_string(result.events_at_instant) +
                     " events without time advancing (what kept running: ";
  std::uint64_t sampled = 0;
  for (std::size_t i = 0; i < result.livelock_sample.size(); ++i) {
    const simnet::OwnerEvents& o = result.livelock_sample[i];
    text += (i == 0 ? "" : ", ") + world.describe(o.owner) + " " + std::to_string(o.events);
    sampled += o.events;
  }
  return text + " of the last " + std::to_string(sampled) + " events)";
}

// Each check gets its endpoint's library; a violation is a failure, or an excuse when the
// library's deviation is a known finding.
void judgeOracles(std::vector<dtlsim::OracleCheck> checks, dtlsim::Outcome* outcome) {
  std::map<std::string, std::string> libraries;
  for (const dtlsim::EndpointOutcome& e : outcome->endpoints()) libraries[e.name()] = e.library();
  for (dtlsim::OracleCheck& c : checks) {
    c.set_library(libraries[c.endpoint()]);
    if (c.violations() > 0) {
      if (auto why = knownDeviation(c.property(), c.library())) {
        c.set_excused_by(*why);
        outcome->add_excused(oracleFailureText(c) + " [" + *why + "]");
      } else {
        outcome->add_failures(oracleFailureText(c));
      }
    }
    *outcome->add_oracles() = std::move(c);
  }
}

// "invariant: stall: client still in ..." of an endpoint whose own timer, or whose peer's,
// expired without a retransmission in this run by a known deviation (findings 002, 020): that
// is why the handshake is stuck (neither side resends what the other lost), and the finding
// already shows it. Nothing else excuses a stall.
std::optional<std::string> stallExplainedByDeviation(const std::string& failure,
                                                     const std::string& peer,
                                                     const dtlsim::Outcome& outcome) {
  static const std::string kStall = "invariant: stall: ";
  if (failure.rfind(kStall, 0) != 0) return std::nullopt;
  const std::string who = failure.substr(kStall.size(), failure.find_first_of(' ', kStall.size()) -
                                                            kStall.size());
  for (const dtlsim::OracleCheck& c : outcome.oracles()) {
    if (c.property() != "expiry-retransmits" || c.violations() == 0 || c.excused_by().empty())
      continue;
    if (c.endpoint() == who) return "its own timer expired without a retransmission: " + c.excused_by();
    if (!peer.empty() && c.endpoint() == peer)
      return "its peer " + peer + "'s timer expired without a retransmission: " + c.excused_by();
  }
  return std::nullopt;
}

}  // namespace

bool runScenario(const LoadedScenario& original, const RunOptions& options, dtlsim::Trace* trace,
                 std::string* error) {
  const std::uint64_t seed = options.seed.value_or(original.scenario.seed());
  std::string draw;
  LoadedScenario swarmed;
  if (options.swarm != nullptr) {
    swarmed = original;
    if (!applySwarm(*options.swarm, seed, &swarmed, &draw, error)) return false;
  }
  const LoadedScenario& scenario = options.swarm != nullptr ? swarmed : original;
  detail::World world(scenario, seed);
  if (!world.setUp(options, error)) return false;
  const simnet::RunResult result = world.run();

  dtlsim::Trace& t = world.trace();
  *t.mutable_scenario() = scenario.scenario;
  t.set_seed(seed);
  t.set_build_id(buildId(scenario.scenario));
  dtlsim::Outcome* outcome = t.mutable_outcome();
  if (result.stop == simnet::RunStop::kEventLimit)
    outcome->add_failures("invariant: the run did not end (event bound reached at " +
                          std::to_string(outcome->end_time_us()) + " us)");
  if (result.stop == simnet::RunStop::kLivelock)
    outcome->add_failures(
        livelockFailure(world, result, static_cast<std::int64_t>(outcome->end_time_us())));
  for (auto& f : detail::checkInvariants(world.endpoints())) outcome->add_failures(f);
  judgeOracles(world.oracleChecks(), outcome);
  for (auto& f : world.livenessFailures()) {
    std::optional<std::string> why;
    if (!world.stallHadUnansweredInput(f)) why = stallExplainedByDeviation(f, world.peerOfStall(f), *outcome);
    if (why) {
      outcome->add_excused(f + " [" + *why + "]");
    } else {
      outcome->add_failures(f);
    }
  }
  for (const auto& e : world.excusedStalls()) outcome->add_excused(e);
  for (auto& f : detail::checkExpectations(scenario.scenario, *outcome)) outcome->add_failures(f);
  outcome->set_swarm_draw(draw);
  outcome->set_passed(outcome->failures_size() == 0);
  trace->Swap(&t);
  return true;
}

}  // namespace scenarios
