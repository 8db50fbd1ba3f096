// dtls/posix/event_loop.h — a small single-threaded poll() loop that implements the
// dtls::TimerService port on the real monotonic clock (std::chrono::steady_clock), and calls
// back when watched descriptors become readable. With UdpSocket it runs a dtls::Connection
// against real peers; simnet provides the same port on virtual time.
//
// Order: timers run by (deadline, insertion sequence), so timers due at the same time run in the
// order they were scheduled. Descriptors are served in the order they were first watched.
// Re-entrancy: callbacks run only inside runOnce/run/runFor/runUntil, never inside schedule()
// or watch(). A callback may schedule, cancel, watch, unwatch and quit freely.
// Not thread-safe: every call comes from the thread that runs the loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dtls/timer_service.h"

namespace dtls::posix {

class EventLoop final : public TimerService {
 public:
  // The longest single wait runOnce accepts; bounds a wait on a misbehaving deadline.
  static constexpr Duration kMaxWait = std::chrono::hours(1);

  EventLoop() = default;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // TimerService. now() is steady_clock's time since its epoch, in microseconds.
  Duration now() const override;
  TimerId schedule(Duration delay, std::function<void()> callback) override;
  void cancel(TimerId id) override;

  // Calls `on_readable` each time `fd` is readable (or has an error or hang-up pending, so
  // the callback's read reports it). Watching an already watched fd replaces its callback.
  // The loop does not own `fd`: unwatch it before closing it (a closed fd still watched is
  // dropped from the watch list when poll reports POLLNVAL). Returns false for fd < 0 or an
  // empty callback.
  bool watch(int fd, std::function<void()> on_readable);
  // Stops watching `fd`; a no-op if it is not watched. Takes effect at once, also for the
  // current pass (a descriptor unwatched by an earlier callback is not served).
  void unwatch(int fd);

  // Waits until a watched fd is readable or the earliest timer is due, but at most
  // `max_wait` (clamped to [0, kMaxWait]), then serves the ready descriptors and runs every timer
  // due (only those scheduled before this call: a zero-delay timer scheduled by a callback runs
  // in the next pass, so a timer that reschedules itself cannot starve the loop).
  // Returns the number of callbacks run. A signal interrupting the wait just returns early.
  std::size_t runOnce(Duration max_wait);

  // Runs passes until quit() is called. Returns at once if there is nothing to wait for (no
  // watched fd, no timer): nothing could call quit().
  void run();
  // Runs passes for `duration` of real time or until quit(). Returns true if quit() ended it.
  bool runFor(Duration duration);
  // Runs passes until `condition()` holds (checked before each pass), quit(), or `timeout`.
  // Returns condition(). Precondition: `condition` is not empty.
  bool runUntil(const std::function<bool()>& condition, Duration timeout);
  // Makes run / runFor / runUntil return after the current callback. Cleared when one starts.
  void quit() { quit_requested_ = true; }

  std::size_t pendingTimerCount() const { return timers_.size(); }
  std::size_t watchedCount() const { return watches_.size(); }

 private:
  using TimerKey = std::pair<Duration, TimerId>;  // (deadline, insertion sequence)
  struct Watch {
    int fd = -1;
    std::function<void()> on_readable;
  };

  std::size_t serveDescriptors(const std::vector<int>& ready_fds);
  std::size_t runDueTimers(TimerId last_id);
  Duration waitBound(Duration max_wait) const;

  std::map<TimerKey, std::function<void()>> timers_;
  std::unordered_map<TimerId, Duration> deadlines_;  // for cancel(): id -> deadline
  TimerId last_timer_id_ = kInvalidTimerId;
  std::vector<Watch> watches_;  // in the order first watched
  bool quit_requested_ = false;
};

}  // namespace dtls::posix
