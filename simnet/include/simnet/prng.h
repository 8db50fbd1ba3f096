// The project's PRNG: xoshiro256** (Blackman & Vigna, 2018) seeded through SplitMix64, with
// every distribution derived here from 64-bit integers. std::*_distribution and
// std::random_device are never used: their output differs between standard libraries
// (DESIGN.md §3), and a seed must give the same run with gcc and clang.
//
// Floating point: the samplers use only correctly rounded IEEE operations (+ - * / sqrt) and
// exact ones (frexp, ldexp, floor), in a fixed order, with FMA contraction disabled for the
// simnet library (-ffp-contract=off in simnet/CMakeLists.txt). No libm transcendental is used:
// glibc's log/exp/pow pick an FMA or non-FMA variant at run time by CPU, so they could differ
// between machines. detLog/detExp below replace them. -ffast-math would void this guarantee.
#pragma once

#include <cstdint>
#include <string_view>

namespace simnet {

// FNV-1a, 64-bit: names a PRNG stream ("link:10.0.0.1->10.0.0.2:loss").
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

// SplitMix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into well-mixed state words.
class SplitMix64 {
 public:
  explicit constexpr SplitMix64(std::uint64_t seed) : state_(seed) {}
  constexpr std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// ln(x) for finite x > 0 and e^x, built from IEEE basic operations only (see above), so the
// same bits on every compiler and CPU. Relative error about 1e-15.
double detLog(double x);
double detExp(double x);

// One independent random stream. Copyable value; copies continue identically.
class Prng {
 public:
  // Seeds the four state words from SplitMix64(seed) (never all zero for any seed).
  explicit Prng(std::uint64_t seed = 0);
  // An independent stream for `name` under `world_seed`: seed = world_seed ^ fnv1a64(name).
  // Streams are keyed by name, so adding a host or a link never shifts another stream.
  static Prng forStream(std::uint64_t world_seed, std::string_view name);

  // xoshiro256**: the next 64 uniformly distributed bits.
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform integer in [0, bound). bound == 0 returns 0. Lemire's multiply-and-reject, so
  // unbiased and integer-only.
  std::uint64_t below(std::uint64_t bound);
  // Uniform integer in [lo, hi]. Precondition: lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  // Uniform double in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // True with probability `probability` (<= 0 or NaN: never; >= 1: always). Draws once.
  bool bernoulli(double probability) { return chance(bernoulliThreshold(probability)); }
  // Integer form of bernoulli for hot paths: precompute the threshold once.
  static std::uint64_t bernoulliThreshold(double probability);
  // True with probability threshold / 2^64; threshold == UINT64_MAX means always.
  // Always draws exactly one value so the stream position does not depend on p.
  bool chance(std::uint64_t threshold) {
    const std::uint64_t x = next();
    return threshold == UINT64_MAX || x < threshold;
  }

  // Exponential with the given mean (>= 0).
  double exponential(double mean);
  // Normal (Marsaglia polar method) with mean and standard deviation. Each pair of draws
  // yields two values; the second is kept for the next call (part of the stream's state).
  double normal(double mean, double stddev);
  // Lomax (Pareto type II, shifted to start at 0): scale * (U^(-1/shape) - 1).
  // Mean scale / (shape - 1) for shape > 1. Preconditions: scale >= 0, shape > 0. May be +inf.
  double pareto(double scale, double shape);

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_normal_ = 0;
  bool has_spare_normal_ = false;
};

}  // namespace simnet
