// The event queue: a bounded 4-ary min-heap over a vector, ordered by (time, insertion
// sequence). The sequence number makes the order total, so events at the same time run in the
// order they were scheduled (DESIGN.md §3 "Order") whatever the heap's internal layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "simnet/clock.h"

namespace simnet {

// Receives events popped from the queue. Implemented by the Scheduler (timers) and the
// Network (datagram arrivals). A plain interface pointer plus a token instead of a
// std::function keeps scheduling allocation-free.
class EventSink {
 public:
  virtual void onEvent(std::uint64_t token) = 0;

 protected:
  ~EventSink() = default;
};

struct Event {
  TimeUs time_us = 0;
  std::uint64_t seq = 0;  // assigned by EventQueue::push; unique and increasing
  EventSink* sink = nullptr;
  std::uint64_t token = 0;  // meaning private to the sink
};

// At most this many distinct sinks may use one queue (a world has two: Scheduler, Network).
inline constexpr std::size_t kMaxEventSinks = 256;

class EventQueue {
 public:
  // capacity: the most events pending at once (>= 1). Memory for the first kInitialReserve
  // events is reserved up front; beyond that the heap grows as it fills.
  explicit EventQueue(std::size_t capacity);
  static constexpr std::size_t kInitialReserve = 256;

  // Adds an event; returns false (and changes nothing) when the queue already holds
  // capacity() events or `sink` would be the (kMaxEventSinks + 1)-th distinct sink.
  // Precondition: sink != nullptr.
  bool push(TimeUs time_us, EventSink* sink, std::uint64_t token);
  // Precondition: !empty(). The earliest event by (time_us, seq).
  Event top() const { return unpack(heap_.front()); }
  TimeUs topTime() const { return heap_.front().time_us; }
  // Precondition: !empty(). Removes and returns top().
  Event pop();

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  // 24 bytes instead of 32: the sink is an index in the low 8 bits of `order`
  // (order = seq << 8 | sink index), so comparing `order` still compares seq.
  struct Slot {
    TimeUs time_us;
    std::uint64_t order;
    std::uint64_t token;
  };
  Event unpack(const Slot& s) const { return Event{s.time_us, s.order >> 8, sinks_[s.order & 0xff], s.token}; }

  std::vector<Slot> heap_;
  std::vector<EventSink*> sinks_;
  std::size_t capacity_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace simnet
