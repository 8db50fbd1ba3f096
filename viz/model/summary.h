// viz/model/summary.h — the run at a glance: outcome, handshake duration, retransmissions per
// side, faults by kind. Computed from the trace's outcome and the timeline.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dtlsim/trace.pb.h"
#include "model/timeline.h"

namespace viz {

struct EndpointSummary {
  std::string name;
  std::string final_state;  // "-" when the outcome does not list the endpoint
  // From its first handshake datagram (sent by a client, received by a server) to
  // handshake_done_us; empty when the handshake did not complete.
  std::optional<std::uint64_t> handshake_us;
  std::uint32_t retransmissions = 0;  // the outcome's count (RETRANSMIT events if absent)
  std::uint32_t timer_expiries = 0;
  std::uint32_t datagrams_sent = 0;
  std::string last_error;  // "" or "Code \"string\""
};

struct Summary {
  std::string scenario;
  std::uint64_t seed = 0;
  bool passed = false;
  std::vector<std::string> failures;
  std::uint64_t end_us = 0;
  std::uint64_t datagrams_sent = 0;
  // The whole handshake: from the first client datagram to the last endpoint's completion;
  // empty unless every endpoint of the outcome completed.
  std::optional<std::uint64_t> handshake_us;
  std::vector<EndpointSummary> endpoints;
  // "lost (loss)", "lost (rule)", "duplicated", "reordered", "corrupted", "truncated",
  // "in flight at end" -> count of datagram copies. Sorted by name (std::map): deterministic.
  std::map<std::string, int> faults;
};

Summary summarize(const dtlsim::Trace& trace, const Timeline& timeline);

// Plain text, one fact per line, for the summary pane and the window's status:
//   lost-finished  seed 1  PASSED  end 2020.000 ms  21 datagrams
//   handshake 1060.000 ms
//   client  HandshakeComplete  handshake 1060.000 ms  retx 1  timers 1  sent 8
//   faults: lost (rule) 1
std::string summaryText(const Summary& summary);

}  // namespace viz
