// The run loop: virtual clock + event queue + timers. Single-threaded by design
// (DESIGN.md §3): nothing here is safe to call from two threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "simnet/clock.h"
#include "simnet/event_queue.h"

namespace simnet {

// Identifies a scheduled timer. 0 is never a valid id (returned when scheduling failed).
using TimerId = std::uint64_t;
inline constexpr TimerId kInvalidTimer = 0;

// Guards for one call of the run loop. Both are always finite so a run always ends.
struct RunLimits {
  // The most events (timers fired + datagrams arrived) one call may process.
  std::uint64_t max_events = 100'000'000;
  // The run stops before any event later than this virtual time.
  TimeUs max_time_us = kTimeNever;
};

enum class RunStop {
  kIdle,        // no event left
  kTimeLimit,   // the next event is after the requested time / max_time_us
  kEventLimit,  // max_events processed
};

struct RunResult {
  RunStop stop = RunStop::kIdle;
  std::uint64_t events = 0;  // events processed by this call (cancelled timers not counted)
};

class Scheduler final : private EventSink {
 public:
  // max_pending_events bounds the event queue (timers and in-flight datagrams together).
  explicit Scheduler(std::size_t max_pending_events);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  TimeUs now_us() const { return clock_.now_us(); }

  // Calls `callback` once at now_us() + delay_us. Timers due at the same time fire in the
  // order they were scheduled. Returns kInvalidTimer when delay_us < 0, callback is empty or
  // the event queue is full. The callback may schedule and cancel timers.
  TimerId scheduleTimer(DurationUs delay_us, std::function<void()> callback);
  // Cancels a pending timer; returns false when it already fired, was cancelled or is unknown.
  bool cancelTimer(TimerId id);

  // Low-level: deliver `token` to `sink` at absolute time at_us (>= now_us()). Returns false
  // when the queue is full or at_us is in the past. Used by the Network; `sink` must outlive
  // the event.
  bool scheduleAt(TimeUs at_us, EventSink* sink, std::uint64_t token);

  // Runs events in (time, sequence) order until none is left or a limit is hit.
  RunResult run(const RunLimits& limits = {});
  // Runs every event due at or before t_us (within limits), then advances the clock to t_us
  // unless the event limit stopped it first. Precondition: t_us >= now_us().
  RunResult runUntil(TimeUs t_us, std::uint64_t max_events = RunLimits{}.max_events);
  // Runs exactly one event if any; returns whether one ran.
  bool step();

  // Queue entries, including those of cancelled timers not yet discarded.
  std::size_t pendingEvents() const { return queue_.size(); }
  std::size_t maxPendingEvents() const { return queue_.capacity(); }
  // Timers scheduled and not yet fired or cancelled.
  std::size_t activeTimers() const { return active_timers_; }

 private:
  struct TimerSlot {
    std::function<void()> callback;
    std::uint32_t generation = 1;
    bool armed = false;
  };

  void onEvent(std::uint64_t token) override;
  void dropCancelled();
  // Precondition: !queue_.empty() and the top is live. Pops it, advances the clock, runs it.
  void runOne();

  VirtualClock clock_;
  EventQueue queue_;
  std::vector<TimerSlot> timers_;
  std::vector<std::uint32_t> free_timer_slots_;
  std::size_t active_timers_ = 0;
};

}  // namespace simnet
