// Scheduled partitions/clogs and targeted rules driven by a classifier.
#include "simnet/fault_rules.h"

#include <gtest/gtest.h>

#include <bit>

#include "test_util.h"

namespace simnet {
namespace {

using testing::addr;
using testing::EventLog;
using testing::Pair;

// Sends one a->b datagram every millisecond from t = 0 to t = count - 1 ms, byte 0 = index.
void sendEveryMs(Pair& p, int count, bool both = false) {
  for (int i = 0; i < count; ++i) {
    p.net.scheduleTimer(i * kMillisecondUs, [&p, i, both] {
      p.sendAB(4, static_cast<std::uint8_t>(i));
      if (both) p.sendBA(4, static_cast<std::uint8_t>(i));
    });
  }
}

TEST(PartitionTest, DropsDuringTheWindowAndHeals) {
  Pair p;
  Partition part;
  part.side_a = {p.a};
  part.side_b = {p.b};
  part.from_us = 3 * kMillisecondUs;
  part.until_us = 6 * kMillisecondUs;
  ASSERT_TRUE(p.net.addPartition(part).ok());
  sendEveryMs(p, 10, true);
  p.net.run();
  std::vector<int> got_b, got_a;
  for (const auto& d : p.received_b) got_b.push_back(d.bytes[0]);
  for (const auto& d : p.received_a) got_a.push_back(d.bytes[0]);
  EXPECT_EQ(got_b, (std::vector<int>{0, 1, 2, 6, 7, 8, 9}));
  EXPECT_EQ(got_a, got_b) << "symmetric";
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kPartition)], 6u);
}

TEST(PartitionTest, OneWayPartitionBlocksOnlyAToB) {
  Pair p;
  Partition part;
  part.side_a = {p.a};
  part.side_b = {p.b};
  part.one_way = true;
  ASSERT_TRUE(p.net.addPartition(part).ok());
  sendEveryMs(p, 3, true);
  p.net.run();
  EXPECT_TRUE(p.received_b.empty());
  EXPECT_EQ(p.received_a.size(), 3u);
}

TEST(PartitionTest, ClogHoldsAndReleasesInOrder) {
  Pair p;
  LinkModel m;
  m.latency_us = 100;
  p.link(m);
  Partition clog;
  clog.side_a = {p.a};
  clog.side_b = {p.b};
  clog.mode = Partition::Mode::kClog;
  clog.from_us = 2 * kMillisecondUs;
  clog.until_us = 5 * kMillisecondUs;
  ASSERT_TRUE(p.net.addPartition(clog).ok());
  std::vector<std::pair<int, TimeUs>> arrivals;
  p.net.setReceiveCallback(p.sb, [&](SocketId s) {
    Datagram d;
    while (p.net.receive(s, d)) arrivals.emplace_back(d.bytes[0], p.net.now_us());
  });
  sendEveryMs(p, 7);
  p.net.run();
  ASSERT_EQ(arrivals.size(), 7u);
  EXPECT_EQ(arrivals[1], (std::pair<int, TimeUs>{1, 1100}));
  EXPECT_EQ(arrivals[2], (std::pair<int, TimeUs>{2, 5100}));
  EXPECT_EQ(arrivals[4], (std::pair<int, TimeUs>{4, 5100}));
  EXPECT_EQ(arrivals[5], (std::pair<int, TimeUs>{5, 5100}));
  EXPECT_EQ(arrivals[6], (std::pair<int, TimeUs>{6, 6100}));
}

TEST(PartitionTest, BadPartitionsAreRejected) {
  Pair p;
  Partition part;
  EXPECT_EQ(p.net.addPartition(part).message(), "partition: side_a and side_b must not be empty");
  part.side_a = {p.a};
  part.side_b = {addr("10.0.0.7")};
  EXPECT_EQ(p.net.addPartition(part).message(), "partition: unknown host address 10.0.0.7");
  part.side_b = {p.b};
  part.from_us = 10;
  part.until_us = 10;
  EXPECT_EQ(p.net.addPartition(part).message(), "partition: empty time window [10, 10)");
}

// A stand-in for the DTLS classifier: byte 0 = message kind, byte 1 = epoch.
void installClassifier(Pair& p) {
  p.net.setClassifier([](std::span<const std::uint8_t> b, std::vector<Label>& out) {
    if (b.size() < 2) return;
    static const char* kNames[] = {"handshake:client_hello", "handshake:finished", "app_data"};
    if (b[0] < 3) out.push_back(Label{kNames[b[0]], b[1]});
  });
}

SendResult sendKind(Pair& p, std::uint8_t kind, std::uint8_t epoch) {
  const std::vector<std::uint8_t> bytes{kind, epoch, 0, 0, 0, 0, 0, 0};
  return p.net.sendTo(p.sa, Endpoint{p.b, 2000}, bytes);
}

FaultRule finishedRule(RuleAction action) {
  FaultRule r;
  r.name = "finished";
  r.match.label = "handshake:finished";
  r.match.epoch = 1;
  r.action = action;
  return r;
}

TEST(FaultRuleTest, DropsTheSecondFinishedOfEpochOne) {
  Pair p;
  installClassifier(p);
  FaultRule r = finishedRule({RuleAction::Kind::kDrop});
  r.match.occurrence = 2;
  ASSERT_TRUE(p.net.addRule(r).ok());
  EventLog log;
  p.net.setObserver(&log);
  sendKind(p, 1, 1);  // finished #1: passes
  sendKind(p, 1, 0);  // epoch 0: not counted
  sendKind(p, 0, 1);  // other label
  sendKind(p, 1, 1);  // finished #2: dropped
  sendKind(p, 1, 1);  // #3: passes
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 4u);
  ASSERT_EQ(log.countDrops(DropReason::kRule), 1u);
  for (const auto& e : log.events) {
    if (e.kind == EventKind::kDrop) {
      EXPECT_EQ(e.datagram_id, 4u);
    }
  }
}

// A full send buffer: the sender is told (EAGAIN on a real socket), nothing reaches the
// network, and a replay of the recorded decisions refuses the same datagram the same way.
TEST(FaultRuleTest, WouldBlockRefusesTheSendAndTheSenderIsTold) {
  Pair p;
  installClassifier(p);
  FaultRule r = finishedRule({RuleAction::Kind::kWouldBlock});
  r.match.occurrence = 1;
  ASSERT_TRUE(p.net.addRule(r).ok());
  p.net.setRecording(true);
  EventLog log;
  p.net.setObserver(&log);
  EXPECT_EQ(sendKind(p, 1, 1).status, SendStatus::kWouldBlock);
  EXPECT_EQ(sendKind(p, 1, 1).status, SendStatus::kSent) << "only the first occurrence";
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 1u);
  EXPECT_EQ(log.countDrops(DropReason::kSndBuf), 1u);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kSndBuf)], 1u);
  const DecisionLog recorded = p.net.recordedDecisions();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded.begin()->second.dropped, DropReason::kSndBuf);

  Pair q;
  q.net.replay(recorded);
  EXPECT_EQ(sendKind(q, 1, 1).status, SendStatus::kWouldBlock);
  EXPECT_EQ(sendKind(q, 1, 1).status, SendStatus::kSent);
}

TEST(FaultRuleTest, DuplicateDelayCorruptTruncateActions) {
  Pair p;
  installClassifier(p);
  ASSERT_TRUE(p.net.addRule(finishedRule({RuleAction::Kind::kDuplicate, 2})).ok());
  RuleAction delay{RuleAction::Kind::kDelay};
  delay.delay_us = 7000;
  ASSERT_TRUE(p.net.addRule(finishedRule(delay)).ok());
  ASSERT_TRUE(p.net.addRule(finishedRule({RuleAction::Kind::kCorrupt, 1})).ok());
  RuleAction cut{RuleAction::Kind::kTruncate};
  cut.truncate_to_bytes = 5;
  ASSERT_TRUE(p.net.addRule(finishedRule(cut)).ok());
  sendKind(p, 1, 1);
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 3u);
  EXPECT_EQ(p.net.now_us(), 7000);
  for (const Datagram& d : p.received_b) {
    EXPECT_EQ(d.bytes.size(), 5u);
    const std::vector<std::uint8_t> clean{1, 1, 0, 0, 0};
    int diff = 0;
    for (int i = 0; i < 5; ++i) diff += std::popcount(static_cast<unsigned>(d.bytes[i] ^ clean[i]));
    EXPECT_EQ(diff, 1);
  }
}

TEST(FaultRuleTest, HoldReleasesAtTheGivenTime) {
  Pair p;
  LinkModel m;
  m.latency_us = 50;
  p.link(m);
  FaultRule r;
  r.name = "hold-first";
  r.match.source = p.a;
  r.match.path_index = 0;
  r.action.kind = RuleAction::Kind::kHold;
  r.action.hold_until_us = 20'000;
  ASSERT_TRUE(p.net.addRule(r).ok());
  std::vector<std::pair<int, TimeUs>> arrivals;
  p.net.setReceiveCallback(p.sb, [&](SocketId s) {
    Datagram d;
    while (p.net.receive(s, d)) arrivals.emplace_back(d.bytes[0], p.net.now_us());
  });
  p.sendAB(1, 0);
  p.sendAB(1, 1);
  p.net.run();
  EXPECT_EQ(arrivals, (std::vector<std::pair<int, TimeUs>>{{1, 50}, {0, 20'050}}));
}

TEST(FaultRuleTest, DirectionAndTimeWindowRestrictMatches) {
  Pair p;
  FaultRule r;
  r.name = "b-to-a";
  r.match.source = p.b;
  r.match.destination = p.a;
  r.match.from_us = 2 * kMillisecondUs;
  r.match.until_us = 4 * kMillisecondUs;
  ASSERT_TRUE(p.net.addRule(r).ok());
  sendEveryMs(p, 6, true);
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 6u);
  EXPECT_EQ(p.received_a.size(), 4u);
}

TEST(FaultRuleTest, LabelRulesNeverMatchWithoutClassifier) {
  Pair p;
  ASSERT_TRUE(p.net.addRule(finishedRule({RuleAction::Kind::kDrop})).ok());
  sendKind(p, 1, 1);
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 1u);
}

struct BadRule {
  const char* name;
  void (*mutate)(FaultRule&);
  const char* message;
};

class RuleValidation : public ::testing::TestWithParam<BadRule> {};

TEST_P(RuleValidation, NamesTheFieldAndValue) {
  Pair p;
  FaultRule r;
  r.name = "r1";
  GetParam().mutate(r);
  EXPECT_EQ(p.net.addRule(r).message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, RuleValidation,
    ::testing::Values(
        BadRule{"window", [](FaultRule& r) { r.match.from_us = r.match.until_us = 5; },
                "rule 'r1': empty time window [5, 5) can never match"},
        BadRule{"occurrence", [](FaultRule& r) { r.match.occurrence = 0; },
                "rule 'r1': occurrence 0 can never match (it is 1-based)"},
        BadRule{"host", [](FaultRule& r) { r.match.source = *Address::parse("192.168.1.1"); },
                "rule 'r1': unknown host address 192.168.1.1"},
        BadRule{"epoch", [](FaultRule& r) { r.match.epoch = 1; }, "rule 'r1': epoch 1 needs a label"},
        BadRule{"dup", [](FaultRule& r) { r.action = {RuleAction::Kind::kDuplicate, 0}; },
                "rule 'r1': duplicate count 0 is outside [1, 16]"},
        BadRule{"corrupt", [](FaultRule& r) { r.action = {RuleAction::Kind::kCorrupt, 0}; },
                "rule 'r1': corrupt count 0 flips nothing"},
        BadRule{"delay", [](FaultRule& r) {
                  r.action.kind = RuleAction::Kind::kDelay;
                  r.action.delay_us = -3;
                },
                "rule 'r1': delay_us -3 is negative"}),
    [](const ::testing::TestParamInfo<BadRule>& row) { return std::string(row.param.name); });

// A liveness phase: from stopFaultsAt on, a datagram crosses as on a clean link (latency and
// MTU stay), whatever the link model, partitions and rules say.
TEST(StopFaultsTest, FromTheStopEveryDatagramCrossesCleanly) {
  Pair p;
  LinkModel m;
  m.latency_us = 500;
  m.loss_probability = 0.5;
  m.duplicate_probability = 0.5;
  m.jitter.kind = JitterModel::Kind::kUniform;
  m.jitter.jitter_us = 300;
  m.jitter.jitter_max_us = 300;
  m.mtu_bytes = 100;
  p.link(m);
  Partition part;
  part.side_a = {p.a};
  part.side_b = {p.b};
  part.from_us = 0;
  part.until_us = 3 * kMillisecondUs;
  ASSERT_TRUE(p.net.addPartition(part).ok());
  FaultRule drop_all;
  drop_all.name = "drop-all";
  drop_all.action.kind = RuleAction::Kind::kDrop;
  ASSERT_TRUE(p.net.addRule(drop_all).ok());
  p.net.stopFaultsAt(5 * kMillisecondUs);
  sendEveryMs(p, 10);
  p.net.scheduleTimer(9 * kMillisecondUs, [&p] { p.sendAB(200, 99); });  // over the MTU
  p.net.run();
  std::vector<int> got;
  for (const auto& d : p.received_b) got.push_back(d.bytes[0]);
  EXPECT_EQ(got, (std::vector<int>{5, 6, 7, 8, 9})) << "once each, in order, none before 5 ms";
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kMtu)], 1u);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kRule)] +
                p.net.stats().dropped[static_cast<int>(DropReason::kPartition)],
            5u);
}

}  // namespace
}  // namespace simnet
