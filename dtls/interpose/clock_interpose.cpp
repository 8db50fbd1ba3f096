// Interposes gettimeofday() and time() for the whole executable (see dtls/wall_clock.h).
// Link this object into an executable, never into a shared library: the dynamic linker then
// resolves libssl's references to these definitions instead of libc's.
#include <sys/time.h>
#include <time.h>

#include "dtls/wall_clock.h"

namespace {

// The real clock without going through the interposed symbols.
long long realNowUs() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

long long nowUs() {
  if (const auto* source = dtls::currentWallClock()) return source->wallClockNow().count();
  return realNowUs();
}

}  // namespace

namespace dtls {
bool wallClockInterposed() { return true; }
}  // namespace dtls

extern "C" {

// glibc declares the second parameter as `void*` (since 2.31) under C++; match it exactly.
// glibc declares `tv` nonnull, so it is not checked here.
int gettimeofday(struct timeval* tv, void* /*tz*/) noexcept {
  const long long us = nowUs();
  tv->tv_sec = static_cast<time_t>(us / 1000000);
  tv->tv_usec = static_cast<suseconds_t>(us % 1000000);
  return 0;
}

time_t time(time_t* out) noexcept {
  const time_t secs = static_cast<time_t>(nowUs() / 1000000);
  if (out) *out = secs;
  return secs;
}

}  // extern "C"
