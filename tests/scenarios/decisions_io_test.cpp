// Tests of scenarios/loader/decisions_io.cpp: DecisionLog <-> repeated FaultDecision.

#include "scenarios/decisions_io.h"

#include <gtest/gtest.h>

#include <functional>

namespace scenarios {
namespace {

simnet::DecisionLog sampleLog() {
  simnet::DecisionLog log;
  log[1].dropped = simnet::DropReason::kLoss;
  log[2].dropped = simnet::DropReason::kOverload;
  simnet::DatagramDecision kept;
  kept.copies.push_back(simnet::CopyDecision{20000, std::nullopt, {}});
  kept.copies.push_back(simnet::CopyDecision{25000, 10u, {3, 17, 79}});
  kept.copies.push_back(simnet::CopyDecision{0, 0u, {}});  // truncated to 0 bytes, no delay
  log[7] = kept;
  log[1ull << 40].copies.push_back(simnet::CopyDecision{1, std::nullopt, {0}});
  return log;
}

TEST(DecisionsIoTest, DropReasonNamesRoundTrip) {
  for (int r = 0; r < simnet::kDropReasonCount; ++r) {
    const auto reason = static_cast<simnet::DropReason>(r);
    EXPECT_EQ(dropReasonFromName(simnet::toString(reason)), reason) << simnet::toString(reason);
  }
  EXPECT_EQ(dropReasonFromName(""), std::nullopt);
  EXPECT_EQ(dropReasonFromName("Loss"), std::nullopt);
  EXPECT_EQ(dropReasonNames().rfind("loss, burst, mtu", 0), 0u) << dropReasonNames();
}

TEST(DecisionsIoTest, ToProtoFields) {
  FaultDecisionList list;
  decisionsToProto(sampleLog(), &list);
  ASSERT_EQ(list.size(), 4);
  EXPECT_EQ(list[0].datagram_id(), 1u);
  EXPECT_EQ(list[0].dropped(), "loss");
  EXPECT_EQ(list[0].copies_size(), 0);
  EXPECT_EQ(list[2].datagram_id(), 7u);
  EXPECT_EQ(list[2].dropped(), "");
  ASSERT_EQ(list[2].copies_size(), 3);
  EXPECT_EQ(list[2].copies(0).delay_us(), 20000u);
  EXPECT_FALSE(list[2].copies(0).has_truncate_to_bytes());
  EXPECT_EQ(list[2].copies(1).truncate_to_bytes(), 10u);
  EXPECT_EQ(list[2].copies(1).flipped_bits_size(), 3);
  EXPECT_EQ(list[2].copies(1).flipped_bits(2), 79u);
  EXPECT_TRUE(list[2].copies(2).has_truncate_to_bytes());
  EXPECT_EQ(list[3].datagram_id(), 1ull << 40);
}

TEST(DecisionsIoTest, RoundTripIsExact) {
  const simnet::DecisionLog log = sampleLog();
  FaultDecisionList list;
  decisionsToProto(log, &list);
  // Through bytes too, as a trace stores them.
  dtlsim::Scenario s;
  *s.mutable_explicit_faults() = list;
  dtlsim::Scenario back;
  ASSERT_TRUE(back.ParseFromString(s.SerializeAsString()));
  simnet::DecisionLog out;
  std::string error;
  ASSERT_TRUE(decisionsFromProto(back.explicit_faults(), &out, &error)) << error;
  EXPECT_EQ(out, log);
}

TEST(DecisionsIoTest, EmptyRoundTrip) {
  FaultDecisionList list;
  list.Add();
  decisionsToProto({}, &list);
  EXPECT_EQ(list.size(), 0);
  simnet::DecisionLog out;
  out[3].dropped = simnet::DropReason::kMtu;
  ASSERT_TRUE(decisionsFromProto(list, &out, nullptr));
  EXPECT_TRUE(out.empty());
}

struct BadDecision {
  const char* name;
  std::function<void(FaultDecisionList*)> build;
  const char* error;
  const char* field;
};

TEST(DecisionsIoTest, BadEntries) {
  const BadDecision cases[] = {
      {"id_zero", [](FaultDecisionList* l) { l->Add()->set_dropped("loss"); },
       "decisions[0].datagram_id: 0 is not a datagram id (ids start at 1)", "decisions[0].datagram_id"},
      {"id_twice",
       [](FaultDecisionList* l) {
         auto* a = l->Add();
         a->set_datagram_id(4);
         a->set_dropped("mtu");
         auto* b = l->Add();
         b->set_datagram_id(4);
         b->set_dropped("loss");
       },
       "decisions[1].datagram_id: 4 appears twice", "decisions[1].datagram_id"},
      {"reason",
       [](FaultDecisionList* l) {
         auto* a = l->Add();
         a->set_datagram_id(1);
         a->set_dropped("kLoss");
       },
       "decisions[0].dropped: unknown drop reason 'kLoss' (valid: loss, burst, mtu, queue, partition, rule, "
       "no-listener, rcvbuf, overload, sndbuf)",
       "decisions[0].dropped"},
      {"dropped_with_copies",
       [](FaultDecisionList* l) {
         auto* a = l->Add();
         a->set_datagram_id(1);
         a->set_dropped("loss");
         a->add_copies();
       },
       "decisions[0].copies[0]: a dropped datagram has no copies", "decisions[0].copies[0]"},
      {"no_copies", [](FaultDecisionList* l) { l->Add()->set_datagram_id(9); },
       "decisions[0]: neither dropped nor delivered (no copies)", "decisions[0]"},
      {"delay_overflow",
       [](FaultDecisionList* l) {
         auto* a = l->Add();
         a->set_datagram_id(1);
         a->add_copies()->set_delay_us(1ull << 63);
       },
       "decisions[0].copies[0].delay_us: 9223372036854775808 is too large", "decisions[0].copies[0].delay_us"},
  };
  for (const BadDecision& c : cases) {
    FaultDecisionList list;
    c.build(&list);
    simnet::DecisionLog out;
    out[1].dropped = simnet::DropReason::kLoss;
    std::string error;
    std::string field;
    EXPECT_FALSE(decisionsFromProto(list, &out, &error, "decisions", &field)) << c.name;
    EXPECT_EQ(error, c.error) << c.name;
    EXPECT_EQ(field, c.field) << c.name;
    EXPECT_EQ(out.size(), 1u) << c.name << ": output changed on error";
  }
}

}  // namespace
}  // namespace scenarios
