#include "simnet/scheduler.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace simnet {
namespace {

// A TimerId packs the slot index with the slot's generation so a stale id (the slot was
// reused) never cancels somebody else's timer.
TimerId makeId(std::uint32_t slot, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | slot;
}
std::uint32_t slotOf(TimerId id) { return static_cast<std::uint32_t>(id & 0xffffffffu); }
std::uint32_t generationOf(TimerId id) { return static_cast<std::uint32_t>(id >> 32); }

}  // namespace

Scheduler::Scheduler(std::size_t max_pending_events) : queue_(max_pending_events) {}

TimerId Scheduler::scheduleTimer(DurationUs delay_us, std::function<void()> callback,
                                 EventOwner owner) {
  if (delay_us < 0 || !callback) return kInvalidTimer;
  if (delay_us > kTimeNever - now_us()) return kInvalidTimer;
  std::uint32_t slot;
  if (!free_timer_slots_.empty()) {
    slot = free_timer_slots_.back();
    free_timer_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(timers_.size());
    timers_.emplace_back();
  }
  TimerSlot& t = timers_[slot];
  const TimerId id = makeId(slot, t.generation);
  if (!queue_.push(now_us() + delay_us, this, id)) {
    free_timer_slots_.push_back(slot);
    return kInvalidTimer;
  }
  t.callback = std::move(callback);
  t.owner = owner;
  t.due_us = now_us() + delay_us;
  t.armed = true;
  ++active_timers_;
  return id;
}

bool Scheduler::cancelTimer(TimerId id) {
  const std::uint32_t slot = slotOf(id);
  if (slot >= timers_.size()) return false;
  TimerSlot& t = timers_[slot];
  if (!t.armed || t.generation != generationOf(id)) return false;
  // The queue entry stays; onEvent sees the bumped generation and ignores it. The slot is
  // released only then, so a pending stale entry can never match a reused slot.
  t.armed = false;
  t.callback = nullptr;
  ++t.generation;
  --active_timers_;
  return true;
}

std::optional<TimeUs> Scheduler::dueTime(TimerId id) const {
  const std::uint32_t slot = slotOf(id);
  if (slot >= timers_.size()) return std::nullopt;
  const TimerSlot& t = timers_[slot];
  if (!t.armed || t.generation != generationOf(id)) return std::nullopt;
  return t.due_us;
}

bool Scheduler::scheduleAt(TimeUs at_us, EventSink* sink, std::uint64_t token) {
  if (at_us < now_us() || sink == nullptr) return false;
  return queue_.push(at_us, sink, token);
}

void Scheduler::onEvent(std::uint64_t token) {
  const std::uint32_t slot = slotOf(token);
  assert(slot < timers_.size());
  TimerSlot& t = timers_[slot];
  assert(t.generation == generationOf(token));  // dropCancelled() removed stale entries
  std::function<void()> cb = std::move(t.callback);
  t.callback = nullptr;
  t.armed = false;
  ++t.generation;
  --active_timers_;
  free_timer_slots_.push_back(slot);
  cb();
}

void Scheduler::dropCancelled() {
  // A cancelled timer leaves its entry in the heap; discard it before it can move the clock.
  while (!queue_.empty()) {
    const Event e = queue_.top();
    if (e.sink != this) return;
    const std::uint32_t slot = slotOf(e.token);
    if (timers_[slot].generation == generationOf(e.token)) return;
    queue_.pop();
    free_timer_slots_.push_back(slot);
  }
}

void Scheduler::runOne() {
  const Event e = queue_.pop();
  assert(e.time_us >= clock_.now_us());
  clock_.advanceTo(e.time_us);
  e.sink->onEvent(e.token);
}

EventOwner Scheduler::ownerOfTop() const {
  const Event e = queue_.top();
  return e.sink == this ? timers_[slotOf(e.token)].owner : kOtherSinkOwner;
}

RunResult Scheduler::run(const RunLimits& limits) {
  RunResult r;
  TimeUs instant = now_us();
  std::uint64_t at_instant = 0;  // events run at `instant` by this call
  while (dropCancelled(), !queue_.empty()) {
    if (r.events >= limits.max_events) {
      r.stop = RunStop::kEventLimit;
      return r;
    }
    const TimeUs next = queue_.topTime();
    if (next > limits.max_time_us) {
      r.stop = RunStop::kTimeLimit;
      return r;
    }
    if (next != instant) {
      instant = next;
      at_instant = 0;
    }
    if (at_instant >= limits.max_events_per_instant) {
      // Counted only past the bound, so an honest run pays one comparison per event.
      if (at_instant == limits.max_events_per_instant + kLivelockSampleEvents) {
        r.stop = RunStop::kLivelock;
        r.events_at_instant = at_instant;
        std::stable_sort(r.livelock_sample.begin(), r.livelock_sample.end(),
                         [](const OwnerEvents& a, const OwnerEvents& b) {
                           return a.events != b.events ? a.events > b.events : a.owner < b.owner;
                         });
        return r;
      }
      const EventOwner owner = ownerOfTop();
      auto it = std::find_if(r.livelock_sample.begin(), r.livelock_sample.end(),
                             [owner](const OwnerEvents& o) { return o.owner == owner; });
      if (it == r.livelock_sample.end())
        it = r.livelock_sample.insert(r.livelock_sample.end(), OwnerEvents{owner, 0});
      ++it->events;
    }
    runOne();
    ++r.events;
    ++at_instant;
  }
  r.stop = RunStop::kIdle;
  return r;
}

RunResult Scheduler::runUntil(TimeUs t_us, std::uint64_t max_events) {
  assert(t_us >= now_us());
  RunResult r = run(RunLimits{max_events, t_us});
  const bool cut_short = r.stop == RunStop::kEventLimit || r.stop == RunStop::kLivelock;
  if (!cut_short && t_us > now_us()) clock_.advanceTo(t_us);
  return r;
}

bool Scheduler::step() {
  dropCancelled();
  if (queue_.empty()) return false;
  runOne();
  return true;
}

}  // namespace simnet
