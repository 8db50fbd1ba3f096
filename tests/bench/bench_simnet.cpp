// simnet throughput. The goal for BM_deliver_lossy_jittery is >= 5,000,000 deliveries per
// second on one core (items_per_second).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "simnet/event_queue.h"
#include "simnet/network.h"

namespace {

using namespace simnet;

struct NullSink final : EventSink {
  std::uint64_t sum = 0;
  void onEvent(std::uint64_t token) override { sum += token; }
};

// Push/pop through a heap holding `depth` events, as a busy world keeps it.
void BM_event_queue_push_pop(benchmark::State& state) {
  const auto depth = static_cast<std::size_t>(state.range(0));
  EventQueue q(depth + 1);
  NullSink sink;
  Prng rng(1);
  TimeUs now = 0;
  for (std::size_t i = 0; i < depth; ++i) q.push(static_cast<TimeUs>(rng.below(10'000)), &sink, i);
  for (auto _ : state) {
    const Event e = q.pop();
    now = e.time_us;
    q.push(now + static_cast<TimeUs>(rng.below(10'000)), &sink, e.token);
  }
  benchmark::DoNotOptimize(now);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_event_queue_push_pop)->Arg(16)->Arg(1024)->Arg(65536);

// Datagram deliveries through a lossy (5%), jittery (normal, sd 200 us) link with 2% reorder:
// the sender keeps `window` datagrams in flight; each delivery is read by the receive callback
// and answered by one new send, so the steady state has no allocation.
void BM_deliver_lossy_jittery(benchmark::State& state) {
  const auto window = static_cast<int>(state.range(0));
  Network net(42);
  const Address a = *Address::parse("10.0.0.1"), b = *Address::parse("10.0.0.2");
  (void)net.addHost("a", {a});
  (void)net.addHost("b", {b});
  LinkModel m;
  m.latency_us = 10'000;
  m.jitter = {JitterModel::Kind::kNormal, 200};
  m.loss_probability = 0.05;
  m.reorder_probability = 0.02;
  m.reorder_extra_delay_us = 1000;
  (void)net.setDefaultLink(m);
  const SocketId sa = net.bind(a, 1000).value();
  const SocketId sb = net.bind(b, 2000, 1024).value();
  const Endpoint to_b{b, 2000};
  std::vector<std::uint8_t> payload(100, 0x5a);
  Datagram d;
  std::uint64_t delivered = 0;
  net.setReceiveCallback(sb, [&](SocketId s) {
    while (net.receive(s, d)) ++delivered;
  });
  for (auto _ : state) {
    // Refill the window (lost datagrams shrink it) then run until one event was processed.
    while (net.scheduler().pendingEvents() < static_cast<std::size_t>(window)) {
      (void)net.sendTo(sa, to_b, payload);
    }
    net.step();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(delivered));
  state.counters["loss_ratio"] = static_cast<double>(net.stats().droppedTotal()) /
                                 static_cast<double>(net.stats().sent);
}
BENCHMARK(BM_deliver_lossy_jittery)->Arg(64)->Arg(4096);

// The same link with an observer counting events, as a trace recorder would.
struct CountingObserver final : Observer {
  std::uint64_t n = 0;
  void onEvent(const NetEvent& e) override { n += e.size_bytes; }
};

void BM_deliver_observed(benchmark::State& state) {
  Network net(42);
  const Address a = *Address::parse("10.0.0.1"), b = *Address::parse("10.0.0.2");
  (void)net.addHost("a", {a});
  (void)net.addHost("b", {b});
  LinkModel m;
  m.latency_us = 10'000;
  m.jitter = {JitterModel::Kind::kUniform, 500};
  m.loss_probability = 0.05;
  (void)net.setDefaultLink(m);
  CountingObserver obs;
  net.setObserver(&obs);
  const SocketId sa = net.bind(a, 1000).value();
  const SocketId sb = net.bind(b, 2000, 1024).value();
  std::vector<std::uint8_t> payload(100, 0x5a);
  Datagram d;
  std::uint64_t delivered = 0;
  net.setReceiveCallback(sb, [&](SocketId s) {
    while (net.receive(s, d)) ++delivered;
  });
  for (auto _ : state) {
    while (net.scheduler().pendingEvents() < 256) (void)net.sendTo(sa, Endpoint{b, 2000}, payload);
    net.step();
  }
  benchmark::DoNotOptimize(obs.n);
  state.SetItemsProcessed(static_cast<std::int64_t>(delivered));
}
BENCHMARK(BM_deliver_observed);

}  // namespace

BENCHMARK_MAIN();
