// Tests of viz/model/playback.h: stepping reveals datagrams and markers in event order.
#include "model/playback.h"

#include <gtest/gtest.h>

#include "trace_fixtures.h"

namespace viz {
namespace {

TEST(PlaybackTest, StartsAtTheEndWithEverythingRevealed) {
  const Timeline t = buildTimeline(testing::smallTrace());
  const Playback p(&t);
  EXPECT_TRUE(p.atEnd());
  EXPECT_EQ(p.cursor(), static_cast<int>(t.events.size()) - 1);
  EXPECT_EQ(p.cursorTime(), 4'010'000u);
  for (std::size_t i = 0; i < t.datagrams.size(); ++i)
    EXPECT_EQ(p.datagram(static_cast<int>(i)), Reveal::Complete) << i;
  for (std::size_t i = 0; i < t.markers.size(); ++i) EXPECT_TRUE(p.marker(static_cast<int>(i)));
}

TEST(PlaybackTest, StepsRevealInOrder) {
  const Timeline t = buildTimeline(testing::smallTrace());
  Playback p(&t);
  p.setCursor(-1);
  EXPECT_FALSE(p.stepBack());
  EXPECT_EQ(p.datagram(0), Reveal::Hidden);
  EXPECT_FALSE(p.marker(0));
  ASSERT_TRUE(p.stepForward());  // row 0: the client's state change at 0 ms
  EXPECT_TRUE(p.marker(0));
  EXPECT_EQ(p.datagram(0), Reveal::Hidden);
  ASSERT_TRUE(p.stepForward());  // row 1: SEND #1
  EXPECT_EQ(p.datagram(0), Reveal::InFlight);
  EXPECT_EQ(p.cursorTime(), 0u);
  while (p.cursorTime() < 10'000) ASSERT_TRUE(p.stepForward());  // DELIVER #1
  EXPECT_EQ(p.datagram(0), Reveal::Complete);
  EXPECT_TRUE(p.stepBack());
  EXPECT_EQ(p.datagram(0), Reveal::InFlight);
  int steps = 0;
  while (p.stepForward()) ++steps;
  EXPECT_TRUE(p.atEnd());
  EXPECT_GT(steps, 10);
}

TEST(PlaybackTest, NetworkCopiesAppearWithTheirOriginal) {
  const Timeline t = buildTimeline(testing::smallTrace());
  const Playback p(&t);
  int original = -1, copy = -1;
  for (std::size_t i = 0; i < t.datagrams.size(); ++i) {
    if (t.datagrams[i].id == 4) (t.datagrams[i].copy == 0 ? original : copy) = static_cast<int>(i);
  }
  ASSERT_GE(copy, 0);
  EXPECT_EQ(p.stepOf({ItemRef::Type::Datagram, copy}),
            p.stepOf({ItemRef::Type::Datagram, original}));
}

TEST(PlaybackTest, CursorIsClamped) {
  const Timeline t = buildTimeline(testing::smallTrace());
  Playback p(&t);
  p.setCursor(100000);
  EXPECT_TRUE(p.atEnd());
  p.setCursor(-5);
  EXPECT_EQ(p.cursor(), -1);
  EXPECT_EQ(p.cursorTime(), 0u);
}

// A violation marker (no event row of its own) appears with the last event of its time.
TEST(PlaybackTest, AViolationAppearsWithTheEventsOfItsTime) {
  dtlsim::Trace trace = testing::smallTrace();
  trace.mutable_outcome()->add_failures(
      "invariant: stall: client still in HandshakeInProgress at t=10.000 ms, 0 ms after the "
      "faults stopped (no DTLS timer pending)");
  const Timeline t = buildTimeline(trace);
  int marker = -1;
  for (std::size_t i = 0; i < t.markers.size(); ++i)
    if (t.markers[i].kind == MarkerKind::Violation) marker = static_cast<int>(i);
  ASSERT_GE(marker, 0);
  Playback p(&t);
  EXPECT_TRUE(p.marker(marker));  // at the end, everything shows
  p.setCursor(-1);
  EXPECT_FALSE(p.marker(marker));
  while (p.cursorTime() < 10'000 || (p.cursor() + 1 < static_cast<int>(t.events.size()) &&
                                     t.events[static_cast<std::size_t>(p.cursor() + 1)].time_us <= 10'000)) {
    EXPECT_FALSE(p.marker(marker)) << p.cursor();
    ASSERT_TRUE(p.stepForward());
  }
  EXPECT_TRUE(p.marker(marker));
}

}  // namespace
}  // namespace viz
