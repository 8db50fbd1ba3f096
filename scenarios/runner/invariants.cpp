#include <map>

#include "../world/endpoint.h"
#include "judge.h"

namespace scenarios::detail {

std::vector<std::string> checkInvariants(const std::vector<std::unique_ptr<Endpoint>>& endpoints) {
  std::vector<std::string> failures;
  for (const auto& receiver : endpoints) {
    // What the other endpoints sent, as a multiset: a payload may be received at most as often
    // as it was sent, which also rules out double delivery.
    std::map<dtls::ByteArray, long> available;
    for (const auto& sender : endpoints)
      if (sender != receiver)
        for (const auto& p : sender->ledger().sent) ++available[p];
    for (const auto& p : receiver->ledger().received) {
      auto it = available.find(p);
      if (it == available.end()) {
        failures.push_back("invariant: " + receiver->name() + " received a " +
                           std::to_string(p.size()) + "-byte payload that no peer sent");
      } else if (--it->second < 0) {
        failures.push_back("invariant: " + receiver->name() + " received a " +
                           std::to_string(p.size()) + "-byte payload more often than it was sent");
      }
    }
    std::string why;
    if (!receiver->amplificationHeld(&why)) failures.push_back("invariant: " + why);
  }
  return failures;
}

}  // namespace scenarios::detail
