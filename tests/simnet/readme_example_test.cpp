// The "use it in 20 lines" example of simnet/README.md, compiled and checked.
#include <gtest/gtest.h>

#include "simnet/network.h"

namespace simnet {
namespace {

TEST(ReadmeExampleTest, EchoOverALossyLinkThenReplay) {
  const std::vector<std::uint8_t> payload{'h', 'i'};
  auto run = [&](const DecisionLog* replay_log) {
    Network net(/*seed=*/42);
    Address a = *Address::parse("10.0.0.1"), b = *Address::parse("10.0.0.2");
    (void)net.addHost("client", {a});
    (void)net.addHost("server", {b});
    LinkModel m;
    m.latency_us = 20'000;
    m.jitter = {JitterModel::Kind::kNormal, 2'000};
    m.loss_probability = 0.05;
    EXPECT_TRUE(net.setDefaultLink(m).ok());
    SocketId server = net.bind(b, 4433).value();
    SocketId client = net.bind(a, 0).value();
    net.setReceiveCallback(server, [&](SocketId s) {
      Datagram d;
      while (net.receive(s, d)) (void)net.sendTo(s, d.source, d.bytes);  // echo
    });
    int echoes = 0;
    net.setReceiveCallback(client, [&](SocketId s) {
      Datagram d;
      while (net.receive(s, d)) ++echoes;
    });
    net.setRecording(true);
    if (replay_log) net.replay(*replay_log);
    for (int i = 0; i < 100; ++i) {
      net.scheduleTimer(i * 10'000, [&] { (void)net.sendTo(client, Endpoint{b, 4433}, payload); });
    }
    const RunResult r = net.run(RunLimits{/*max_events=*/1'000'000, /*max_time_us=*/60 * kSecondUs});
    EXPECT_EQ(r.stop, RunStop::kIdle);
    return std::make_pair(echoes, net.recordedDecisions());
  };
  const auto [echoes, faults] = run(nullptr);
  EXPECT_GT(echoes, 80);
  EXPECT_LT(echoes, 100);
  EXPECT_EQ(run(&faults).first, echoes);
}

}  // namespace
}  // namespace simnet
