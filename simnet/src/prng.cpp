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

namespace {

// ln 2 split so k * kLn2Hi is exact for |k| < 2^11 (fdlibm's constants).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLn2 = 0.69314718055994530942;

}  // namespace

// Natural log from +, -, *, / and exact frexp only: with -ffp-contract=off (simnet's CMake
// sets it) every step is one correctly rounded IEEE operation in a fixed order, so the result
// is the same on every compiler, CPU and libm. (glibc's log dispatches to an FMA variant at
// run time, which could differ between machines.) Accuracy is about 1e-15 relative, far more
// than a delay in microseconds needs. Precondition: x > 0 and finite.
double detLog(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1), |s| <= 0.1716.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  // 2 / (2k + 1), k = 0..12; constant-evaluated divisions are correctly rounded too.
  static constexpr double kC[13] = {2.0 / 1,  2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,
                                    2.0 / 11, 2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19,
                                    2.0 / 21, 2.0 / 23, 2.0 / 25};
  double poly = kC[12];
  for (int k = 11; k >= 0; --k) poly = kC[k] + s2 * poly;
  return s * poly + static_cast<double>(e) * kLn2;
}

// e^x with the same rules as detLog. Returns +inf above ~709.78 and 0 below ~-745.
double detExp(double x) {
  if (x > 709.782712893384) return HUGE_VAL;
  if (x < -745.2) return 0.0;
  const double k = std::floor(x / kLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= ln2/2
  // Horner form of sum r^n / n! up to n = 13 (error < 1e-17 for |r| <= 0.35).
  double poly = 1.0;
  for (int n = 13; n >= 1; --n) poly = 1.0 + r * poly / static_cast<double>(n);
  return std::ldexp(poly, static_cast<int>(k));
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
  return -mean * detLog(1.0 - uniform01());
}

double Prng::normal(double mean, double stddev) {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + stddev * spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * detLog(s) / s);
  spare_normal_ = v * factor;  // the pair's second value, used by the next call
  has_spare_normal_ = true;
  return mean + stddev * u * factor;
}

double Prng::pareto(double scale, double shape) {
  const double u = 1.0 - uniform01();  // (0, 1]
  return scale * (detExp(-detLog(u) / shape) - 1.0);  // u^(-1/shape)
}

}  // namespace simnet
