// simnet::DecisionLog <-> repeated dtlsim.FaultDecision.

#include "scenarios/decisions_io.h"

#include <cstdint>
#include <limits>
#include <set>

namespace scenarios {

std::optional<simnet::DropReason> dropReasonFromName(std::string_view name) {
  for (int r = 0; r < simnet::kDropReasonCount; ++r) {
    const auto reason = static_cast<simnet::DropReason>(r);
    if (simnet::toString(reason) == name) return reason;
  }
  return std::nullopt;
}

std::string dropReasonNames() {
  std::string out;
  for (int r = 0; r < simnet::kDropReasonCount; ++r) {
    if (!out.empty()) out += ", ";
    out += simnet::toString(static_cast<simnet::DropReason>(r));
  }
  return out;
}

void decisionsToProto(const simnet::DecisionLog& log, FaultDecisionList* out) {
  out->Clear();
  for (const auto& [id, decision] : log) {
    dtlsim::FaultDecision* d = out->Add();
    d->set_datagram_id(id);
    if (decision.dropped) d->set_dropped(std::string(simnet::toString(*decision.dropped)));
    for (const simnet::CopyDecision& copy : decision.copies) {
      dtlsim::CopyDecision* c = d->add_copies();
      // Recorded delays are never negative (time only goes forward); clamp defensively.
      c->set_delay_us(static_cast<std::uint64_t>(std::max<simnet::DurationUs>(copy.delay_us, 0)));
      if (copy.truncate_to_bytes) c->set_truncate_to_bytes(*copy.truncate_to_bytes);
      for (std::uint32_t bit : copy.flipped_bits) c->add_flipped_bits(bit);
    }
  }
}

bool decisionsFromProto(const FaultDecisionList& decisions, simnet::DecisionLog* out,
                        std::string* error, const std::string& field_name,
                        std::string* error_field) {
  auto fail = [&](int i, const std::string& field, const std::string& what) {
    const std::string path = field_name + "[" + std::to_string(i) + "]" + (field.empty() ? "" : "." + field);
    if (error_field != nullptr) *error_field = path;
    if (error != nullptr) *error = path + ": " + what;
    return false;
  };
  simnet::DecisionLog log;
  for (int i = 0; i < decisions.size(); ++i) {
    const dtlsim::FaultDecision& d = decisions.Get(i);
    if (d.datagram_id() == 0) return fail(i, "datagram_id", "0 is not a datagram id (ids start at 1)");
    if (log.count(d.datagram_id()) != 0) {
      return fail(i, "datagram_id", std::to_string(d.datagram_id()) + " appears twice");
    }
    simnet::DatagramDecision decision;
    if (!d.dropped().empty()) {
      const auto reason = dropReasonFromName(d.dropped());
      if (!reason) {
        return fail(i, "dropped", "unknown drop reason '" + d.dropped() + "' (valid: " +
                                      dropReasonNames() + ")");
      }
      if (d.copies_size() != 0) return fail(i, "copies[0]", "a dropped datagram has no copies");
      decision.dropped = *reason;
    } else if (d.copies_size() == 0) {
      return fail(i, "", "neither dropped nor delivered (no copies)");
    }
    for (int c = 0; c < d.copies_size(); ++c) {
      const dtlsim::CopyDecision& copy = d.copies(c);
      if (copy.delay_us() > static_cast<std::uint64_t>(std::numeric_limits<simnet::DurationUs>::max())) {
        return fail(i, "copies[" + std::to_string(c) + "].delay_us",
                    std::to_string(copy.delay_us()) + " is too large");
      }
      simnet::CopyDecision out_copy;
      out_copy.delay_us = static_cast<simnet::DurationUs>(copy.delay_us());
      if (copy.has_truncate_to_bytes()) out_copy.truncate_to_bytes = copy.truncate_to_bytes();
      out_copy.flipped_bits.assign(copy.flipped_bits().begin(), copy.flipped_bits().end());
      decision.copies.push_back(std::move(out_copy));
    }
    log.emplace(d.datagram_id(), std::move(decision));
  }
  *out = std::move(log);
  return true;
}

}  // namespace scenarios
