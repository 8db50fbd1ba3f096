#include "simnet/event_queue.h"

#include <algorithm>
#include <cassert>

namespace simnet {
namespace {

// std heap functions build a max-heap; "later" is "less" so the earliest event is on top.
struct Later {
  bool operator()(const Event& a, const Event& b) const {
    if (a.time_us != b.time_us) return a.time_us > b.time_us;
    return a.seq > b.seq;
  }
};

}  // namespace

EventQueue::EventQueue(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {
  heap_.reserve(std::min<std::size_t>(capacity_, 1u << 16));
}

bool EventQueue::push(TimeUs time_us, EventSink* sink, std::uint64_t token) {
  assert(sink != nullptr);
  if (heap_.size() >= capacity_) return false;
  heap_.push_back(Event{time_us, next_seq_++, sink, token});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  return true;
}

Event EventQueue::pop() {
  assert(!heap_.empty());
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Event e = heap_.back();
  heap_.pop_back();
  return e;
}

}  // namespace simnet
