// Fault rates and delay distributions over 100k datagrams with fixed seeds. Tolerances are
// about 5 standard errors of the estimate, so a pass is not luck and a wrong formula fails.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace simnet {
namespace {

using testing::Pair;

constexpr int kN = 100'000;

// Accumulates the scheduled delay of every copy and the arrival order.
class DelayStats final : public Observer {
 public:
  void onEvent(const NetEvent& e) override {
    if (e.kind == EventKind::kDelay) {
      const double v = static_cast<double>(e.value);
      ++n;
      sum += v;
      sum2 += v * v;
    }
    if (e.kind == EventKind::kDeliver && e.copy == 0) {
      if (e.datagram_id < max_id) ++overtaken;
      max_id = std::max(max_id, e.datagram_id);
    }
    if (e.kind == EventKind::kDrop) {
      if (e.datagram_id == last_drop + 1) {
        ++current_burst;
      } else {
        if (current_burst > 0) {
          ++bursts;
          burst_total += current_burst;
        }
        current_burst = 1;
      }
      last_drop = e.datagram_id;
    }
  }
  double mean() const { return sum / static_cast<double>(n); }
  double variance() const { return sum2 / static_cast<double>(n) - mean() * mean(); }
  double meanBurst() const { return static_cast<double>(burst_total) / static_cast<double>(bursts); }

  std::uint64_t n = 0, overtaken = 0, max_id = 0;
  double sum = 0, sum2 = 0;
  std::uint64_t last_drop = 0, current_burst = 0, bursts = 0, burst_total = 0;
};

// Sends kN one-byte datagrams a->b, one every spacing_us, and runs to the end.
void pump(Pair& p, DelayStats& stats, DurationUs spacing_us = 100) {
  p.net.setObserver(&stats);
  p.net.setReceiveCallback(p.sb, [&p](SocketId s) {
    Datagram d;
    while (p.net.receive(s, d)) {
    }
  });
  for (int i = 0; i < kN; ++i) {
    p.net.runUntil(static_cast<TimeUs>(i) * spacing_us);
    p.sendAB(1);
  }
  p.net.run();
}

TEST(StatisticsTest, BernoulliLossRate) {
  Pair p(11);
  LinkModel m;
  m.loss_probability = 0.1;
  p.link(m);
  DelayStats s;
  pump(p, s);
  const double rate = static_cast<double>(p.net.stats().dropped[0]) / kN;
  EXPECT_NEAR(rate, 0.1, 0.005);
}

TEST(StatisticsTest, DuplicationRate) {
  Pair p(12);
  LinkModel m;
  m.duplicate_probability = 0.05;
  m.duplicate_copies = 2;
  p.link(m);
  DelayStats s;
  pump(p, s);
  EXPECT_NEAR(static_cast<double>(p.net.stats().duplicated) / kN, 0.05 * 2, 0.006);
}

TEST(StatisticsTest, ReorderRate) {
  Pair p(13);
  LinkModel m;
  m.latency_us = 1000;
  m.reorder_probability = 0.2;
  m.reorder_extra_delay_us = 1000;  // overtaken by the next ten datagrams
  p.link(m);
  DelayStats s;
  pump(p, s);
  EXPECT_NEAR(static_cast<double>(p.net.stats().reordered) / kN, 0.2, 0.007);
  // Every held-back datagram arrives after a later one.
  EXPECT_NEAR(static_cast<double>(s.overtaken) / kN, 0.2, 0.007);
}

TEST(StatisticsTest, GilbertElliottMeanBurstIsOneOverR) {
  for (double r : {0.5, 0.25, 0.1}) {
    Pair p(14);
    LinkModel m;
    m.burst_loss = {true, 0.01, r, 1.0, 0.0};
    p.link(m);
    DelayStats s;
    pump(p, s);
    const double expected = 1.0 / r;
    EXPECT_NEAR(s.meanBurst(), expected, 0.08 * expected) << "r = " << r;
    // Stationary loss rate of this chain: p / (p + r).
    EXPECT_NEAR(static_cast<double>(p.net.stats().dropped[1]) / kN, 0.01 / (0.01 + r), 0.25 * 0.01 / (0.01 + r));
  }
}

TEST(StatisticsTest, NormalJitterMeanAndVariance) {
  Pair p(15);
  LinkModel m;
  m.latency_us = 20'000;
  m.jitter = {JitterModel::Kind::kNormal, 500};
  p.link(m);
  DelayStats s;
  pump(p, s);
  EXPECT_NEAR(s.mean(), 20'000, 10);
  EXPECT_NEAR(s.variance(), 500.0 * 500.0, 0.03 * 500 * 500);
}

TEST(StatisticsTest, UniformJitterMeanAndVariance) {
  Pair p(16);
  LinkModel m;
  m.latency_us = 20'000;
  m.jitter = {JitterModel::Kind::kUniform, 1000};
  p.link(m);
  DelayStats s;
  pump(p, s);
  const double var = (2001.0 * 2001.0 - 1) / 12;  // discrete uniform on [-1000, 1000]
  EXPECT_NEAR(s.mean(), 20'000, 10);
  EXPECT_NEAR(s.variance(), var, 0.02 * var);
}

TEST(StatisticsTest, ParetoJitterMean) {
  Pair p(17);
  LinkModel m;
  m.latency_us = 1000;
  m.jitter = {JitterModel::Kind::kPareto, 300, 4.0, 10 * kSecondUs};
  p.link(m);
  DelayStats s;
  pump(p, s);
  EXPECT_NEAR(s.mean(), 1000 + 300.0 / 3.0, 3);
}

TEST(StatisticsTest, BandwidthLimitHolds) {
  Pair p(18);
  LinkModel m;
  m.bandwidth_bytes_per_second = 1'000'000;
  m.queue_capacity_bytes = 20'000;
  p.link(m);
  std::uint64_t bytes = 0;
  TimeUs first = -1, last = 0;
  p.net.setReceiveCallback(p.sb, [&](SocketId sock) {
    Datagram d;
    while (p.net.receive(sock, d)) {
      bytes += d.bytes.size();
      if (first < 0) first = p.net.now_us();
      last = p.net.now_us();
    }
  });
  // Offer 2 MB/s: 1000-byte datagrams every 500 us for 2 s.
  const auto payload = testing::bytesOf(1000);
  for (int i = 0; i < 4000; ++i) {
    p.net.runUntil(i * 500);
    (void)p.net.sendTo(p.sa, Endpoint{p.b, 2000}, payload);
  }
  p.net.run();
  const double rate = static_cast<double>(bytes - 1000) / (static_cast<double>(last - first) / 1e6);
  EXPECT_NEAR(rate, 1'000'000, 5'000);
  EXPECT_NEAR(static_cast<double>(p.net.stats().dropped[static_cast<int>(DropReason::kQueue)]), 2000, 30);
}

}  // namespace
}  // namespace simnet
