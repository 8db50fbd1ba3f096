// Private: one simulated world — a simnet network in virtual time, a seeded OpenSSL library
// context, the scenario's endpoints — and the trace of what happened in it.
#pragma once

#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "endpoint.h"
#include "leftovers.h"
#include "recorder.h"
#include "scenarios/runner.h"
#include "scenarios/sim_rand.h"
#include "sim_ports.h"

namespace scenarios::detail {

class World {
 public:
  World(const LoadedScenario& scenario, std::uint64_t seed);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Builds the network, binds every endpoint and schedules the actions.
  bool setUp(const RunOptions& options, std::string* error);
  // Runs to the end: idle, the scenario's time limit, the event bound, or a livelock
  // (simnet::RunStop; fillOutcome has run in every case).
  simnet::RunResult run();
  // What the owner of a livelock's events is, in the scenario's names ("client's DTLS timer").
  std::string describe(simnet::EventOwner owner) const;
  // Scenario.liveness, after run(): the stalls found at faults_stop_ms + bound and the payloads
  // sent after the faults stopped that never reached their peer, one invariant failure each.
  std::vector<std::string> livenessFailures() const;
  // The name of the endpoint a stall (a livenessFailures() line) was waiting on; empty if none.
  std::string peerOfStall(const std::string& stall) const {
    const auto it = stall_peers_.find(stall);
    return it == stall_peers_.end() ? std::string() : it->second;
  }
  // Whether a side of this stall received, after the faults stopped, a handshake message newer
  // than any it had answered (the oracles' record; false when they are off): a timer that
  // expired in silence does not explain such a stall.
  bool stallHadUnansweredInput(const std::string& stall) const {
    return stalls_with_input_.contains(stall);
  }
  // The stalls that a known finding of the stalled endpoint's peer explains, or damage that made
  // the two sides derive different keys (keysDivergedByDamage), one line each.
  const std::vector<std::string>& excusedStalls() const { return excused_stalls_; }
  // The trace, with the outcome filled in but not yet judged.
  dtlsim::Trace& trace() { return trace_; }
  const std::vector<std::unique_ptr<Endpoint>>& endpoints() const { return endpoints_; }
  const simnet::Network& network() const { return net_; }
  // After run(): the oracles' verdicts (RunOptions::oracles; empty when off), libraries unset.
  std::vector<dtlsim::OracleCheck> oracleChecks();

 private:
  bool createEndpoints(std::string* error);
  void scheduleActions();
  void scheduleAction(const dtlsim::Action& action, Endpoint& endpoint);
  // Makes `endpoint` keep the datagram a replay action will re-send.
  void prepareReplay(const dtlsim::Action& action, Endpoint& endpoint);
  void installClassifier();
  void fillOutcome();
  void scheduleLivenessCheck();
  void checkStalls();
  // Why a stall between `a` and `b` is the protocol's answer to damage, if it is.
  std::optional<std::string> keysDivergedByDamage(const Endpoint& a, const Endpoint& b) const;
  // Pins this world's contexts for the next world and takes back the parked ones it left unused.
  std::unique_ptr<Leftovers> keepForNextWorld();

  const LoadedScenario& s_;
  std::uint64_t seed_;
  std::unique_ptr<SeededLibraryContext> openssl_;  // outlives every Connection
  // The previous world's, taken in setUp (its library context moved to openssl_).
  std::unique_ptr<Leftovers> taken_;
  // This world's keepable configurations, one per role and dtls block (pins unset).
  std::vector<Leftovers::Kept> configurations_;
  simnet::Network net_;
  SimClock clock_;
  dtlsim::Trace trace_;
  std::unique_ptr<OracleChecker> oracles_;  // fed by recorder_, so it outlives it
  Recorder recorder_;
  WorldContext ctx_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::vector<std::string> stalls_;  // found by checkStalls
  // Stalls a known deviation of the peer's library explains (Outcome.excused).
  std::vector<std::string> excused_stalls_;
  std::map<std::string, std::string> stall_peers_;  // stall line -> peer endpoint name
  std::set<std::string> stalls_with_input_;
};

}  // namespace scenarios::detail
