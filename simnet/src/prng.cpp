#include "simnet/prng.h"

#include <cassert>
#include <cmath>

namespace simnet {

// 128-bit products keep integer math exact; __extension__ silences -Wpedantic for it.
__extension__ typedef unsigned __int128 U128;

Prng::Prng(std::uint64_t seed) {
  SplitMix64 sm(seed);
  for (auto& w : s_) w = sm.next();
}

Prng Prng::forStream(std::uint64_t world_seed, std::string_view name) {
  return Prng(world_seed ^ fnv1a64(name));
}

std::uint64_t Prng::below(std::uint64_t bound) {
  if (bound == 0) return 0;
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  U128 m = static_cast<U128>(next()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<U128>(next()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Prng::between(std::int64_t lo, std::int64_t hi) {
  assert(lo <= hi);
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<std::int64_t>(next());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + below(span + 1));
}

std::uint64_t Prng::bernoulliThreshold(double probability) {
  if (!(probability > 0.0)) return 0;  // also NaN
  if (probability >= 1.0) return UINT64_MAX;
  // p * 2^64 is exact scaling of a double; the conversion truncates toward zero.
  return static_cast<std::uint64_t>(probability * 0x1.0p64);
}

double Prng::exponential(double mean) {
  // 1 - U is in (0, 1], so log never sees 0.
  return -mean * std::log(1.0 - uniform01());
}

double Prng::normal(double mean, double stddev) {
  double u, v, s;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  // Only one of the pair is used: keeping no cached state keeps streams copyable and simple.
  return mean + stddev * u * std::sqrt(-2.0 * std::log(s) / s);
}

double Prng::pareto(double scale, double shape) {
  const double u = 1.0 - uniform01();  // (0, 1]
  return scale * (std::pow(u, -1.0 / shape) - 1.0);
}

}  // namespace simnet
