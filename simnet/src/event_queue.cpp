#include "simnet/event_queue.h"

#include <algorithm>
#include <cassert>

namespace simnet {
namespace {

// (time, seq) is a total order: seq is unique.
template <class S>
bool earlier(const S& a, const S& b) {
  return a.time_us < b.time_us || (a.time_us == b.time_us && a.order < b.order);
}

// A 4-ary heap: half the depth of a binary heap and children on one or two cache lines, which
// matters once tens of thousands of datagrams are in flight.
constexpr std::size_t kArity = 4;

}  // namespace

EventQueue::EventQueue(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {
  // A small world (two endpoints, a handshake) never has more than a few dozen events pending;
  // reserving for tens of thousands made creating a world cost a 1.5 MB allocation, which under
  // ASan (fuzz_faults builds a world per input) also meant poisoning its shadow each time.
  heap_.reserve(std::min<std::size_t>(capacity_, kInitialReserve));
}

bool EventQueue::push(TimeUs time_us, EventSink* sink, std::uint64_t token) {
  assert(sink != nullptr);
  if (heap_.size() >= capacity_) return false;
  std::size_t sink_index = 0;
  while (sink_index < sinks_.size() && sinks_[sink_index] != sink) ++sink_index;
  if (sink_index == sinks_.size()) {
    if (sinks_.size() == kMaxEventSinks) return false;
    sinks_.push_back(sink);
  }
  const Slot e{time_us, (next_seq_++ << 8) | sink_index, token};
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!earlier(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
  return true;
}

Event EventQueue::pop() {
  assert(!heap_.empty());
  const Event top = unpack(heap_.front());
  const Slot last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  while (true) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c) {
      if (earlier(heap_[c], heap_[best])) best = c;
    }
    if (!earlier(heap_[best], last)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
  return top;
}

}  // namespace simnet
