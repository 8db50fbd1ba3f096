// Tests of viz/model/timeline.h: lanes, datagram fates and faults, markers, event rows.
#include "model/timeline.h"

#include <gtest/gtest.h>

#include "trace_fixtures.h"

namespace viz {
namespace {

const DatagramItem& find(const Timeline& t, std::uint64_t id, std::uint32_t copy = 0) {
  for (const DatagramItem& d : t.datagrams)
    if (d.id == id && d.copy == copy) return d;
  static const DatagramItem none;
  ADD_FAILURE() << "no datagram #" << id << " copy " << copy;
  return none;
}

TEST(TimelineTest, LanesPutClientsBeforeServers) {
  const Timeline t = buildTimeline(testing::smallTrace());
  ASSERT_EQ(t.lanes.size(), 2u);
  EXPECT_EQ(t.lanes[0].name, "client");
  EXPECT_EQ(t.lanes[0].role, LaneRole::Client);
  EXPECT_EQ(t.lanes[1].name, "server");
  EXPECT_EQ(t.lanes[1].address, "10.0.0.1:4433");
}

TEST(TimelineTest, OneItemPerCopyWithItsFate) {
  const Timeline t = buildTimeline(testing::smallTrace());
  EXPECT_EQ(t.datagrams.size(), 8u);  // 7 datagrams + one network copy
  const DatagramItem& hello = find(t, 1);
  EXPECT_EQ(hello.fate, Fate::Delivered);
  EXPECT_EQ(hello.from_lane, 0);
  EXPECT_EQ(hello.to_lane, 1);
  EXPECT_EQ(hello.end_us, 10'000u);
  EXPECT_EQ(hello.label(), "ClientHello (msg 0, frag 0-100)");
  const DatagramItem& lost = find(t, 2);
  EXPECT_EQ(lost.fate, Fate::Dropped);
  EXPECT_EQ(lost.drop_reason, "rule");
  EXPECT_EQ(lost.tags().front(), "lost (rule)");
}

TEST(TimelineTest, RetransmissionsByTimerAndBySeenMessages) {
  const Timeline t = buildTimeline(testing::smallTrace());
  EXPECT_FALSE(find(t, 1).retransmission);
  EXPECT_FALSE(find(t, 2).retransmission);
  EXPECT_TRUE(find(t, 3).retransmission);  // same message_seq again, and a timer at 1010 ms
}

TEST(TimelineTest, DuplicateCorruptReorderTruncate) {
  const Timeline t = buildTimeline(testing::smallTrace());
  const DatagramItem& copy = find(t, 4, 1);
  EXPECT_TRUE(copy.duplicate);
  EXPECT_EQ(copy.corrupted_bits, 2u);
  EXPECT_TRUE(copy.damaged());
  EXPECT_NE(copy.delivered_bytes, copy.sent_bytes);
  EXPECT_FALSE(find(t, 4, 0).duplicate);
  EXPECT_EQ(find(t, 4, 0).label(), "AppData 1 KiB");
  EXPECT_TRUE(find(t, 5).reordered);
  EXPECT_FALSE(find(t, 6).reordered);
  EXPECT_EQ(find(t, 7).truncated_to_bytes, 20u);
  EXPECT_EQ(find(t, 7).tags(), std::vector<std::string>{"truncated to 20 B"});
}

TEST(TimelineTest, MarkersOnTheirLanes) {
  const Timeline t = buildTimeline(testing::smallTrace());
  ASSERT_EQ(t.markers.size(), 6u);
  EXPECT_EQ(t.markers[0].kind, MarkerKind::State);
  EXPECT_EQ(t.markers[0].text, "\u2192 HandshakeInProgress");
  EXPECT_EQ(t.markers[1].kind, MarkerKind::Timer);
  EXPECT_EQ(t.markers[1].lane, 1);
  EXPECT_EQ(t.markers.back().kind, MarkerKind::Error);
  EXPECT_EQ(t.markers.back().text, "ERROR TlsNonFatalError: bad record");
}

TEST(TimelineTest, EventRowsCoverEveryEventSortedAndLinked) {
  const dtlsim::Trace trace = testing::smallTrace();
  const Timeline t = buildTimeline(trace);
  ASSERT_EQ(t.events.size(), static_cast<std::size_t>(trace.events_size()));
  for (std::size_t i = 1; i < t.events.size(); ++i)
    EXPECT_LE(t.events[i - 1].time_us, t.events[i].time_us);
  const int row = t.rowOfEvent(4);  // #2's SEND
  ASSERT_GE(row, 0);
  EXPECT_EQ(t.events[row].kind, "send");
  EXPECT_EQ(t.events[row].text, "server \u2192 client #2 ServerHello (msg 1, frag 0-60) 85 B");
  ASSERT_EQ(t.events[row].item.type, ItemRef::Type::Datagram);
  EXPECT_EQ(t.datagrams[t.events[row].item.index].id, 2u);
  EXPECT_EQ(t.rowOfItem(t.events[row].item), row);
}

TEST(TimelineTest, UnknownEndpointsAndDatagramsDoNotBreakIt) {
  dtlsim::Trace trace;
  auto* e = trace.add_events();
  e->set_kind(dtlsim::TraceEvent::DELIVER);  // no SEND for it
  e->set_datagram_id(9);
  e = trace.add_events();
  e->set_kind(dtlsim::TraceEvent::SEND);
  e->set_endpoint("ghost");
  e->set_datagram_id(10);
  e->set_data("\x16garbage");
  e = trace.add_events();
  e->set_kind(dtlsim::TraceEvent::STATE);
  e->set_endpoint("other");
  const Timeline t = buildTimeline(trace);
  EXPECT_EQ(t.events.size(), 3u);
  ASSERT_EQ(t.datagrams.size(), 1u);
  EXPECT_EQ(t.datagrams[0].fate, Fate::InFlight);
  EXPECT_EQ(t.datagrams[0].label_parts.back().rfind("[malformed: ", 0), 0u);
  EXPECT_EQ(t.lanes.size(), 2u);
  EXPECT_EQ(t.events[0].item.type, ItemRef::Type::None);
}

TEST(TimelineTest, LostFinishedCatalogRun) {
  const Timeline t = buildTimeline(testing::catalogTrace("lost-finished"));
  int lost = 0, retx = 0;
  for (const DatagramItem& d : t.datagrams) {
    lost += d.fate == Fate::Dropped;
    retx += d.retransmission;
  }
  EXPECT_EQ(lost, 1);
  EXPECT_GE(retx, 4);  // the client's resent final flight, the server's resent flight
  const DatagramItem* dropped = nullptr;
  for (const DatagramItem& d : t.datagrams)
    if (d.fate == Fate::Dropped) dropped = &d;
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->label_parts.back(), "Finished (epoch 1)");
  EXPECT_EQ(t.lanes[dropped->from_lane].name, "client");
}

// Every connection numbers its messages from 0: a server's flights to its second and later
// clients, and a client's second connection on the same port, are new flights. Both runs have
// no retransmission at all.
TEST(TimelineTest, NewConnectionsAreNotRetransmissions) {
  for (const char* name : {"hundred-clients-noise", "restart-same-port"}) {
    const dtlsim::Trace trace = testing::catalogTrace(name);
    std::uint32_t outcome_retx = 0;
    for (const auto& e : trace.outcome().endpoints()) outcome_retx += e.retransmissions();
    ASSERT_EQ(outcome_retx, 0u) << name;
    const Timeline t = buildTimeline(trace);
    ASSERT_GT(t.datagrams.size(), 10u) << name;
    for (const DatagramItem& d : t.datagrams)
      EXPECT_FALSE(d.retransmission) << name << ": #" << d.id << " " << d.label();
  }
}

TEST(TimelineTest, FormatMs) {
  EXPECT_EQ(formatMs(0), "0.000 ms");
  EXPECT_EQ(formatMs(1'060'005), "1060.005 ms");
}

}  // namespace
}  // namespace viz

namespace viz {
namespace {

TEST(TimelineTest, FragmentsOfOneFlightAreNotRetransmissions) {
  // mtu-576-large-chain: the certificate is sent in several fragments, nothing is resent.
  const Timeline t = buildTimeline(testing::catalogTrace("mtu-576-large-chain"));
  int fragments = 0;
  for (const DatagramItem& d : t.datagrams) {
    EXPECT_FALSE(d.retransmission) << d.label();
    fragments += d.label().find("Certificate (msg 2, frag") != std::string::npos;
  }
  EXPECT_GE(fragments, 3);
}

TEST(TimelineTest, ServerMarkersPutThePeerLast) {
  const Timeline t = buildTimeline(testing::catalogTrace("lost-finished"));
  bool found = false;
  for (const MarkerItem& m : t.markers)
    if (m.kind == MarkerKind::State && t.lanes[m.lane].name == "server") {
      EXPECT_EQ(m.text.rfind("\u2192 Handshake", 0), 0u) << m.text;
      EXPECT_EQ(m.text.back(), ']') << m.text;
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(TimelineTest, FirstNotableItemPrefersLoss) {
  const Timeline t = buildTimeline(testing::smallTrace());
  const ItemRef first = firstNotableItem(t);
  ASSERT_EQ(first.type, ItemRef::Type::Datagram);
  EXPECT_EQ(t.datagrams[first.index].id, 2u);
  EXPECT_EQ(firstNotableItem(Timeline{}).type, ItemRef::Type::None);
  EXPECT_EQ(t.datagrams[first.index].tags(true), std::vector<std::string>{});
  EXPECT_EQ(t.datagrams[first.index].tags(false), std::vector<std::string>{"lost (rule)"});
}

}  // namespace
}  // namespace viz

namespace viz {
namespace {

TEST(TimelineTest, NextNotableItemWalksTheFaultsAndWraps) {
  const Timeline t = buildTimeline(testing::smallTrace());
  std::vector<std::uint64_t> ids;
  ItemRef at = nextNotableItem(t, -1);
  for (int i = 0; i < 6 && at.type == ItemRef::Type::Datagram; ++i) {
    ids.push_back(t.datagrams[at.index].id * 10 + t.datagrams[at.index].copy);
    at = nextNotableItem(t, at.index);
  }
  // #2 lost, #3 retransmission, #4 copy 1 corrupted, #5 reordered, #7 truncated, then #2 again.
  EXPECT_EQ(ids, (std::vector<std::uint64_t>{20, 30, 41, 50, 70, 20}));
  EXPECT_EQ(nextNotableItem(Timeline{}, -1).type, ItemRef::Type::None);
}

// The outcome's oracle violations and stalls become markers on the lane they concern, at the
// time they name, with the property and its RFC section for the detail pane; playback shows
// them with the events of their time.
TEST(TimelineTest, OracleViolationsAndStallsAreMarkersOnTheirLanes) {
  dtlsim::Trace trace = testing::smallTrace();
  dtlsim::OracleCheck* check = trace.mutable_outcome()->add_oracles();
  check->set_property("retransmit-trigger");
  check->set_endpoint("client");
  check->set_library("wolfSSL 5.5.4");
  check->set_checks(3);
  check->set_violations(1);
  check->set_first_violation("at t=30.000 ms: resent its flight on part of the peer's next one");
  check->set_excused_by("finding 021");
  dtlsim::OracleCheck* held = trace.mutable_outcome()->add_oracles();
  held->set_property("timer-backoff");
  held->set_endpoint("server");
  held->set_checks(2);  // held: no marker
  trace.mutable_outcome()->add_failures(
      "invariant: stall: server [10.0.0.2:49152] still in HandshakeInProgress at t=40.000 ms, "
      "20000 ms after the faults stopped (no DTLS timer pending)");
  trace.mutable_outcome()->add_failures("client: expected HandshakeComplete");  // not a marker

  const Timeline t = buildTimeline(trace);
  std::vector<const MarkerItem*> violations;
  for (const MarkerItem& m : t.markers)
    if (m.kind == MarkerKind::Violation) violations.push_back(&m);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0]->lane, t.laneOf("client"));
  EXPECT_EQ(violations[0]->time_us, 30000u);
  EXPECT_EQ(violations[0]->text, "\u2717 retransmit-trigger (finding 021)");
  EXPECT_EQ(violations[0]->detail,
            "oracle retransmit-trigger (RFC 6347 \u00a74.2.4): client (wolfSSL 5.5.4): at t=30.000 "
            "ms: resent its flight on part of the peer's next one [excused: finding 021]");
  EXPECT_EQ(violations[0]->event, -1);
  EXPECT_EQ(violations[1]->lane, t.laneOf("server"));
  EXPECT_EQ(violations[1]->time_us, 40000u);
  EXPECT_EQ(violations[1]->text, "\u2717 stall");
  // Markers stay in time order; no event row points at a violation.
  for (std::size_t i = 1; i < t.markers.size(); ++i)
    EXPECT_LE(t.markers[i - 1].time_us, t.markers[i].time_us);
  for (const EventRow& row : t.events) {
    if (row.item.type != ItemRef::Type::Marker) continue;
    EXPECT_NE(t.markers[static_cast<std::size_t>(row.item.index)].kind, MarkerKind::Violation);
  }
}

}  // namespace
}  // namespace viz
