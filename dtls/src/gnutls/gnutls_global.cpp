#include "gnutls_global.h"

#include <gnutls/gnutls.h>
#include <sys/time.h>

#include <chrono>
#include <ctime>
#include <mutex>

extern "C" {
// lib/global.c, exported under GNUTLS_PRIVATE_3_4 and declared in no installed header.
void _gnutls_global_set_gettime_function(void (*gettime)(struct timespec*));
}

namespace dtls::detail {

namespace {

thread_local TimerService* scoped_timers = nullptr;

void virtualGettime(struct timespec* out) {
  if (scoped_timers != nullptr) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(scoped_timers->now());
    out->tv_sec = static_cast<time_t>(us.count() / 1'000'000);
    out->tv_nsec = static_cast<long>(us.count() % 1'000'000) * 1000;
    return;
  }
  timeval tv{};
  gettimeofday(&tv, nullptr);  // the executable's, when it interposes one
  out->tv_sec = tv.tv_sec;
  out->tv_nsec = static_cast<long>(tv.tv_usec) * 1000;
}

time_t virtualTime(time_t* out) { return time(out); }

}  // namespace

GnutlsClockScope::GnutlsClockScope(TimerService* timers) : previous_(scoped_timers) {
  if (timers != nullptr) scoped_timers = timers;
}

GnutlsClockScope::~GnutlsClockScope() { scoped_timers = previous_; }

void ensureGnutlsInitialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    gnutls_global_init();
    _gnutls_global_set_gettime_function(virtualGettime);
    gnutls_global_set_time_function(virtualTime);
  });
}

}  // namespace dtls::detail
