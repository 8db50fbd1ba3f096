// The run loop: virtual clock + event queue + timers. Single-threaded by design
// (DESIGN.md §3): nothing here is safe to call from two threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "simnet/clock.h"
#include "simnet/event_queue.h"

namespace simnet {

// Identifies a scheduled timer. 0 is never a valid id (returned when scheduling failed).
using TimerId = std::uint64_t;
inline constexpr TimerId kInvalidTimer = 0;

// Who a timer belongs to, for the livelock report: an index the caller gives meaning to (the
// World's "client's DTLS timer", ...). kNoOwner for a timer scheduled without one.
using EventOwner = std::uint32_t;
inline constexpr EventOwner kNoOwner = 0;
// The owner counted for events of other sinks: the network's datagram deliveries.
inline constexpr EventOwner kOtherSinkOwner = 0xffffffffu;

// Virtual time that stops advancing is a livelock: a timer that re-arms itself at zero delay,
// or two components answering each other over a zero-latency path. No honest world comes near
// the bound: with it set to 5 (a stop after 1,005 events at one instant) every catalog story
// still passed on every backend over seeds 1..20 (2026-12-06). Ten thousand leaves a wide
// margin and still ends a spinning world in milliseconds of wall time.
inline constexpr std::uint64_t kDefaultMaxEventsPerInstant = 10'000;
// Past that bound, this many more events run and are counted by owner: what kept spinning.
inline constexpr std::uint64_t kLivelockSampleEvents = 1'000;

// Guards for one call of the run loop. All are finite so a run always ends.
struct RunLimits {
  // The most events (timers fired + datagrams arrived) one call may process.
  std::uint64_t max_events = 100'000'000;
  // The run stops before any event later than this virtual time.
  TimeUs max_time_us = kTimeNever;
  // The most events one instant of virtual time may hold before the run stops as a livelock.
  std::uint64_t max_events_per_instant = kDefaultMaxEventsPerInstant;
};

enum class RunStop {
  kIdle,        // no event left
  kTimeLimit,   // the next event is after the requested time / max_time_us
  kEventLimit,  // max_events processed
  kLivelock,    // max_events_per_instant + kLivelockSampleEvents ran without time advancing
};

struct OwnerEvents {
  EventOwner owner = kNoOwner;
  std::uint64_t events = 0;
};

struct RunResult {
  RunStop stop = RunStop::kIdle;
  std::uint64_t events = 0;  // events processed by this call (cancelled timers not counted)
  // kLivelock: the events run at the instant it stopped (now_us()), and the last
  // kLivelockSampleEvents of them by owner, most first (ties: lower owner first).
  std::uint64_t events_at_instant = 0;
  std::vector<OwnerEvents> livelock_sample;
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
  TimerId scheduleTimer(DurationUs delay_us, std::function<void()> callback,
                       EventOwner owner = kNoOwner);
  // Cancels a pending timer; returns false when it already fired, was cancelled or is unknown.
  bool cancelTimer(TimerId id);
  // When a pending timer is due; nullopt once it fired or was cancelled, or for an unknown id.
  std::optional<TimeUs> dueTime(TimerId id) const;

  // Low-level: deliver `token` to `sink` at absolute time at_us (>= now_us()). Returns false
  // when the queue is full or at_us is in the past. Used by the Network; `sink` must outlive
  // the event.
  bool scheduleAt(TimeUs at_us, EventSink* sink, std::uint64_t token);

  // Runs events in (time, sequence) order until none is left or a limit is hit.
  RunResult run(const RunLimits& limits = {});
  // Runs every event due at or before t_us (within limits), then advances the clock to t_us
  // unless the event limit or a livelock stopped it first. Precondition: t_us >= now_us().
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
    EventOwner owner = kNoOwner;
    TimeUs due_us = 0;
    bool armed = false;
  };

  void onEvent(std::uint64_t token) override;
  void dropCancelled();
  // The owner of the event at the top of the queue (precondition: not empty, top is live).
  EventOwner ownerOfTop() const;
  // Precondition: !queue_.empty() and the top is live. Pops it, advances the clock, runs it.
  void runOne();

  VirtualClock clock_;
  EventQueue queue_;
  std::vector<TimerSlot> timers_;
  std::vector<std::uint32_t> free_timer_slots_;
  std::size_t active_timers_ = 0;
};

}  // namespace simnet
