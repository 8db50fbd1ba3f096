// Test helper: time that only moves when the test says so. It is the TimerService a
// Connection schedules its retransmission timer on, and (through dtls::WallClockScope and the
// dtls_clock_interpose object linked into the test binary) the clock libssl reads, so OpenSSL's
// own DTLS timer agrees with it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "dtls/timer_service.h"
#include "dtls/wall_clock.h"

namespace dtls::test {

class ManualClock : public TimerService, public WallClockSource {
 public:
  // 2030-01-01T00:00:00Z: inside the test PKI's validity (2020-2099).
  static constexpr std::int64_t kEpochUs = 1'893'456'000LL * 1'000'000;

  ManualClock() : scope_(this) {}

  Duration now() const override { return now_; }
  std::chrono::microseconds wallClockNow() const override {
    return std::chrono::microseconds(kEpochUs) + now_;
  }

  TimerId schedule(Duration delay, std::function<void()> callback) override {
    const TimerId id = ++last_id_;
    timers_.emplace(Key{now_ + std::max(delay, Duration(0)), id}, std::move(callback));
    return id;
  }

  void cancel(TimerId id) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return;
      }
    }
  }

  // Moves time forward by `delta`, running every timer that falls due, in order.
  void advance(Duration delta) {
    const Duration target = now_ + delta;
    while (!timers_.empty() && timers_.begin()->first.first <= target) {
      auto node = timers_.extract(timers_.begin());
      now_ = node.key().first;
      node.mapped()();
    }
    now_ = target;
  }

  // Jumps to the next timer and runs it; false if none is pending.
  bool fireNext() {
    if (timers_.empty()) return false;
    advance(timers_.begin()->first.first - now_);
    return true;
  }

  // The delay until the next timer, or -1 µs if none.
  Duration nextTimerIn() const {
    return timers_.empty() ? Duration(-1) : timers_.begin()->first.first - now_;
  }
  size_t pendingTimers() const { return timers_.size(); }

 private:
  using Key = std::pair<Duration, TimerId>;  // (deadline, id): ties run in scheduling order
  Duration now_{0};
  TimerId last_id_ = 0;
  std::map<Key, std::function<void()>> timers_;
  WallClockScope scope_;
};

}  // namespace dtls::test
