#include "timer_owners.h"

namespace scenarios::detail {

namespace {

constexpr simnet::EventOwner kKinds = 4;  // TimerKind values, and 0 for none

}  // namespace

simnet::EventOwner timerOwner(std::size_t endpoint_index, TimerKind kind) {
  return static_cast<simnet::EventOwner>(endpoint_index + 1) * kKinds +
         static_cast<simnet::EventOwner>(kind);
}

std::string describeOwner(simnet::EventOwner owner, const std::vector<std::string>& endpoints) {
  if (owner == simnet::kOtherSinkOwner) return "datagram deliveries";
  const std::size_t index = owner / kKinds;
  if (index == 0 || index > endpoints.size()) return "timers of no endpoint";
  const std::string& name = endpoints[index - 1];
  switch (static_cast<TimerKind>(owner % kKinds)) {
    case TimerKind::kDtls: return name + "'s DTLS timer";
    case TimerKind::kActions: return name + "'s scenario actions";
    case TimerKind::kNoise: return name + "'s sends";
  }
  return name + "'s timers";
}

dtls::TimerService::TimerId EndpointTimers::schedule(Duration delay,
                                                     std::function<void()> callback) {
  const simnet::DurationUs us = delay.count() < 0 ? 0 : delay.count();
  if (broken_below_us_ > 0 && us < broken_below_us_) {
    return net_.scheduleTimer(0, [this] { spin(); }, owner_);
  }
  prune();
  const TimerId id = net_.scheduleTimer(us, std::move(callback), owner_);
  if (id != kInvalidTimerId) scheduled_.push_back(id);
  return id;
}

void EndpointTimers::prune() {
  std::erase_if(scheduled_, [this](TimerId id) { return !net_.timerDue(id); });
}

std::optional<simnet::TimeUs> EndpointTimers::nextDue() const {
  std::optional<simnet::TimeUs> earliest;
  for (TimerId id : scheduled_) {
    const std::optional<simnet::TimeUs> due = net_.timerDue(id);
    if (due && (!earliest || *due < *earliest)) earliest = due;
  }
  return earliest;
}

void EndpointTimers::spin() { net_.scheduleTimer(0, [this] { spin(); }, owner_); }

}  // namespace scenarios::detail
