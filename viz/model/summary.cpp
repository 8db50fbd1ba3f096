#include "model/summary.h"

#include <algorithm>

namespace viz {
namespace {

using Event = dtlsim::TraceEvent;

// When the endpoint's handshake started: its first datagram sent (client) or received
// (server); nullopt when it never saw one.
std::optional<std::uint64_t> handshakeStart(const Timeline& t, int lane) {
  std::optional<std::uint64_t> start;
  for (const DatagramItem& d : t.datagrams) {
    const bool client = t.lanes[static_cast<std::size_t>(lane)].role != LaneRole::Server;
    if (client && d.from_lane == lane) start = std::min(start.value_or(d.send_us), d.send_us);
    if (!client && d.to_lane == lane && d.fate == Fate::Delivered)
      start = std::min(start.value_or(d.end_us), d.end_us);
  }
  return start;
}

}  // namespace

Summary summarize(const dtlsim::Trace& trace, const Timeline& t) {
  Summary s;
  s.scenario = trace.scenario().name().empty() ? "(unnamed)" : trace.scenario().name();
  s.seed = trace.seed();
  const dtlsim::Outcome& o = trace.outcome();
  s.passed = o.passed();
  s.failures.assign(o.failures().begin(), o.failures().end());
  s.end_us = t.end_us;
  s.datagrams_sent = 0;
  for (const DatagramItem& d : t.datagrams) s.datagrams_sent += d.copy == 0 ? 1 : 0;

  std::optional<std::uint64_t> first_client_send;
  std::optional<std::uint64_t> last_done;
  bool all_done = o.endpoints_size() > 0;
  for (std::size_t lane = 0; lane < t.lanes.size(); ++lane) {
    EndpointSummary e;
    e.name = t.lanes[lane].name;
    e.final_state = "-";
    const dtlsim::EndpointOutcome* eo = nullptr;
    for (const auto& candidate : o.endpoints())
      if (candidate.name() == e.name) eo = &candidate;
    std::uint32_t retransmit_events = 0;
    for (const Event& ev : trace.events()) {
      if (ev.endpoint() != e.name) continue;
      if (ev.kind() == Event::RETRANSMIT) ++retransmit_events;
      if (ev.kind() == Event::TIMER_EXPIRED) ++e.timer_expiries;
      if (ev.kind() == Event::SEND) ++e.datagrams_sent;
    }
    e.retransmissions = eo ? eo->retransmissions() : retransmit_events;
    const auto start = handshakeStart(t, static_cast<int>(lane));
    if (t.lanes[lane].role != LaneRole::Server && start)
      first_client_send = std::min(first_client_send.value_or(*start), *start);
    if (eo) {
      e.final_state = eo->final_state().empty() ? "-" : eo->final_state();
      if (!eo->last_error().empty())
        e.last_error = eo->last_error() + (eo->last_error_string().empty()
                                               ? std::string()
                                               : " \"" + eo->last_error_string() + "\"");
      if (eo->has_handshake_done_us()) {
        if (start && eo->handshake_done_us() >= *start)
          e.handshake_us = eo->handshake_done_us() - *start;
        last_done = std::max(last_done.value_or(0), eo->handshake_done_us());
      } else if (t.lanes[lane].role != LaneRole::Other) {
        all_done = false;  // a noise sender never handshakes; only clients and servers count
      }
    }
    s.endpoints.push_back(std::move(e));
  }
  if (all_done && first_client_send && last_done && *last_done >= *first_client_send)
    s.handshake_us = *last_done - *first_client_send;

  for (const DatagramItem& d : t.datagrams) {
    if (d.fate == Fate::Dropped) ++s.faults["lost (" + d.drop_reason + ")"];
    if (d.fate == Fate::InFlight) ++s.faults["in flight at end"];
    if (d.duplicate) ++s.faults["duplicated"];
    if (d.reordered) ++s.faults["reordered"];
    if (d.corrupted_bits) ++s.faults["corrupted"];
    if (d.truncated_to_bytes) ++s.faults["truncated"];
  }
  return s;
}

std::string summaryText(const Summary& s) {
  std::string out = s.scenario + "  seed " + std::to_string(s.seed) + "  " +
                    (s.passed ? "PASSED" : "FAILED") + "  end " + formatMs(s.end_us) + "  " +
                    std::to_string(s.datagrams_sent) + " datagrams\n";
  for (const std::string& f : s.failures) out += "failure: " + f + "\n";
  out += "handshake " + (s.handshake_us ? formatMs(*s.handshake_us) : std::string("not completed")) + "\n";
  for (const EndpointSummary& e : s.endpoints) {
    out += e.name + "  " + e.final_state + "  handshake " +
           (e.handshake_us ? formatMs(*e.handshake_us) : std::string("-")) + "  retx " +
           std::to_string(e.retransmissions) + "  timers " + std::to_string(e.timer_expiries) +
           "  sent " + std::to_string(e.datagrams_sent);
    if (!e.last_error.empty()) out += "  error " + e.last_error;
    out += "\n";
  }
  std::string faults;
  for (const auto& [kind, count] : s.faults)
    faults += (faults.empty() ? "" : ", ") + kind + " " + std::to_string(count);
  out += "faults: " + (faults.empty() ? std::string("none") : faults) + "\n";
  return out;
}

}  // namespace viz
