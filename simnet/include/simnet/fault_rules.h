// Targeted faults: partitions/clogs scheduled in time, and rules that hit chosen datagrams
// (DESIGN.md §5). simnet knows nothing about DTLS: the layer above installs a Classifier that
// turns datagram bytes into labels such as "handshake:finished" with epoch 1.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "simnet/address.h"
#include "simnet/clock.h"

namespace simnet {

struct Label {
  std::string name;
  std::optional<std::uint16_t> epoch;
};

// Appends zero or more labels describing `datagram` to `out` (which arrives empty). Called at
// most once per sent datagram, only while some rule matches on labels. Must be deterministic.
using Classifier = std::function<void(std::span<const std::uint8_t> datagram, std::vector<Label>& out)>;

// From from_us (inclusive) to until_us (exclusive), traffic from side_a to side_b (and back,
// unless one_way) is dropped (kPartition) or, for a clog, held and released at until_us.
// Checked when a datagram is sent. Every address must belong to a host.
struct Partition {
  enum class Mode : std::uint8_t { kDrop, kClog };
  std::vector<Address> side_a;
  std::vector<Address> side_b;
  TimeUs from_us = 0;
  TimeUs until_us = kTimeNever;
  bool one_way = false;
  Mode mode = Mode::kDrop;
};

// Which datagrams a rule hits. Every set field must match.
struct RuleMatch {
  std::optional<Address> source;       // sender address
  std::optional<Address> destination;  // receiver address
  bool both_directions = false;        // also match destination->source
  // 0-based index of the datagram on its path (source address -> destination address).
  std::optional<std::uint64_t> path_index;
  TimeUs from_us = 0;                  // send time window [from_us, until_us)
  TimeUs until_us = kTimeNever;
  std::optional<std::string> label;    // a label from the Classifier must have this name
  std::optional<std::uint16_t> epoch;  // ... and this epoch (requires label)
  // Fire only on the N-th (1-based) datagram that matches everything above; unset: every one.
  std::optional<std::uint32_t> occurrence;
};

struct RuleAction {
  enum class Kind : std::uint8_t {
    kDrop,       // drop (reason kRule)
    kDuplicate,  // deliver `count` extra copies
    kDelay,      // add delay_us to every copy
    kCorrupt,    // flip `count` distinct random bits in every copy
    kTruncate,   // cut every copy to truncate_to_bytes (if longer)
    kHold,       // hold every copy until hold_until_us, then release (plus latency)
    // The send fails as on a socket whose send buffer is full (EAGAIN): nothing leaves the
    // host, sendTo returns SendStatus::kWouldBlock and the drop reason is kSndBuf. Unlike a
    // loss, the sender learns of it, and what a DTLS stack does then is its own code path.
    kWouldBlock,
  };
  Kind kind = Kind::kDrop;
  std::uint32_t count = 1;
  DurationUs delay_us = 0;
  std::uint32_t truncate_to_bytes = 0;
  TimeUs hold_until_us = 0;
};

struct FaultRule {
  std::string name;  // for messages and observers
  RuleMatch match;
  RuleAction action;
};

}  // namespace simnet
