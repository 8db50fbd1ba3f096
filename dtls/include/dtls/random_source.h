// dtls/random_source.h — where backends that take randomness through a callback get it.
//
// OpenSSL draws from its library context (openssl_context.h); mbedTLS draws through the
// f_rng it is given. A Connection or ClientVerifier on such a backend draws from the
// RandomSource current on the constructing thread, for its whole life. A simulated world
// installs one that reads its seeded stream (the same stream its OpenSSL context reads), so the
// world's endpoints draw reproducible bytes whatever their backend. Without a scope each object
// seeds its own CSPRNG from the system's entropy.
#pragma once

#include <cstddef>

namespace dtls {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` with `bytes` random bytes. Must not fail.
  virtual void fill(unsigned char* out, std::size_t bytes) = 0;
};

// The source current on this thread; nullptr: none (each object uses the system's entropy).
RandomSource* currentRandomSource();

// Makes `source` current on this thread until the scope ends, then restores the previous one.
// Scopes nest. `source` must outlive every dtls object created while it was current.
class RandomSourceScope {
 public:
  explicit RandomSourceScope(RandomSource* source);
  ~RandomSourceScope();
  RandomSourceScope(const RandomSourceScope&) = delete;
  RandomSourceScope& operator=(const RandomSourceScope&) = delete;

 private:
  RandomSource* previous_;
};

}  // namespace dtls
