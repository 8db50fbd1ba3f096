#include "dtls/posix/event_loop.h"

#include <poll.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <ctime>

namespace dtls::posix {
namespace {

timespec toTimespec(TimerService::Duration duration) {
  const auto us = duration.count();
  return timespec{static_cast<time_t>(us / 1'000'000), static_cast<long>((us % 1'000'000) * 1000)};
}

}  // namespace

TimerService::Duration EventLoop::now() const {
  return std::chrono::duration_cast<Duration>(
      std::chrono::steady_clock::now().time_since_epoch());
}

TimerService::TimerId EventLoop::schedule(Duration delay, std::function<void()> callback) {
  assert(callback);
  const Duration deadline = now() + std::max(delay, Duration::zero());
  const TimerId id = ++last_timer_id_;  // ids are the insertion sequence: ties run in order
  timers_.emplace(TimerKey{deadline, id}, std::move(callback));
  deadlines_.emplace(id, deadline);
  return id;
}

void EventLoop::cancel(TimerId id) {
  const auto found = deadlines_.find(id);
  if (found == deadlines_.end()) return;  // 0, unknown, fired or cancelled: a no-op
  timers_.erase(TimerKey{found->second, id});
  deadlines_.erase(found);
}

bool EventLoop::watch(int fd, std::function<void()> on_readable) {
  if (fd < 0 || !on_readable) return false;
  for (Watch& existing : watches_) {
    if (existing.fd == fd) {
      existing.on_readable = std::move(on_readable);
      return true;
    }
  }
  watches_.push_back(Watch{fd, std::move(on_readable)});
  return true;
}

void EventLoop::unwatch(int fd) {
  watches_.erase(std::remove_if(watches_.begin(), watches_.end(),
                                [fd](const Watch& w) { return w.fd == fd; }),
                 watches_.end());
}

TimerService::Duration EventLoop::waitBound(Duration max_wait) const {
  Duration wait = std::clamp(max_wait, Duration::zero(), kMaxWait);
  if (!timers_.empty()) {
    wait = std::min(wait, std::max(timers_.begin()->first.first - now(), Duration::zero()));
  }
  return wait;
}

std::size_t EventLoop::runOnce(Duration max_wait) {
  const TimerId last_id = last_timer_id_;
  std::vector<pollfd> fds;
  fds.reserve(watches_.size());
  for (const Watch& w : watches_) fds.push_back(pollfd{w.fd, POLLIN, 0});
  // ppoll rather than poll: microsecond timeouts, so a timer is not run up to 1 ms late.
  const timespec timeout = toTimespec(waitBound(max_wait));
  const int ready = ::ppoll(fds.data(), fds.size(), &timeout, nullptr);
  std::vector<int> ready_fds;
  if (ready > 0) {
    for (const pollfd& p : fds) {
      if ((p.revents & POLLNVAL) != 0) {
        unwatch(p.fd);  // closed without unwatch: serving it would spin forever
      } else if ((p.revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
        ready_fds.push_back(p.fd);
      }
    }
  }
  // ready < 0 is EINTR (a signal) or ENOMEM; either way the timers below still get their turn.
  std::size_t callbacks = serveDescriptors(ready_fds);
  callbacks += runDueTimers(last_id);
  return callbacks;
}

std::size_t EventLoop::serveDescriptors(const std::vector<int>& ready_fds) {
  std::size_t callbacks = 0;
  for (int fd : ready_fds) {
    // Looked up again each time: an earlier callback may have unwatched or replaced it.
    const auto found = std::find_if(watches_.begin(), watches_.end(),
                                    [fd](const Watch& w) { return w.fd == fd; });
    if (found == watches_.end()) continue;
    // A copy: the callback may unwatch its own fd, destroying the stored function.
    const std::function<void()> callback = found->on_readable;
    callback();
    ++callbacks;
    if (quit_requested_) break;
  }
  return callbacks;
}

std::size_t EventLoop::runDueTimers(TimerId last_id) {
  std::size_t callbacks = 0;
  const Duration current = now();
  // Timers are taken one at a time from the ordered map so that a callback cancelling a later
  // timer (or scheduling one) is honoured; ids above last_id wait for the next pass.
  auto next = timers_.begin();
  while (next != timers_.end() && next->first.first <= current && !quit_requested_) {
    if (next->first.second > last_id) {
      ++next;
      continue;
    }
    const TimerId id = next->first.second;
    std::function<void()> callback = std::move(next->second);
    timers_.erase(next);
    deadlines_.erase(id);
    callback();
    ++callbacks;
    next = timers_.begin();
  }
  return callbacks;
}

void EventLoop::run() {
  quit_requested_ = false;
  while (!quit_requested_ && (!timers_.empty() || !watches_.empty())) runOnce(kMaxWait);
}

bool EventLoop::runFor(Duration duration) {
  quit_requested_ = false;
  const Duration deadline = now() + std::max(duration, Duration::zero());
  for (Duration current = now(); !quit_requested_ && current < deadline; current = now()) {
    runOnce(deadline - current);
  }
  return quit_requested_;
}

bool EventLoop::runUntil(const std::function<bool()>& condition, Duration timeout) {
  quit_requested_ = false;
  const Duration deadline = now() + std::max(timeout, Duration::zero());
  for (Duration current = now(); !quit_requested_ && current < deadline; current = now()) {
    if (condition()) return true;
    runOnce(deadline - current);
  }
  return condition();
}

}  // namespace dtls::posix
