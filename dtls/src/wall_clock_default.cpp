#include "dtls/wall_clock.h"

// A weak "no" that dtls_clock_interpose overrides with a strong "yes" when it is linked in.
namespace dtls {
__attribute__((weak)) bool wallClockInterposed() { return false; }
}  // namespace dtls
