// Everything the network does to a datagram is reported here, in order, with the virtual
// time: enough to rebuild a timeline and to see every fault decision.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "simnet/address.h"
#include "simnet/clock.h"

namespace simnet {

enum class DropReason : std::uint8_t {
  kLoss,        // Bernoulli loss
  kBurst,       // Gilbert-Elliott loss
  kMtu,         // larger than the link MTU
  kQueue,       // bandwidth queue full (tail drop)
  kPartition,   // a scheduled partition
  kRule,        // a FaultRule with action kDrop
  kNoListener,  // nobody bound the destination port on arrival
  kRcvBuf,      // the receiving socket's buffer was full on arrival
  kOverload,    // the event queue bound was reached
  kSndBuf,      // the sender's socket buffer was full: sendTo failed (EAGAIN), nothing left the host
};
inline constexpr int kDropReasonCount = static_cast<int>(DropReason::kSndBuf) + 1;
std::string_view toString(DropReason r);

enum class EventKind : std::uint8_t {
  kSend,       // accepted by sendTo; size_bytes = original size
  kDeliver,    // a copy placed in the receiver's buffer
  kDrop,       // reason set; copy set for arrival-time drops
  kDuplicate,  // value = number of extra copies
  kCorrupt,    // value = number of bits flipped in `copy`
  kTruncate,   // value = new size of `copy`
  kDelay,      // copy scheduled; value = total delay in us from send to arrival
};
std::string_view toString(EventKind k);

struct NetEvent {
  EventKind kind = EventKind::kSend;
  TimeUs time_us = 0;
  std::uint64_t datagram_id = 0;  // 1-based, in sendTo order
  std::uint32_t copy = 0;         // 0 = the original, 1.. = duplicates
  Endpoint source;
  Endpoint destination;
  std::uint32_t size_bytes = 0;   // size of this copy at the time of the event
  DropReason reason = DropReason::kLoss;  // kDrop only
  std::int64_t value = 0;                 // see EventKind
  // kCorrupt only: the flipped bit positions (byte * 8 + bit). Valid during onEvent only.
  std::span<const std::uint32_t> flipped_bits;
};

// Installed with Network::setObserver. Called synchronously from inside sendTo and the run
// loop; it must not call back into the Network.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void onEvent(const NetEvent& e) = 0;
};

}  // namespace simnet
