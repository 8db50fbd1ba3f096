#include "simnet/prng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace simnet {
namespace {

// Reference values computed with an independent implementation of SplitMix64 and
// xoshiro256** (Vigna's C reference code). A change here means every recorded seed changes.
TEST(PrngTest, SplitMix64GoldenValues) {
  SplitMix64 sm(0);
  EXPECT_EQ(sm.next(), 0xe220a8397b1dcdafull);
  EXPECT_EQ(sm.next(), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(sm.next(), 0x06c45d188009454full);
}

TEST(PrngTest, Xoshiro256StarStarGoldenValues) {
  Prng p(42);
  EXPECT_EQ(p.next(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(p.next(), 0x6104d9866d113a7eull);
  EXPECT_EQ(p.next(), 0xae17533239e499a1ull);
  EXPECT_EQ(p.next(), 0xecb8ad4703b360a1ull);
  Prng z(0);
  EXPECT_EQ(z.next(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(z.next(), 0xbf6e1f784956452aull);
}

TEST(PrngTest, Fnv1aKnownVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
}

TEST(PrngTest, NamedStreamIsSeedXorNameHash) {
  Prng s = Prng::forStream(12345, "link:10.0.0.1->10.0.0.2:loss");
  EXPECT_EQ(s.next(), 0xa553d37c36cc609full);
  EXPECT_EQ(s.next(), 0x9fcef5d1ca7d764dull);
  EXPECT_NE(Prng::forStream(12345, "link:10.0.0.1->10.0.0.2:jitter").next(), 0xa553d37c36cc609full);
}

// Floating-point samplers: golden bit patterns (checked equal from g++ 12 and clang++ 14 at -O0, -O2 and -O3 -march=native) catch a compiler or libm change (see prng.h for
// why these are expected to be identical on gcc and clang with glibc).
TEST(PrngTest, DistributionGoldenValues) {
  Prng p(7);
  EXPECT_EQ(p.below(1000), 700u);
  EXPECT_EQ(p.between(-50, 50), -22);
  EXPECT_EQ(p.uniform01(), 0x1.ade3a6932a58fp-1);
  EXPECT_EQ(p.exponential(10.0), 0x1.3d7a53b19e7fdp+5);
  EXPECT_EQ(p.normal(5.0, 2.0), 0x1.1918d154dd27cp+2);
  EXPECT_EQ(p.pareto(100.0, 2.5), 0x1.24b53ab12db14p+5);
}

TEST(PrngTest, DeterministicLogAndExpMatchLibmClosely) {
  for (double x : {1e-300, 1e-20, 0.001, 0.3, 0.70710678, 0.9999999, 1.0, 1.0000001, 2.0, 10.0, 1e10, 1e300}) {
    EXPECT_NEAR(detLog(x), std::log(x), 4e-16 * std::max(1.0, std::fabs(std::log(x)))) << x;
  }
  for (double x : {-700.0, -20.0, -1.0, -1e-9, 0.0, 0.5, 1.0, 3.3, 50.0, 700.0}) {
    EXPECT_NEAR(detExp(x) / std::exp(x), 1.0, 4e-15) << x;
  }
  EXPECT_EQ(detLog(1.0), 0.0);
  EXPECT_EQ(detExp(0.0), 1.0);
  EXPECT_EQ(detExp(800.0), HUGE_VAL);
  EXPECT_EQ(detExp(-800.0), 0.0);
}

TEST(PrngTest, BelowStaysInRangeAndCoversIt) {
  Prng p(1);
  int seen[7] = {};
  for (int i = 0; i < 7000; ++i) {
    const auto v = p.below(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int c : seen) EXPECT_NEAR(c, 1000, 150);
  EXPECT_EQ(p.below(0), 0u);
  EXPECT_EQ(p.between(3, 3), 3);
}

TEST(PrngTest, BernoulliEdgesDrawExactlyOnce) {
  Prng a(9), b(9);
  EXPECT_FALSE(a.bernoulli(0.0));
  EXPECT_TRUE(a.bernoulli(1.0));
  EXPECT_FALSE(a.bernoulli(std::nan("")));
  b.next();
  b.next();
  b.next();
  EXPECT_EQ(a.next(), b.next());
}

TEST(PrngTest, SampleMeansMatchTheory) {
  Prng p(2024);
  constexpr int kN = 200000;
  double sum_exp = 0, sum_norm = 0, sum_norm2 = 0, sum_par = 0;
  for (int i = 0; i < kN; ++i) {
    sum_exp += p.exponential(3.0);
    const double z = p.normal(1.0, 2.0);
    sum_norm += z;
    sum_norm2 += (z - 1.0) * (z - 1.0);
    sum_par += p.pareto(10.0, 3.0);
  }
  EXPECT_NEAR(sum_exp / kN, 3.0, 0.05);
  EXPECT_NEAR(sum_norm / kN, 1.0, 0.02);
  EXPECT_NEAR(sum_norm2 / kN, 4.0, 0.06);
  EXPECT_NEAR(sum_par / kN, 10.0 / (3.0 - 1.0), 0.15);
}

}  // namespace
}  // namespace simnet
