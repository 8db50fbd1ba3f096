// dtls/timer_service.h — the port a Connection gets time and timers from (DESIGN.md §1).
//
// The reference (QDtls) runs the handshake timer on a QTimer and reads Qt's clock. dtls asks
// this port instead, so the same connection runs on the real clock (dtls::posix::EventLoop)
// or on simnet's virtual clock, where a run is reproducible from its seed (DESIGN.md §3).
//
// Threading: a TimerService belongs to one loop (one thread). Callbacks run on that loop, later,
// never re-entrantly from inside schedule() — even with a zero delay — so a caller may schedule
// while holding its own state half-updated.
//
// Ownership: a Connection does not own its TimerService; the service must outlive every
// connection that uses it, and a connection cancels its timers when destroyed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace dtls {

class TimerService {
 public:
  // Microseconds: the unit of simnet's virtual clock and of traces (DESIGN.md §6).
  using Duration = std::chrono::microseconds;
  // Identifies one scheduled callback. 0 is never a valid id (use it as "no timer").
  using TimerId = std::uint64_t;
  static constexpr TimerId kInvalidTimerId = 0;

  virtual ~TimerService() = default;

  // The current time, monotonic (never decreases), measured from an arbitrary epoch fixed for
  // the service's lifetime. Only differences between two now() values are meaningful.
  virtual Duration now() const = 0;

  // Runs `callback` once on the service's loop when at least `delay` has passed since the call
  // (a negative delay counts as zero). Callbacks due at the same time run in the order they were
  // scheduled. Returns a fresh non-zero id, unique for the service's lifetime.
  // Precondition: `callback` is not empty.
  virtual TimerId schedule(Duration delay, std::function<void()> callback) = 0;

  // Cancels a pending callback so it never runs. Cancelling 0, an unknown id, an already fired
  // or an already cancelled id is a no-op. A callback may cancel other timers, or its own id.
  virtual void cancel(TimerId id) = 0;

 protected:
  TimerService() = default;
  TimerService(const TimerService&) = default;
  TimerService& operator=(const TimerService&) = default;
};

}  // namespace dtls
