#include "gnutls_random.h"

#include <gnutls/crypto.h>

namespace dtls::detail {

namespace {
thread_local RandomSource* scoped_source = nullptr;
thread_local bool scope_active = false;
}  // namespace

RandomSource* gnutlsDrawSource() {
  if (scope_active && scoped_source != nullptr) return scoped_source;
  return currentRandomSource();
}

GnutlsRandomScope::GnutlsRandomScope(RandomSource* source)
    : previous_(scoped_source), previous_set_(scope_active) {
  scoped_source = source;
  scope_active = true;
}

GnutlsRandomScope::~GnutlsRandomScope() {
  scoped_source = previous_;
  scope_active = previous_set_;
}

__attribute__((weak)) bool gnutlsRandomInterposed() { return false; }

void fillGnutlsRandom(RandomSource* source, unsigned char* out, std::size_t bytes) {
  if (source != nullptr) {
    source->fill(out, bytes);
    return;
  }
  GnutlsRandomScope none(nullptr);
  gnutls_rnd(GNUTLS_RND_KEY, out, bytes);
}

}  // namespace dtls::detail
