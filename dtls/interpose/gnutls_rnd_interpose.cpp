// Interposes gnutls_rnd() for the whole executable (DESIGN.md §9): GnuTLS 3.7 calls its
// exported gnutls_rnd through the PLT at every internal call site, so this definition receives
// all of the library's randomness. Inside a world it draws from the world's seeded stream
// (gnutlsDrawSource); elsewhere it hands the call to the library's own generator.
#include <dlfcn.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "../src/gnutls/gnutls_random.h"

namespace dtls::detail {
bool gnutlsRandomInterposed() { return true; }
}  // namespace dtls::detail

namespace {

using RndFunction = int (*)(gnutls_rnd_level_t, void*, size_t);

RndFunction libraryRnd() {
  // The library's definition, past this executable's (RTLD_NEXT), at the version libgnutls.so.30
  // exports it under.
  static const auto real = reinterpret_cast<RndFunction>(dlvsym(RTLD_NEXT, "gnutls_rnd", "GNUTLS_3_4"));
  return real;
}

}  // namespace

extern "C" int gnutls_rnd(gnutls_rnd_level_t level, void* data, size_t len) {
  if (dtls::RandomSource* source = dtls::detail::gnutlsDrawSource()) {
    source->fill(static_cast<unsigned char*>(data), len);
    return 0;
  }
  const RndFunction real = libraryRnd();
  return real != nullptr ? real(level, data, len) : GNUTLS_E_RANDOM_FAILED;
}
