#include "dtls/openssl_context.h"
#include "dtls/random_source.h"
#include "dtls/wall_clock.h"

namespace dtls {

namespace {
thread_local OSSL_LIB_CTX* t_library_context = nullptr;
thread_local const WallClockSource* t_wall_clock = nullptr;
thread_local RandomSource* t_random_source = nullptr;
}  // namespace

OSSL_LIB_CTX* currentLibraryContext() { return t_library_context; }

LibraryContextScope::LibraryContextScope(OSSL_LIB_CTX* context)
    : previous_(t_library_context) {
  t_library_context = context;
}
LibraryContextScope::~LibraryContextScope() { t_library_context = previous_; }

const WallClockSource* currentWallClock() { return t_wall_clock; }

WallClockScope::WallClockScope(const WallClockSource* source) : previous_(t_wall_clock) {
  t_wall_clock = source;
}
WallClockScope::~WallClockScope() { t_wall_clock = previous_; }

RandomSource* currentRandomSource() { return t_random_source; }

RandomSourceScope::RandomSourceScope(RandomSource* source) : previous_(t_random_source) {
  t_random_source = source;
}
RandomSourceScope::~RandomSourceScope() { t_random_source = previous_; }

}  // namespace dtls
