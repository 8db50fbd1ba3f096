// One concrete exchange per link fault, and configuration validation.
#include "simnet/link_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "test_util.h"

namespace simnet {
namespace {

using testing::addr;
using testing::EventLog;
using testing::Pair;

TEST(LinkFaultTest, LossDropsEverythingAtProbabilityOne) {
  Pair p;
  LinkModel m;
  m.loss_probability = 1.0;
  p.link(m);
  EventLog log;
  p.net.setObserver(&log);
  for (int i = 0; i < 10; ++i) p.sendAB(5);
  p.sendBA(5);
  p.net.run();
  EXPECT_TRUE(p.received_b.empty());
  EXPECT_EQ(p.received_a.size(), 1u) << "the override is one direction only";
  EXPECT_EQ(log.countDrops(DropReason::kLoss), 10u);
}

TEST(LinkFaultTest, BurstLossDropsWhileBad) {
  Pair p;
  LinkModel m;
  m.burst_loss.enabled = true;
  m.burst_loss.p_good_to_bad = 1.0;  // first datagram (good) passes, then bad forever-ish
  m.burst_loss.r_bad_to_good = 1e-9;
  p.link(m);
  for (int i = 0; i < 10; ++i) p.sendAB(5);
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 1u);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kBurst)], 9u);
}

TEST(LinkFaultTest, DuplicationDeliversExtraCopies) {
  Pair p;
  LinkModel m;
  m.duplicate_probability = 1.0;
  m.duplicate_copies = 3;
  p.link(m);
  EventLog log;
  p.net.setObserver(&log);
  p.sendAB(7, 0x11);
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 4u);
  for (std::uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(p.received_b[i].datagram_id, 1u);
    EXPECT_EQ(p.received_b[i].copy, i);
    EXPECT_EQ(p.received_b[i].bytes, testing::bytesOf(7, 0x11));
  }
  EXPECT_EQ(log.countKind(EventKind::kDuplicate), 1u);
}

TEST(LinkFaultTest, ReorderLetsLaterDatagramsOvertake) {
  Pair p;
  LinkModel m;
  m.latency_us = 1000;
  m.reorder_probability = 1.0;
  m.reorder_extra_delay_us = 5000;
  p.link(m);
  p.sendAB(1, 1);
  m.reorder_probability = 0.0;
  p.link(m);
  p.net.runUntil(10);
  p.sendAB(1, 2);
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 2u);
  EXPECT_EQ(p.received_b[0].bytes[0], 2);
  EXPECT_EQ(p.received_b[1].bytes[0], 1);
  EXPECT_EQ(p.net.now_us(), 6000);
}

TEST(LinkFaultTest, CorruptionFlipsExactlyTheConfiguredBits) {
  Pair p;
  LinkModel m;
  m.corrupt_probability = 1.0;
  m.corrupt_bit_flips = 3;
  p.link(m);
  p.sendAB(64, 0x00);
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 1u);
  int ones = 0;
  for (std::uint8_t b : p.received_b[0].bytes) ones += std::popcount(b);
  EXPECT_EQ(ones, 3);
  EXPECT_EQ(p.net.stats().corrupted, 1u);
}

TEST(LinkFaultTest, TruncationShortensTheDatagram) {
  Pair p;
  LinkModel m;
  m.truncate_probability = 1.0;
  p.link(m);
  for (int i = 0; i < 20; ++i) p.sendAB(100, static_cast<std::uint8_t>(i));
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 20u);
  for (const Datagram& d : p.received_b) {
    EXPECT_LT(d.bytes.size(), 100u);
    EXPECT_TRUE(std::all_of(d.bytes.begin(), d.bytes.end(), [&](auto b) { return b == d.bytes[0]; }));
  }
}

TEST(LinkFaultTest, MtuDropsOversizeAndOptionallyReportsIt) {
  Pair p;
  LinkModel m;
  m.mtu_bytes = 1200;
  p.link(m);
  EventLog log;
  p.net.setObserver(&log);
  EXPECT_EQ(p.sendAB(1200).status, SendStatus::kSent);
  EXPECT_EQ(p.sendAB(1201).status, SendStatus::kSent) << "silent drop by default";
  m.report_mtu_to_sender = true;
  p.link(m);
  const SendResult too_large = p.sendAB(1201);
  EXPECT_EQ(too_large.status, SendStatus::kMessageTooLarge);
  EXPECT_EQ(too_large.mtu_bytes, 1200u) << "the sender learns the MTU, as IP_MTU after EMSGSIZE";
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 1u);
  EXPECT_EQ(p.received_b[0].bytes.size(), 1200u);
  EXPECT_EQ(log.countDrops(DropReason::kMtu), 2u);
}

TEST(LinkFaultTest, BandwidthSerializesAndTailDrops) {
  Pair p;
  LinkModel m;
  m.bandwidth_bytes_per_second = 1000;  // 1 byte per ms
  m.queue_capacity_bytes = 300;
  p.link(m);
  for (int i = 0; i < 5; ++i) p.sendAB(100);
  p.net.run();
  // Queue: 100 (in service) + 100 + 100 fit in 300 bytes; the 4th and 5th are tail-dropped.
  EXPECT_EQ(p.received_b.size(), 3u);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kQueue)], 2u);
  EXPECT_EQ(p.net.now_us(), 300'000);
}

TEST(LinkFaultTest, UniformJitterStaysWithinItsBounds) {
  Pair p;
  LinkModel m;
  m.latency_us = 10'000;
  m.jitter.kind = JitterModel::Kind::kUniform;
  m.jitter.jitter_us = 2'000;
  p.link(m);
  EventLog log;
  p.net.setObserver(&log);
  for (int i = 0; i < 200; ++i) p.sendAB(1);
  p.net.run();
  for (const NetEvent& e : log.events) {
    if (e.kind != EventKind::kDelay) continue;
    EXPECT_GE(e.value, 8'000);
    EXPECT_LE(e.value, 12'000);
  }
}

TEST(LinkFaultTest, ParetoJitterIsBounded) {
  Pair p;
  LinkModel m;
  m.jitter.kind = JitterModel::Kind::kPareto;
  m.jitter.jitter_us = 1'000;
  m.jitter.pareto_shape = 0.5;  // infinite mean: only jitter_max_us keeps it finite
  m.jitter.jitter_max_us = 50'000;
  p.link(m);
  for (int i = 0; i < 1000; ++i) p.sendAB(1);
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 1000u);
  EXPECT_LE(p.net.now_us(), 50'000);
}

// ---------------------------------------------------------------- validation

struct BadLink {
  const char* name;
  void (*mutate)(LinkModel&);
  const char* message;
};

class LinkValidation : public ::testing::TestWithParam<BadLink> {};

TEST_P(LinkValidation, NamesTheFieldAndValue) {
  Pair p;
  LinkModel m;
  GetParam().mutate(m);
  const Status s = p.net.setLink(p.a, p.b, m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LinkValidation,
    ::testing::Values(
        BadLink{"loss", [](LinkModel& m) { m.loss_probability = 1.5; },
                "link 10.0.0.1->10.0.0.2: loss_probability 1.5 is outside [0, 1]"},
        BadLink{"nan", [](LinkModel& m) { m.duplicate_probability = std::nan(""); },
                "link 10.0.0.1->10.0.0.2: duplicate_probability nan is outside [0, 1]"},
        BadLink{"negdelay", [](LinkModel& m) { m.latency_us = -5; },
                "link 10.0.0.1->10.0.0.2: latency_us -5 is negative"},
        BadLink{"mtu0", [](LinkModel& m) { m.mtu_bytes = 0; },
                "link 10.0.0.1->10.0.0.2: mtu_bytes 0 is outside [1, 65535]"},
        BadLink{"copies", [](LinkModel& m) { m.duplicate_copies = 17; },
                "link 10.0.0.1->10.0.0.2: duplicate_copies 17 is outside [1, 16]"},
 BadLink{"bits", [](LinkModel& m) { m.corrupt_bit_flips = 5000; },
                "link 10.0.0.1->10.0.0.2: corrupt_bit_flips 5000 is above 1024"},
        BadLink{"ge", [](LinkModel& m) {
                  m.burst_loss.enabled = true;
                  m.burst_loss.r_bad_to_good = 0;
                },
                "link 10.0.0.1->10.0.0.2: burst_loss.r_bad_to_good 0 means a burst never ends"},
        BadLink{"pareto", [](LinkModel& m) {
                  m.jitter.kind = JitterModel::Kind::kPareto;
                  m.jitter.pareto_shape = 0;
                },
                "link 10.0.0.1->10.0.0.2: jitter.pareto_shape 0 must be > 0"},
        BadLink{"queue", [](LinkModel& m) {
                  m.bandwidth_bytes_per_second = 10;
                  m.queue_capacity_bytes = 0;
                },
                "link 10.0.0.1->10.0.0.2: queue_capacity_bytes 0 drops every datagram at bandwidth 10"}),
    [](const ::testing::TestParamInfo<BadLink>& row) { return std::string(row.param.name); });

TEST(LinkValidationTest, UnknownHostsAndDefaults) {
  Pair p;
  EXPECT_EQ(p.net.setLink(p.a, addr("10.0.0.9"), LinkModel{}).message(),
            "link 10.0.0.1->10.0.0.9: unknown host address 10.0.0.9");
  LinkModel m;
  m.reorder_extra_delay_us = -1;
  EXPECT_EQ(p.net.setDefaultLink(m).message(), "default link: reorder_extra_delay_us -1 is negative");
  EXPECT_TRUE(p.net.setDefaultLink(LinkModel{}).ok());
}

TEST(LinkValidationTest, RejectedConfigurationChangesNothing) {
  Pair p;
  LinkModel bad;
  bad.loss_probability = 2;
  EXPECT_FALSE(p.net.setLink(p.a, p.b, bad).ok());
  p.sendAB(1);
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 1u);
}

}  // namespace
}  // namespace simnet
