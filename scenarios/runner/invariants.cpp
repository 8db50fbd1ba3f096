#include <map>

#include "../world/endpoint.h"
#include "judge.h"

namespace scenarios::detail {

std::vector<std::string> checkDeliveries(const std::vector<PayloadLedger>& ledgers) {
  std::vector<std::string> failures;
  for (const auto& receiver : ledgers) {
    // What the other endpoints sent, as a multiset: a payload may be received at most as often
    // as it was sent, which also rules out double delivery.
    std::map<std::string, long> available;
    for (const auto& sender : ledgers)
      if (&sender != &receiver)
        for (const auto& p : sender.sent) ++available[p];
    for (const auto& p : receiver.received) {
      auto it = available.find(p);
      if (it == available.end()) {
        failures.push_back("invariant: " + receiver.endpoint + " received a " +
                           std::to_string(p.size()) + "-byte payload that no peer sent");
      } else if (--it->second < 0) {
        failures.push_back("invariant: " + receiver.endpoint + " received a " +
                           std::to_string(p.size()) + "-byte payload more often than it was sent");
      }
    }
  }
  return failures;
}

std::vector<std::string> checkInvariants(const std::vector<std::unique_ptr<Endpoint>>& endpoints) {
  std::vector<PayloadLedger> ledgers;
  for (const auto& e : endpoints)
    ledgers.push_back(PayloadLedger{e->name(), e->ledger().sent, e->ledger().received});
  std::vector<std::string> failures = checkDeliveries(ledgers);
  for (const auto& e : endpoints) {
    std::string why;
    if (!e->amplificationHeld(&why)) failures.push_back("invariant: " + why);
  }
  return failures;
}

}  // namespace scenarios::detail
