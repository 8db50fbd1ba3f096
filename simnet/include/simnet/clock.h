// Virtual time. Every time in simnet is an integer count of microseconds since the start of
// the simulated run; integers keep arithmetic exact and identical on every compiler.
#pragma once

#include <cstdint>
#include <limits>

namespace simnet {

// A point in virtual time, microseconds since the run started (t = 0).
using TimeUs = std::int64_t;
// A span of virtual time in microseconds.
using DurationUs = std::int64_t;

inline constexpr TimeUs kTimeNever = std::numeric_limits<TimeUs>::max();
inline constexpr DurationUs kMillisecondUs = 1000;
inline constexpr DurationUs kSecondUs = 1000 * kMillisecondUs;

// The current virtual time. Only the run loop (Scheduler) advances it, and only forwards.
class VirtualClock {
 public:
  TimeUs now_us() const { return now_us_; }
  // Precondition: t_us >= now_us() (time never goes back; checked by the caller).
  void advanceTo(TimeUs t_us) { now_us_ = t_us; }

 private:
  TimeUs now_us_ = 0;
};

}  // namespace simnet
