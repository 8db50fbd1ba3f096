// A busy random workload over every fault simnet has, for determinism and replay tests.
// Five hosts (three IPv4, two IPv6) send to random peers on timers and echo some of what they
// receive; the workload's own choices come from a named stream of the same seed.
#pragma once

#include <algorithm>
#include <cstdint>

#include "simnet/network.h"
#include "test_util.h"

namespace simnet::testing {

struct WorkloadRun {
  std::uint64_t hash = 0;
  std::uint64_t events = 0;
  DecisionLog decisions;
  NetworkStats stats;
};

// mode: record the decisions, or replay `replay_log` (the Network gets a different seed then,
// to show no draw is taken from it).
inline WorkloadRun runWorkload(std::uint64_t seed, const DecisionLog* replay_log = nullptr,
                               int sends_per_host = 30) {
  Network net(replay_log ? ~seed : seed);
  EventLog log(false);
  net.setObserver(&log);
  const Address addrs[5] = {addr("10.0.0.1"), addr("10.0.0.2"), addr("10.0.0.3"), addr("fd00::1"),
                            addr("fd00::2")};
  SocketId socks[5];
  for (int i = 0; i < 5; ++i) {
    (void)net.addHost("h" + std::to_string(i), {addrs[i]});
    socks[i] = net.bind(addrs[i], static_cast<std::uint16_t>(1000 + i), 3).value();
  }
  LinkModel m;
  m.latency_us = 1000;
  m.jitter = {JitterModel::Kind::kNormal, 300};
  m.loss_probability = 0.05;
  m.duplicate_probability = 0.05;
  m.duplicate_copies = 2;
  m.reorder_probability = 0.05;
  m.reorder_extra_delay_us = 3000;
  m.corrupt_probability = 0.03;
  m.corrupt_bit_flips = 2;
  m.truncate_probability = 0.02;
  m.mtu_bytes = 1200;
  m.bandwidth_bytes_per_second = 300'000;
  m.queue_capacity_bytes = 3000;
  (void)net.setDefaultLink(m);
  LinkModel ge = m;
  ge.burst_loss = {true, 0.05, 0.3, 1.0, 0.0};
  (void)net.setLink(addrs[0], addrs[1], ge);
  LinkModel pareto = m;
  pareto.jitter = {JitterModel::Kind::kPareto, 500, 1.5, 20'000};
  (void)net.setLink(addrs[3], addrs[4], pareto);
  Partition part;
  part.side_a = {addrs[0]};
  part.side_b = {addrs[1], addrs[2]};
  part.from_us = 20'000;
  part.until_us = 35'000;
  (void)net.addPartition(part);
  Partition clog;
  clog.side_a = {addrs[3]};
  clog.side_b = {addrs[4]};
  clog.mode = Partition::Mode::kClog;
  clog.one_way = true;
  clog.from_us = 10'000;
  clog.until_us = 25'000;
  (void)net.addPartition(clog);
  net.setClassifier([](std::span<const std::uint8_t> b, std::vector<Label>& out) {
    if (!b.empty() && b[0] % 7 == 0) out.push_back(Label{"handshake:finished", 1});
  });
  FaultRule rule;
  rule.name = "third-finished";
  rule.match.label = "handshake:finished";
  rule.match.occurrence = 3;
  (void)net.addRule(rule);
  FaultRule hold;
  hold.name = "hold";
  hold.match.source = addrs[2];
  hold.match.path_index = 1;
  hold.action.kind = RuleAction::Kind::kHold;
  hold.action.hold_until_us = 40'000;
  (void)net.addRule(hold);

  Prng app = Prng::forStream(seed, "workload");
  std::vector<std::uint8_t> buf;
  auto sendRandom = [&](int from) {
    const int base = from < 3 ? 0 : 3, n = from < 3 ? 3 : 2;
    int to = base + static_cast<int>(app.below(static_cast<std::uint64_t>(n - 1)));
    if (to >= from) ++to;
    buf.resize(1 + app.below(1400));
    for (std::size_t i = 0; i < buf.size(); i += 8) {
      const std::uint64_t r = app.next();
      for (std::size_t j = i; j < std::min(i + 8, buf.size()); ++j) buf[j] = static_cast<std::uint8_t>(r >> (8 * (j - i)));
    }
    (void)net.sendTo(socks[from], Endpoint{addrs[to], static_cast<std::uint16_t>(1000 + to)}, buf);
  };
  int remaining[5];
  std::function<void(int)> tick = [&](int h) {
    sendRandom(h);
    if (--remaining[h] > 0) net.scheduleTimer(500 + static_cast<DurationUs>(app.below(3000)), [&, h] { tick(h); });
  };
  for (int i = 0; i < 5; ++i) {
    remaining[i] = sends_per_host;
    net.scheduleTimer(static_cast<DurationUs>(app.below(1000)), [&, i] { tick(i); });
    net.setReceiveCallback(socks[i], [&](SocketId s) {
      if (app.below(2) == 0) return;  // sometimes leave it in the buffer (rcvbuf drops)
      Datagram d;
      while (net.receive(s, d)) {
        log.addBytes(d.bytes);
        if (app.below(3) == 0) (void)net.sendTo(s, d.source, d.bytes);
      }
    });
  }
  net.setRecording(true);
  if (replay_log) net.replay(*replay_log);
  const RunResult r = net.run(RunLimits{1'000'000, 10 * kSecondUs});
  WorkloadRun out;
  out.hash = log.hash();
  out.events = r.events;
  out.decisions = net.recordedDecisions();
  out.stats = net.stats();
  return out;
}

}  // namespace simnet::testing
