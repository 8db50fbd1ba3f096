// The fault decisions of a run as an editable value: per datagram id, what happened to it.
// Network records them; a Network in replay mode applies them instead of drawing from the
// PRNG. A shrinker removes entries one at a time and re-runs: a datagram without an entry is
// delivered once, unmodified, after the link's base latency_us.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "simnet/clock.h"
#include "simnet/observer.h"

namespace simnet {

struct CopyDecision {
  DurationUs delay_us = 0;                       // send -> arrival, all causes included
  std::optional<std::uint32_t> truncate_to_bytes;  // applied before bit flips
  std::vector<std::uint32_t> flipped_bits;       // bit positions (byte * 8 + bit), in order
  friend bool operator==(const CopyDecision&, const CopyDecision&) = default;
};

struct DatagramDecision {
  std::optional<DropReason> dropped;  // set: dropped at send with this reason; copies empty
  std::vector<CopyDecision> copies;   // copies[0] is the original
  friend bool operator==(const DatagramDecision&, const DatagramDecision&) = default;
};

// Ordered by datagram id so iteration (and any trace made from it) is deterministic.
using DecisionLog = std::map<std::uint64_t, DatagramDecision>;

}  // namespace simnet
