// dtls/wall_clock.h — replacing the wall clock libssl reads, per thread.
//
// libssl 3.0 reads the wall clock through exactly two functions: gettimeofday() (the DTLS
// retransmission timer in d1_lib.c) and time() (session times, ticket ages, certificate
// validity). An executable that links the `dtls_clock_interpose` object library defines both
// (symbol interposition over libc), and they answer from the WallClockSource current on the
// calling thread, or from the real clock when none is. That is how a simulated world makes
// OpenSSL's timers follow virtual time, and how unit tests drive them with a manual clock.
#pragma once

#include <chrono>

namespace dtls {

class WallClockSource {
 public:
  virtual ~WallClockSource() = default;
  // Microseconds since the Unix epoch, as gettimeofday() would report them.
  virtual std::chrono::microseconds wallClockNow() const = 0;
};

// The source current on this thread, or nullptr for the real clock.
const WallClockSource* currentWallClock();

// Makes `source` current on this thread for the scope's lifetime; scopes nest.
class WallClockScope {
 public:
  explicit WallClockScope(const WallClockSource* source);
  ~WallClockScope();
  WallClockScope(const WallClockScope&) = delete;
  WallClockScope& operator=(const WallClockScope&) = delete;

 private:
  const WallClockSource* previous_;
};

// True if this executable interposes gettimeofday()/time() (it links dtls_clock_interpose):
// a WallClockScope then changes what libssl sees. False means scopes only affect code that
// calls currentWallClock() itself.
bool wallClockInterposed();

}  // namespace dtls
