// Private: whose timer each simnet event is (simnet::EventOwner), so that a world stopped as a
// livelock can say what kept running, and an endpoint's DTLS timer service that tags its timers.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dtls/timer_service.h"
#include "simnet/network.h"

namespace scenarios::detail {

enum class TimerKind : simnet::EventOwner {
  kDtls = 1,     // the Connection's retransmission timers
  kActions = 2,  // the scenario's actions on the endpoint (start, send, ...)
  kNoise = 3,    // a noise sender's datagrams
};

// The owner of `kind` timers of the endpoint at `endpoint_index` in the scenario.
simnet::EventOwner timerOwner(std::size_t endpoint_index, TimerKind kind);

// "client's DTLS timer", "noise's sends", "datagram deliveries", "timers of no endpoint", given
// the endpoints' names in scenario order.
std::string describeOwner(simnet::EventOwner owner, const std::vector<std::string>& endpoints);

// One endpoint's DTLS timers on the network's clock, tagged with the endpoint. With
// `broken_below_us` > 0 it is deliberately broken, the way a buggy event loop spins: a timer due
// in less than that re-arms itself at zero delay for ever instead of firing (Endpoint's
// broken_timer_below_ms; what dtlsim's livelock check is tested with).
class EndpointTimers : public dtls::TimerService {
 public:
  EndpointTimers(simnet::Network& network, simnet::EventOwner owner,
                 simnet::DurationUs broken_below_us)
      : net_(network), owner_(owner), broken_below_us_(broken_below_us) {}

  Duration now() const override { return Duration(net_.now_us()); }
  TimerId schedule(Duration delay, std::function<void()> callback) override;
  void cancel(TimerId id) override { net_.cancelTimer(id); }

  // When the earliest of this endpoint's pending DTLS timers is due; nullopt if none is.
  std::optional<simnet::TimeUs> nextDue() const;

 private:
  void spin();
  // Drops the ids of timers that fired or were cancelled.
  void prune();

  std::vector<TimerId> scheduled_;  // ids handed out, pruned as they end

  simnet::Network& net_;
  simnet::EventOwner owner_;
  simnet::DurationUs broken_below_us_;
};

}  // namespace scenarios::detail
