#include "dtls/posix/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace dtls::posix {
namespace {

using namespace std::chrono_literals;

constexpr TimerService::Duration kMaxTestWait = 2s;

TEST(EventLoopTest, NowIsMonotonic) {
  EventLoop loop;
  const auto first = loop.now();
  const auto second = loop.now();
  EXPECT_LE(first, second);
}

TEST(EventLoopTest, TimersFireInDeadlineThenInsertionOrder) {
  EventLoop loop;
  std::vector<std::string> fired;
  // Deadlines are now() + delay on the real clock, so the gaps must dwarf the time between two
  // schedule() calls: under ASan on a loaded machine 1 ms gaps were reordered by preemption.
  loop.schedule(300ms, [&] { fired.push_back("c"); });
  loop.schedule(100ms, [&] { fired.push_back("a1"); });
  loop.schedule(200ms, [&] { fired.push_back("b"); });
  // Zero delays scheduled back to back: same or increasing deadlines, insertion order.
  loop.schedule(0us, [&] { fired.push_back("z1"); });
  loop.schedule(0us, [&] { fired.push_back("z2"); });
  loop.schedule(0us, [&] { fired.push_back("z3"); });
  ASSERT_TRUE(loop.runUntil([&] { return fired.size() == 6; }, kMaxTestWait));
  EXPECT_EQ(fired, (std::vector<std::string>{"z1", "z2", "z3", "a1", "b", "c"}));
  EXPECT_EQ(loop.pendingTimerCount(), 0u);
}

TEST(EventLoopTest, TimerNeverFiresEarly) {
  EventLoop loop;
  const auto start = loop.now();
  TimerService::Duration fired_at{};
  loop.schedule(20ms, [&] { fired_at = loop.now(); });
  ASSERT_TRUE(loop.runUntil([&] { return fired_at != TimerService::Duration{}; }, kMaxTestWait));
  EXPECT_GE(fired_at - start, 20ms);
}

TEST(EventLoopTest, ScheduleNeverRunsTheCallbackInline) {
  EventLoop loop;
  int runs = 0;
  loop.schedule(0us, [&] { ++runs; });
  EXPECT_EQ(runs, 0);
  ASSERT_TRUE(loop.runUntil([&] { return runs == 1; }, kMaxTestWait));
}

TEST(EventLoopTest, CancelWorks) {
  EventLoop loop;
  std::vector<int> fired;
  const auto one = loop.schedule(1ms, [&] { fired.push_back(1); });
  const auto two = loop.schedule(2ms, [&] { fired.push_back(2); });
  loop.schedule(3ms, [&] { fired.push_back(3); });
  EXPECT_NE(one, TimerService::kInvalidTimerId);
  EXPECT_NE(one, two);
  loop.cancel(two);
  loop.cancel(two);                             // twice: no-op
  loop.cancel(TimerService::kInvalidTimerId);   // 0: no-op
  loop.cancel(987654);                          // unknown: no-op
  ASSERT_TRUE(loop.runUntil([&] { return fired.size() == 2; }, kMaxTestWait));
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
  loop.cancel(one);  // already fired: no-op
  EXPECT_EQ(loop.pendingTimerCount(), 0u);
}

TEST(EventLoopTest, CallbackMayCancelALaterDueTimer) {
  EventLoop loop;
  std::vector<int> fired;
  TimerService::TimerId second = 0;
  loop.schedule(1ms, [&] {
    fired.push_back(1);
    loop.cancel(second);
  });
  second = loop.schedule(1ms, [&] { fired.push_back(2); });
  loop.schedule(5ms, [&] { fired.push_back(3); });
  ASSERT_TRUE(loop.runUntil([&] { return fired.size() == 2; }, kMaxTestWait));
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
}

TEST(EventLoopTest, SelfReschedulingTimerDoesNotStarveThePass) {
  EventLoop loop;
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    loop.schedule(0us, tick);
  };
  loop.schedule(0us, tick);
  // Each pass runs only the timers that existed when it started: one tick per pass.
  EXPECT_EQ(loop.runOnce(kMaxTestWait), 1u);
  EXPECT_EQ(loop.runOnce(kMaxTestWait), 1u);
  EXPECT_EQ(ticks, 2);
}

TEST(EventLoopTest, WatchCallsBackWhenReadableAndUnwatchStops) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  int reads = 0;
  EXPECT_TRUE(loop.watch(fds[0], [&] {
    char buffer[16];
    if (::read(fds[0], buffer, sizeof buffer) > 0) ++reads;
  }));
  EXPECT_FALSE(loop.watch(-1, [] {}));
  EXPECT_FALSE(loop.watch(fds[0], nullptr));
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  ASSERT_TRUE(loop.runUntil([&] { return reads == 1; }, kMaxTestWait));
  loop.unwatch(fds[0]);
  EXPECT_EQ(loop.watchedCount(), 0u);
  ASSERT_EQ(::write(fds[1], "y", 1), 1);
  loop.runOnce(10ms);
  EXPECT_EQ(reads, 1);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(EventLoopTest, QuitEndsRunFromACallback) {
  EventLoop loop;
  int later = 0;
  loop.schedule(1ms, [&] { loop.quit(); });
  loop.schedule(1h, [&] { ++later; });
  loop.run();  // would wait an hour without quit()
  EXPECT_EQ(later, 0);
  EXPECT_EQ(loop.pendingTimerCount(), 1u);
}

TEST(EventLoopTest, RunReturnsWhenNothingToWaitFor) {
  EventLoop loop;
  loop.run();
  SUCCEED();
}

TEST(EventLoopTest, RunForStopsAfterItsDuration) {
  EventLoop loop;
  int fired = 0;
  loop.schedule(1h, [&] { ++fired; });
  const auto start = loop.now();
  EXPECT_FALSE(loop.runFor(20ms));
  EXPECT_GE(loop.now() - start, 20ms);
  EXPECT_LT(loop.now() - start, kMaxTestWait);
  EXPECT_EQ(fired, 0);
}

}  // namespace
}  // namespace dtls::posix
