// Private: where an mbedTLS engine's randomness comes from (every draw of mbedTLS's TLS code
// goes through the f_rng given to it, DESIGN.md §9).
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "dtls/cookie.h"
#include "dtls/random_source.h"

namespace dtls::detail {

// The thread's RandomSource at construction (random_source.h), else a CTR_DRBG seeded from the
// system's entropy. Pass generate() and this as mbedTLS's (f_rng, p_rng); must not move while
// mbedTLS holds it.
class MbedRandom {
 public:
  MbedRandom();
  ~MbedRandom();
  MbedRandom(const MbedRandom&) = delete;
  MbedRandom& operator=(const MbedRandom&) = delete;

  static int generate(void* self, unsigned char* out, std::size_t bytes);

 private:
  RandomSource* const source_;
  struct Drbg;
  std::unique_ptr<Drbg> drbg_;  // only without a source
};

// A stream of bytes derived from a secret: block i is HMAC-SHA256(secret, label || i). Handed
// as an f_rng to mbedTLS setups that draw their keys (cookies, session tickets), it makes every
// engine given the same GeneratorParameters build the same keys, as OpenSSL's cookie HMAC and
// ticket keys derive from them, with no state shared between objects.
//
// With `then`, switchToRandom() makes later draws come from `then` instead: for a setup that
// draws its keys first and per-message values (IVs) later, which must not repeat.
class DerivedStream {
 public:
  DerivedStream(const GeneratorParameters& params, const char* label, MbedRandom* then = nullptr);
  static int generate(void* self, unsigned char* out, std::size_t bytes);
  void switchToRandom() { random_now_ = then_ != nullptr; }

 private:
  const GeneratorParameters params_;
  const char* const label_;
  MbedRandom* const then_;
  bool random_now_ = false;
  std::uint32_t block_ = 0;
};

}  // namespace dtls::detail
