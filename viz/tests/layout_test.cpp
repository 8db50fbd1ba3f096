// Tests of viz/model/layout.h: lane columns, label rows that never overlap, gap breaks, the
// time <-> y mapping.
#include "model/layout.h"

#include <gtest/gtest.h>

#include "scenarios/trace_builder.h"
#include "trace_fixtures.h"

namespace viz {
namespace {

// Boxes that touch do not overlap; the tolerance absorbs rounding of y - height.
bool overlap(const LabelBox& a, const LabelBox& b) {
  constexpr double kEps = 0.01;
  return a.x + kEps < b.x + b.width && b.x + kEps < a.x + a.width &&
         a.y + kEps < b.y + b.height && b.y + kEps < a.y + a.height;
}

std::vector<LabelBox> allLabels(const Layout& l) {
  std::vector<LabelBox> out;
  for (const auto& d : l.datagrams) {
    if (!d.label.empty()) out.push_back(d.label);
    if (!d.fate_label.empty()) out.push_back(d.fate_label);
  }
  for (const auto& m : l.markers) out.push_back(m.label);
  return out;
}

void expectNoOverlap(const Layout& l) {
  const auto labels = allLabels(l);
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (std::size_t j = i + 1; j < labels.size(); ++j)
      EXPECT_FALSE(overlap(labels[i], labels[j]))
          << "'" << labels[i].lines[0] << "' " << labels[i].x << "," << labels[i].y << " "
          << labels[i].width << "x" << labels[i].height << " overlaps '" << labels[j].lines[0]
          << "' " << labels[j].x << "," << labels[j].y << " " << labels[j].width << "x"
          << labels[j].height;
}

TEST(LayoutTest, ClientLeftServerRightBandBetween) {
  const Timeline t = buildTimeline(testing::smallTrace());
  LayoutOptions o;
  o.width_px = 1000;
  const Layout l = layoutTimeline(t, o);
  ASSERT_EQ(l.lane_x.size(), 2u);
  EXPECT_LT(l.lane_x[0], l.lane_x[1]);
  EXPECT_EQ(l.band_left, l.lane_x[0]);
  EXPECT_EQ(l.band_right, l.lane_x[1]);
  EXPECT_GE(l.band_right - l.band_left, o.min_band_px);
  EXPECT_DOUBLE_EQ(l.width, 1000);
}

TEST(LayoutTest, ArrowsGoFromSenderToReceiverDownwards) {
  const Timeline t = buildTimeline(testing::smallTrace());
  const Layout l = layoutTimeline(t, {});
  for (std::size_t i = 0; i < t.datagrams.size(); ++i) {
    const DatagramGeometry& g = l.datagrams[i];
    EXPECT_GE(g.y2, g.y1);
    EXPECT_EQ(g.x1, l.lane_x[t.datagrams[i].from_lane]);
    if (t.datagrams[i].fate == Fate::Dropped) {
      EXPECT_DOUBLE_EQ(g.x2, (l.lane_x[0] + l.lane_x[1]) / 2);  // the cross, mid-way
      EXPECT_EQ(g.fate_label.lines[0], "lost (rule)");
    } else {
      EXPECT_EQ(g.x2, l.lane_x[t.datagrams[i].to_lane]);
    }
  }
}

TEST(LayoutTest, LongIdleGapsBecomeBreaks) {
  const Timeline t = buildTimeline(testing::smallTrace());
  LayoutOptions o;
  o.px_per_ms = 1;
  const Layout compressed = layoutTimeline(t, o);
  // Idle: 15 ms (the lost #2's cross, half its path's 10 ms) -> 1010 ms, 1020 -> 2000,
  // 2011 -> 3000, 3030 -> 4000.
  ASSERT_EQ(compressed.breaks.size(), 4u);
  EXPECT_EQ(compressed.breaks[0].from_us, 15'000u);
  EXPECT_EQ(compressed.breaks[0].to_us, 1'010'000u);
  o.compress_gaps = false;
  const Layout linear = layoutTimeline(t, o);
  EXPECT_TRUE(linear.breaks.empty());
  EXPECT_GT(linear.height, 4000);  // 4 s at 1 px/ms
  EXPECT_LT(compressed.height, 800);
}

TEST(LayoutTest, ZoomSpreadsInstantsButNotLabels) {
  const Timeline t = buildTimeline(testing::smallTrace());
  LayoutOptions o;
  o.px_per_ms = 1;
  const Layout a = layoutTimeline(t, o);
  o.px_per_ms = 20;
  const Layout b = layoutTimeline(t, o);
  EXPECT_GT(b.height, a.height);
  EXPECT_EQ(a.datagrams[0].label.height, b.datagrams[0].label.height);
  EXPECT_GE(b.datagrams[0].y2 - b.datagrams[0].y1, 200 - 1e-9);  // 10 ms at 20 px/ms
}

TEST(LayoutTest, SimultaneousDatagramsGetRowsOfTheirOwn) {
  // A 30-datagram flight leaving the server at one instant, markers on both lanes at it.
  dtlsim::Trace trace = testing::smallTrace();
  scenarios::TraceBuilder b(&trace);
  for (std::uint64_t id = 100; id < 130; ++id) {
    const std::string bytes = testing::record(22, 0, id, testing::handshake(11, 2, 3000, 0, 90));
    b.send(5'000'000, "server", id, "10.0.0.1:4433", "10.0.0.2:5000", bytes);
    b.deliver(5'010'000, "client", id, 0, "10.0.0.1:4433", "10.0.0.2:5000", bytes);
  }
  b.state(5'000'000, "server", "HandshakeInProgress");
  b.state(5'000'000, "client", "HandshakeInProgress");
  const Timeline t = buildTimeline(trace);
  const Layout l = layoutTimeline(t, {});
  expectNoOverlap(l);
  std::vector<double> rows;
  for (std::size_t i = 0; i < t.datagrams.size(); ++i)
    if (t.datagrams[i].send_us == 5'000'000) rows.push_back(l.datagrams[i].y1);
  ASSERT_EQ(rows.size(), 30u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_GE(rows[i] - rows[i - 1], 15 - 1e-9);
  for (std::size_t i = 1; i < l.instants.size(); ++i)
    EXPECT_GT(l.instants[i].y_first, l.instants[i - 1].y_last);
}

TEST(LayoutTest, NoLabelOverlapsInCatalogRuns) {
  for (const char* name : {"lossless", "lost-finished", "reorder-and-duplicate", "many-clients",
                           "burst-loss", "corruption", "mtu-256-large-chain"}) {
    SCOPED_TRACE(name);
    const Layout l = layoutTimeline(buildTimeline(testing::catalogTrace(name)), {});
    expectNoOverlap(l);
  }
}

TEST(LayoutTest, LongLabelsWrapWithinTheBand) {
  const auto width = [](std::string_view s) { return 7.0 * static_cast<double>(s.size()); };
  const auto lines = wrapParts({"Certificate (msg 2, frag 960-1125 of 1125)",
                                "ServerKeyExchange (msg 3, frag 0-111)",
                                "CertificateRequest (msg 4, frag 0-48)"},
                               320, 4, width);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "Certificate (msg 2, frag 960-1125 of 1125),");
  for (const auto& line : lines) EXPECT_LE(width(line), 320);
  const auto cut = wrapParts({"aaaa", "bbbb", "cccc"}, 35, 2, width);
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_EQ(cut[1], "bb\u2026");  // the stand-in width counts bytes: "…" is 3
  EXPECT_EQ(elide("abcdef", 35, width), "ab\u2026");
  EXPECT_EQ(wrapWords("timer expired on the server side now", 100, 2, width),
            (std::vector<std::string>{"timer expired", "on the serv\u2026"}));
  EXPECT_EQ(wrapWords("short", 100, 2, width), std::vector<std::string>{"short"});
  EXPECT_EQ(elide("abc", 35, width), "abc");
}

TEST(LayoutTest, TimeAndYMapBothWays) {
  const Timeline t = buildTimeline(testing::smallTrace());
  const Layout l = layoutTimeline(t, {});
  for (const Layout::Instant& i : l.instants) {
    EXPECT_DOUBLE_EQ(l.yForTime(i.time_us), i.y_first);
    EXPECT_EQ(l.timeForY(i.y_first), i.time_us);
  }
  const double mid = l.yForTime(5'000);  // half-way between 0 and 10 ms
  EXPECT_GT(mid, l.yForTime(0));
  EXPECT_LT(mid, l.yForTime(10'000));
}

}  // namespace
}  // namespace viz

namespace viz {
namespace {

TEST(LayoutTest, HiddenLanesTakeNoSpaceAndTheirItemsNoRows) {
  const Timeline t = buildTimeline(testing::catalogTrace("many-clients"));
  ASSERT_GT(t.lanes.size(), 3u);
  const Layout all = layoutTimeline(t, {});
  LayoutOptions o;
  o.shown_lanes.assign(t.lanes.size(), false);
  const int client = 1, server = t.laneOf("server");
  ASSERT_GE(server, 0);
  o.shown_lanes[client] = o.shown_lanes[static_cast<std::size_t>(server)] = true;
  const Layout one = layoutTimeline(t, o);
  // Both fit the same window; the two lanes left get the room the others gave up.
  EXPECT_LE(all.width, o.width_px);
  EXPECT_GT(one.lane_column_px, all.lane_column_px);
  EXPECT_LT(one.height, all.height);
  int shown = 0;
  for (std::size_t i = 0; i < t.datagrams.size(); ++i) {
    const bool mine = (t.datagrams[i].from_lane == client || t.datagrams[i].to_lane == client);
    EXPECT_EQ(one.datagrams[i].shown, mine) << i;
    shown += mine;
  }
  EXPECT_GT(shown, 5);
  for (std::size_t i = 0; i < t.markers.size(); ++i)
    EXPECT_EQ(one.markers[i].shown, t.markers[i].lane == client || t.markers[i].lane == server);
  EXPECT_DOUBLE_EQ(one.band_left, one.lane_x[client]);
  EXPECT_DOUBLE_EQ(one.band_right, one.lane_x[static_cast<std::size_t>(server)]);
}

// many-clients (ten clients, one server) in the diagram's room of a 1280-pixel window: every
// lane fits, the server's too, and every client's first flight is drawn inside the window.
TEST(LayoutTest, ManyClientsFitTheWindowWithTheServerLaneInside) {
  const Timeline t = buildTimeline(testing::catalogTrace("many-clients"));
  ASSERT_EQ(t.lanes.size(), 11u);
  const int server = t.laneOf("server");
  ASSERT_GE(server, 0);
  LayoutOptions o;
  o.width_px = 760;
  const Layout l = layoutTimeline(t, o);
  EXPECT_LE(l.width, o.width_px);
  EXPECT_GE(l.lane_column_px, o.min_lane_column_px);
  EXPECT_LT(l.lane_column_px, o.marker_column_px);
  EXPECT_GE(l.band_right - l.band_left, o.min_fit_band_px);
  // The server lane and the room for its header are inside.
  EXPECT_LE(l.lane_x[static_cast<std::size_t>(server)] + l.lane_column_px / 2, o.width_px);
  for (std::size_t lane = 0; lane < t.lanes.size(); ++lane) {
    if (static_cast<int>(lane) == server) continue;
    bool first = true;
    for (std::size_t i = 0; i < t.datagrams.size() && first; ++i) {
      if (t.datagrams[i].from_lane != static_cast<int>(lane)) continue;
      first = false;
      const DatagramGeometry& g = l.datagrams[i];
      EXPECT_GE(std::min(g.x1, g.x2), 0) << t.lanes[lane].name;
      EXPECT_LE(std::max(g.x1, g.x2), o.width_px) << t.lanes[lane].name;
      EXPECT_EQ(t.datagrams[i].to_lane, server) << t.lanes[lane].name;
      EXPECT_LE(g.label.x + g.label.width, l.band_right + 1) << t.lanes[lane].name;
    }
    EXPECT_FALSE(first) << t.lanes[lane].name << " sent nothing";
  }
  // Columns this narrow keep the markers' symbols, not their texts.
  ASSERT_LT(l.lane_column_px, o.marker_label_min_px);
  for (const MarkerGeometry& m : l.markers) EXPECT_TRUE(m.label.empty());
  expectNoOverlap(l);

  // Given the room, lanes keep their full columns and marker texts.
  o.width_px = 3000;
  const Layout wide = layoutTimeline(t, o);
  EXPECT_DOUBLE_EQ(wide.lane_column_px, o.marker_column_px);
  EXPECT_GE(wide.band_right - wide.band_left, o.min_band_px);
  EXPECT_FALSE(wide.markers.empty());
  EXPECT_FALSE(wide.markers.front().label.empty());
}

// Focused on one association, the server lane keeps only its markers about that client (and
// those of the whole server).
TEST(LayoutTest, AFocusedAssociationHidesTheServersMarkersAboutOtherClients) {
  const Timeline t = buildTimeline(testing::catalogTrace("many-clients"));
  const int client = t.laneOf("client3"), server = t.laneOf("server");
  ASSERT_GE(client, 0);
  ASSERT_GE(server, 0);
  LayoutOptions o;
  o.shown_lanes.assign(t.lanes.size(), false);
  o.shown_lanes[static_cast<std::size_t>(client)] = o.shown_lanes[static_cast<std::size_t>(server)] = true;
  const Layout lanes_only = layoutTimeline(t, o);
  o.focus_peer = t.lanes[static_cast<std::size_t>(client)].address;
  ASSERT_FALSE(o.focus_peer.empty());
  const Layout focused = layoutTimeline(t, o);
  int about_client = 0, hidden = 0;
  for (std::size_t i = 0; i < t.markers.size(); ++i) {
    const MarkerItem& m = t.markers[i];
    if (m.lane != server) continue;
    const bool mine = m.peer.empty() || m.peer == o.focus_peer;
    EXPECT_EQ(focused.markers[i].shown, mine) << m.text;
    about_client += !m.peer.empty() && m.peer == o.focus_peer;
    hidden += lanes_only.markers[i].shown && !focused.markers[i].shown;
  }
  EXPECT_GT(about_client, 2);  // its HelloVerifyRequest, verification, states
  EXPECT_GT(hidden, 20);       // the other nine clients'
  EXPECT_LT(focused.height, lanes_only.height);
}

}  // namespace
}  // namespace viz
