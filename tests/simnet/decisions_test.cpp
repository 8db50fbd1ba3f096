// Record and replay of per-datagram fault decisions, and hand-edited decision lists.
#include "simnet/decisions.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace simnet {
namespace {

using testing::EventLog;
using testing::Pair;

TEST(DecisionsTest, CleanDeliveriesAreNotRecorded) {
  Pair p;
  LinkModel m;
  m.latency_us = 300;
  m.loss_probability = 0.5;
  p.link(m);
  p.net.setRecording(true);
  for (int i = 0; i < 100; ++i) p.sendAB(3);
  p.net.run();
  const DecisionLog& log = p.net.recordedDecisions();
  EXPECT_EQ(log.size(), 100 - p.received_b.size());
  for (const auto& [id, d] : log) {
    ASSERT_TRUE(d.dropped.has_value()) << id;
    EXPECT_EQ(*d.dropped, DropReason::kLoss);
  }
}

TEST(DecisionsTest, HandWrittenLogIsAppliedWithoutRandomness) {
  Pair p;
  LinkModel m;
  m.latency_us = 1000;
  m.loss_probability = 1.0;  // ignored in replay
  p.link(m);
  DecisionLog log;
  log[1].dropped = DropReason::kLoss;
  log[2].copies = {CopyDecision{5000, std::nullopt, {}}, CopyDecision{200, 2u, {0, 9}}};
  p.net.replay(log);
  EventLog events;
  p.net.setObserver(&events);
  std::vector<std::pair<std::uint64_t, TimeUs>> got;
  p.net.setReceiveCallback(p.sb, [&](SocketId s) {
    Datagram d;
    while (p.net.receive(s, d)) {
      got.emplace_back(d.datagram_id * 10 + d.copy, p.net.now_us());
      if (d.copy == 1) {
        EXPECT_EQ(d.bytes, (std::vector<std::uint8_t>{0x01, 0x02}));
      }
    }
  });
  p.sendAB(4, 0x00);  // id 1: dropped
  p.sendAB(4, 0x00);  // id 2: two copies, the second truncated to 2 bytes with bits 0 and 9 flipped
  p.sendAB(4, 0x00);  // id 3: no entry -> clean, base latency
  p.net.run();
  EXPECT_EQ(got, (std::vector<std::pair<std::uint64_t, TimeUs>>{{21, 200}, {30, 1000}, {20, 5000}}));
  EXPECT_EQ(events.countDrops(DropReason::kLoss), 1u);
  EXPECT_EQ(events.countKind(EventKind::kTruncate), 1u);
  EXPECT_EQ(events.countKind(EventKind::kCorrupt), 1u);
  for (std::size_t i = 0; i < events.events.size(); ++i) {
    if (events.events[i].kind == EventKind::kCorrupt) {
      EXPECT_EQ(events.flipped_bits[i], (std::vector<std::uint32_t>{0, 9}));
    }
  }
}

TEST(DecisionsTest, ReplayedMtuDropStillReportsToTheSender) {
  Pair p;
  LinkModel m;
  m.report_mtu_to_sender = true;
  p.link(m);
  DecisionLog log;
  log[1].dropped = DropReason::kMtu;
  p.net.replay(log);
  EXPECT_EQ(p.sendAB(10).status, SendStatus::kMessageTooLarge);
}

TEST(DecisionsTest, RemovingADecisionDeliversThatDatagramCleanly) {
  // Record a lossy run, then remove the first loss: that datagram now arrives.
  DecisionLog recorded;
  std::size_t delivered_recorded = 0;
  {
    Pair p(5);
    LinkModel m;
    m.latency_us = 100;
    m.loss_probability = 0.3;
    p.link(m);
    p.net.setRecording(true);
    for (int i = 0; i < 50; ++i) p.sendAB(1);
    p.net.run();
    recorded = p.net.recordedDecisions();
    delivered_recorded = p.received_b.size();
  }
  ASSERT_FALSE(recorded.empty());
  recorded.erase(recorded.begin());
  Pair q(5);
  LinkModel m;
  m.latency_us = 100;
  q.link(m);
  q.net.replay(recorded);
  for (int i = 0; i < 50; ++i) q.sendAB(1);
  q.net.run();
  EXPECT_EQ(q.received_b.size(), delivered_recorded + 1);
  EXPECT_EQ(q.net.now_us(), 100);
}

TEST(DecisionsTest, ArrivalTimeDropsAreNotDecisionsAndStillHappenInReplay) {
  Pair p;
  p.net.replay({});
  EventLog events;
  p.net.setObserver(&events);
  (void)p.net.sendTo(p.sa, Endpoint{p.b, 4444}, testing::bytesOf(3));
  p.net.run();
  EXPECT_EQ(events.countDrops(DropReason::kNoListener), 1u);
}

}  // namespace
}  // namespace simnet
