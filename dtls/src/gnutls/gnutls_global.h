// Private: GnuTLS's process-wide set-up, made once before the first session.
#pragma once

#include "dtls/timer_service.h"

namespace dtls::detail {

// gnutls_global_init, then the clocks: GnuTLS's DTLS timers read a global function pointer
// (default clock_gettime(CLOCK_REALTIME), which a world cannot see), set through
// _gnutls_global_set_gettime_function (exported under GNUTLS_PRIVATE_3_4; GnuTLS's own
// virtual-time tests use it) to read gettimeofday; certificate and ticket times read
// gnutls_global_set_time_function's, set to time. Both are the functions the executable
// interposes (dtls/wall_clock.h), so inside a world GnuTLS runs on virtual time. They are set
// after gnutls_global_init, which would reset them. Thread-safe; idempotent.
void ensureGnutlsInitialized();

// While it lives, GnuTLS's DTLS timers on this thread read `timers`' clock (a connection's
// TimerService, as the mbedTLS backend's timer does) instead of gettimeofday; null: no change.
// Every GnuTLS call of a connection is made inside one, so all of its timestamps are on one clock.
class GnutlsClockScope {
 public:
  explicit GnutlsClockScope(TimerService* timers);
  ~GnutlsClockScope();
  GnutlsClockScope(const GnutlsClockScope&) = delete;
  GnutlsClockScope& operator=(const GnutlsClockScope&) = delete;

 private:
  TimerService* previous_;
};

}  // namespace dtls::detail
