// Private: judging a finished run — the scenario's expectations and the invariants every run
// must keep. Each failure is one line naming the endpoint, what was expected and what happened.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dtlsim/trace.pb.h"

namespace scenarios::detail {

class Endpoint;

// The scenario's expectations against the outcome's per-endpoint results.
std::vector<std::string> checkExpectations(const dtlsim::Scenario& scenario,
                                           const dtlsim::Outcome& outcome);

// Every delivered payload equals one that a peer sent, and none is delivered more often than
// it was sent (so nothing twice); an unverified client never receives more bytes than it sent.
std::vector<std::string> checkInvariants(
    const std::vector<std::unique_ptr<Endpoint>>& endpoints);

// The payload half of checkInvariants over plain ledgers, so a test can feed it a fabricated
// run (a payload delivered twice, one that nobody sent) without building a World.
struct PayloadLedger {
  std::string endpoint;
  std::vector<std::string> sent;
  std::vector<std::string> received;
};
std::vector<std::string> checkDeliveries(const std::vector<PayloadLedger>& ledgers);

}  // namespace scenarios::detail
