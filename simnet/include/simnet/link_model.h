// The fault model of one direction of a link (DESIGN.md §5). A Network has a default
// LinkModel and per-(source address, destination address) overrides.
#pragma once

#include <cstdint>
#include <string>

#include "simnet/clock.h"
#include "simnet/status.h"

namespace simnet {

inline constexpr std::uint32_t kMaxDuplicateCopies = 16;
// Bits flipped in one copy, all causes together (distinct positions are drawn by rejection).
inline constexpr std::uint32_t kMaxCorruptBitFlips = 1024;
// IPv4 UDP payload limit: 65535 - 20 (IP header) - 8 (UDP header).
inline constexpr std::uint32_t kMaxUdpPayloadBytes = 65507;

// Extra delay added to latency_us, drawn per delivered copy.
struct JitterModel {
  enum class Kind : std::uint8_t {
    kNone,     // no jitter
    kUniform,  // uniform integer in [-jitter_us, +jitter_us] (netem "delay D J")
    kNormal,   // normal with standard deviation jitter_us, rounded to microseconds
    kPareto,   // Lomax: jitter_us * (U^(-1/pareto_shape) - 1), heavy tail, >= 0
  };
  Kind kind = Kind::kNone;
  DurationUs jitter_us = 0;
  double pareto_shape = 2.0;  // > 0; mean jitter_us / (shape - 1) when shape > 1
  // Upper bound on |jitter| so a heavy tail can never stall a run (bound everything).
  DurationUs jitter_max_us = 10 * kSecondUs;
};

// Gilbert-Elliott burst loss with netem's "loss gemodel p r 1-h 1-k" parameters. Per datagram:
// the loss decision uses the current state, then the state transitions (as netem's
// loss_gilb_ell does). With bad_loss_probability 1 and good_loss_probability 0, loss bursts
// have mean length 1 / r_bad_to_good datagrams.
struct GilbertElliott {
  bool enabled = false;
  double p_good_to_bad = 0;         // netem p
  double r_bad_to_good = 1;         // netem r
  double bad_loss_probability = 1;  // netem 1-h
  double good_loss_probability = 0; // netem 1-k
};

struct LinkModel {
  // Propagation delay of every datagram.
  DurationUs latency_us = 0;
  JitterModel jitter;

  // Independent (Bernoulli) loss. Applied in addition to Gilbert-Elliott when both are set.
  double loss_probability = 0;
  GilbertElliott burst_loss;

  // With this probability, duplicate_copies extra copies are delivered (each with its own
  // delay draw). At most kMaxDuplicateCopies.
  double duplicate_probability = 0;
  std::uint32_t duplicate_copies = 1;

  // With this probability a copy is held back reorder_extra_delay_us longer, so later
  // datagrams overtake it.
  double reorder_probability = 0;
  DurationUs reorder_extra_delay_us = 0;

  // With this probability corrupt_bit_flips distinct random bits of a copy are flipped.
  double corrupt_probability = 0;
  std::uint32_t corrupt_bit_flips = 1;

  // With this probability a copy is cut to a uniform length in [0, size - 1].
  double truncate_probability = 0;

  // Datagrams larger than this are dropped (reason kMtu). When report_mtu_to_sender is set,
  // sendTo also returns SendStatus::kMessageTooLarge, as EMSGSIZE does on a real socket.
  std::uint32_t mtu_bytes = 65535;
  bool report_mtu_to_sender = false;

  // Serialization rate; 0 means unlimited. Datagrams wait in a FIFO queue of at most
  // queue_capacity_bytes bytes; one that does not fit is tail-dropped (reason kQueue).
  std::uint64_t bandwidth_bytes_per_second = 0;
  std::uint64_t queue_capacity_bytes = 64 * 1024;
};

// Checks every field; `where` prefixes the message, e.g. "link 10.0.0.1->10.0.0.2".
// Errors: probabilities outside [0, 1] or NaN, negative delays, mtu_bytes 0 or > 65535,
// duplicate_copies 0 or > kMaxDuplicateCopies, corrupt_bit_flips 0 or > kMaxCorruptBitFlips,
// pareto_shape <= 0,
// Gilbert-Elliott r_bad_to_good 0 (a burst that never ends).
Status validateLinkModel(const LinkModel& m, const std::string& where);


}  // namespace simnet
