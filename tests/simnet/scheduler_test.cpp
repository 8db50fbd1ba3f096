#include "simnet/scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simnet/event_queue.h"

namespace simnet {
namespace {

struct Recorder final : EventSink {
  std::vector<std::uint64_t> tokens;
  void onEvent(std::uint64_t token) override { tokens.push_back(token); }
};

TEST(EventQueueTest, OrdersByTimeThenInsertion) {
  EventQueue q(16);
  Recorder r;
  ASSERT_TRUE(q.push(30, &r, 1));
  ASSERT_TRUE(q.push(10, &r, 2));
  ASSERT_TRUE(q.push(30, &r, 3));
  ASSERT_TRUE(q.push(10, &r, 4));
  ASSERT_TRUE(q.push(20, &r, 5));
  std::vector<std::uint64_t> order;
  while (!q.empty()) order.push_back(q.pop().token);
  EXPECT_EQ(order, (std::vector<std::uint64_t>{2, 4, 5, 1, 3}));
}

TEST(EventQueueTest, RefusesBeyondCapacity) {
  EventQueue q(2);
  Recorder r;
  EXPECT_TRUE(q.push(1, &r, 1));
  EXPECT_TRUE(q.push(1, &r, 2));
  EXPECT_FALSE(q.push(1, &r, 3));
  EXPECT_EQ(q.size(), 2u);
}

TEST(EventQueueTest, BoundsTheNumberOfDistinctSinks) {
  EventQueue q(1024);
  std::vector<Recorder> sinks(kMaxEventSinks + 1);
  for (std::size_t i = 0; i < kMaxEventSinks; ++i) ASSERT_TRUE(q.push(1, &sinks[i], i));
  EXPECT_FALSE(q.push(1, &sinks[kMaxEventSinks], 0));
  EXPECT_TRUE(q.push(2, &sinks[3], 7)) << "a known sink is still fine";
  EXPECT_EQ(q.top().sink, &sinks[0]);
}

TEST(SchedulerTest, TimersFireInOrderAndAdvanceTheClock) {
  Scheduler s(64);
  std::vector<std::string> log;
  s.scheduleTimer(500, [&] { log.push_back("b@" + std::to_string(s.now_us())); });
  s.scheduleTimer(100, [&] { log.push_back("a@" + std::to_string(s.now_us())); });
  s.scheduleTimer(500, [&] { log.push_back("c@" + std::to_string(s.now_us())); });
  const RunResult r = s.run();
  EXPECT_EQ(r.stop, RunStop::kIdle);
  EXPECT_EQ(r.events, 3u);
  EXPECT_EQ(log, (std::vector<std::string>{"a@100", "b@500", "c@500"}));
  EXPECT_EQ(s.now_us(), 500);
}

TEST(SchedulerTest, CancelledTimerNeverFires) {
  Scheduler s(64);
  int fired = 0;
  const TimerId t = s.scheduleTimer(10, [&] { ++fired; });
  EXPECT_TRUE(s.cancelTimer(t));
  EXPECT_FALSE(s.cancelTimer(t));
  EXPECT_EQ(s.activeTimers(), 0u);
  EXPECT_EQ(s.run().events, 0u);
  EXPECT_EQ(fired, 0);
  // The slot is reused with a new generation; the stale id must not cancel the new timer.
  const TimerId t2 = s.scheduleTimer(10, [&] { ++fired; });
  EXPECT_NE(t, t2);
  EXPECT_FALSE(s.cancelTimer(t));
  s.run();
  EXPECT_EQ(fired, 1);
}

TEST(SchedulerTest, TimerCanRescheduleAndCancelFromCallback) {
  Scheduler s(64);
  int ticks = 0;
  TimerId other = s.scheduleTimer(1000, [&] { ADD_FAILURE() << "cancelled timer fired"; });
  std::function<void()> tick = [&] {
    if (++ticks == 1) s.cancelTimer(other);
    if (ticks < 5) s.scheduleTimer(100, tick);
  };
  s.scheduleTimer(100, tick);
  s.run();
  EXPECT_EQ(ticks, 5);
  EXPECT_EQ(s.now_us(), 500);
}

TEST(SchedulerTest, RejectsBadTimers) {
  Scheduler s(1);
  EXPECT_EQ(s.scheduleTimer(-1, [] {}), kInvalidTimer);
  EXPECT_EQ(s.scheduleTimer(1, nullptr), kInvalidTimer);
  EXPECT_NE(s.scheduleTimer(1, [] {}), kInvalidTimer);
  EXPECT_EQ(s.scheduleTimer(1, [] {}), kInvalidTimer) << "queue bound of 1 reached";
}

TEST(SchedulerTest, RunLimitsStopARunawayLoop) {
  Scheduler s(8);
  std::function<void()> forever = [&] { s.scheduleTimer(1, forever); };
  s.scheduleTimer(1, forever);
  RunResult r = s.run(RunLimits{1000, kTimeNever});
  EXPECT_EQ(r.stop, RunStop::kEventLimit);
  EXPECT_EQ(r.events, 1000u);
  r = s.run(RunLimits{1'000'000, 5000});
  EXPECT_EQ(r.stop, RunStop::kTimeLimit);
  EXPECT_EQ(s.now_us(), 5000);
}

TEST(SchedulerTest, AZeroDelayLoopEndsAsALivelockNamingWhatSpun) {
  Scheduler s(8);
  constexpr EventOwner kSpinner = 7, kBystander = 9;
  std::function<void()> spin = [&] { s.scheduleTimer(0, spin, kSpinner); };
  s.scheduleTimer(250, spin, kSpinner);
  // Once per 4 spins, a second owner's event at the same instant.
  int n = 0;
  std::function<void()> other = [&] { s.scheduleTimer(0, other, ++n % 4 ? kNoOwner : kBystander); };
  s.scheduleTimer(250, other, kBystander);
  s.scheduleTimer(1000, [] {});  // never reached: time stops at 250
  const RunResult r = s.run();
  EXPECT_EQ(r.stop, RunStop::kLivelock);
  EXPECT_EQ(s.now_us(), 250);
  EXPECT_EQ(r.events_at_instant, kDefaultMaxEventsPerInstant + kLivelockSampleEvents);
  EXPECT_EQ(r.events, r.events_at_instant);
  std::uint64_t sampled = 0;
  for (const OwnerEvents& o : r.livelock_sample) sampled += o.events;
  EXPECT_EQ(sampled, kLivelockSampleEvents);
  ASSERT_EQ(r.livelock_sample.size(), 3u);
  EXPECT_EQ(r.livelock_sample[0].owner, kSpinner);
  EXPECT_EQ(r.livelock_sample[0].events, kLivelockSampleEvents / 2);
  EXPECT_EQ(r.livelock_sample[1].owner, kNoOwner);
  EXPECT_EQ(r.livelock_sample[2].owner, kBystander);
  EXPECT_EQ(r.livelock_sample[1].events + r.livelock_sample[2].events, kLivelockSampleEvents / 2);
}

TEST(SchedulerTest, ManyEventsAtOneInstantBelowTheBoundAreNoLivelock) {
  Scheduler s(kDefaultMaxEventsPerInstant + 1);
  int fired = 0;
  for (std::uint64_t i = 0; i < kDefaultMaxEventsPerInstant; ++i) s.scheduleTimer(5, [&] { ++fired; });
  s.scheduleTimer(6, [&] { ++fired; });
  const RunResult r = s.run(RunLimits{1'000'000, kTimeNever, kDefaultMaxEventsPerInstant});
  EXPECT_EQ(r.stop, RunStop::kIdle);
  EXPECT_EQ(fired, static_cast<int>(kDefaultMaxEventsPerInstant) + 1);
  EXPECT_TRUE(r.livelock_sample.empty());
}

TEST(SchedulerTest, TheLivelockBoundCountsPerInstantNotPerRun) {
  Scheduler s(8);
  std::function<void()> tick = [&] { s.scheduleTimer(1, tick); };
  s.scheduleTimer(0, tick);
  const RunResult r = s.run(RunLimits{50'000, kTimeNever, 10});
  EXPECT_EQ(r.stop, RunStop::kEventLimit) << "one event per instant never trips the bound";
}

TEST(SchedulerTest, DueTimeOfPendingTimersOnly) {
  Scheduler s(8);
  s.runUntil(100);
  const TimerId a = s.scheduleTimer(50, [] {});
  const TimerId b = s.scheduleTimer(70, [] {});
  EXPECT_EQ(s.dueTime(a), 150);
  EXPECT_EQ(s.dueTime(b), 170);
  s.cancelTimer(b);
  EXPECT_EQ(s.dueTime(b), std::nullopt);
  s.run();
  EXPECT_EQ(s.dueTime(a), std::nullopt);
  EXPECT_EQ(s.dueTime(12345), std::nullopt);
}

TEST(SchedulerTest, RunUntilAdvancesToTheTargetAndStepRunsOne) {
  Scheduler s(8);
  int fired = 0;
  s.scheduleTimer(100, [&] { ++fired; });
  s.scheduleTimer(300, [&] { ++fired; });
  EXPECT_EQ(s.runUntil(200).events, 1u);
  EXPECT_EQ(s.now_us(), 200);
  EXPECT_TRUE(s.step());
  EXPECT_EQ(s.now_us(), 300);
  EXPECT_FALSE(s.step());
  EXPECT_EQ(fired, 2);
}

}  // namespace
}  // namespace simnet
