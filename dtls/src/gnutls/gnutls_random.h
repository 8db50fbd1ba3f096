// Private: where GnuTLS's randomness comes from (DESIGN.md §9). GnuTLS 3.7 has no public hook
// (gnutls_crypto_rnd_register is not exported), but every internal draw calls the exported
// gnutls_rnd through the PLT (libgnutls.so.30 has a JUMP_SLOT relocation for it), so the
// executable's own gnutls_rnd (dtls/interpose/gnutls_rnd_interpose.cpp) receives all of it and
// asks gnutlsDrawSource() where to draw from.
#pragma once

#include <cstddef>

#include "dtls/random_source.h"

namespace dtls::detail {

// The source gnutls_rnd serves on this thread: the innermost GnutlsRandomScope's, else the
// thread's currentRandomSource(); null: GnuTLS's own generator.
RandomSource* gnutlsDrawSource();

// While it lives, GnuTLS's draws on this thread come from `source` (a connection's, captured at
// construction like MbedRandom's). Scopes nest.
class GnutlsRandomScope {
 public:
  explicit GnutlsRandomScope(RandomSource* source);
  ~GnutlsRandomScope();
  GnutlsRandomScope(const GnutlsRandomScope&) = delete;
  GnutlsRandomScope& operator=(const GnutlsRandomScope&) = delete;

 private:
  RandomSource* previous_;
  bool previous_set_;
};

// True when the executable defines gnutls_rnd (it links dtls_clock_interpose); weak default
// false, as wallClockInterposed().
bool gnutlsRandomInterposed();

// `bytes` random bytes from `source`, else from gnutls_rnd.
void fillGnutlsRandom(RandomSource* source, unsigned char* out, std::size_t bytes);

}  // namespace dtls::detail
