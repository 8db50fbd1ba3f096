// Hosts, sockets, delivery and arrival-time drops on a clean network.
#include "simnet/network.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace simnet {
namespace {

using testing::addr;
using testing::bytesOf;
using testing::EventLog;
using testing::Pair;

TEST(NetworkTest, DeliversAfterLatencyWithSourceAndBytes) {
  Pair p;
  LinkModel m;
  m.latency_us = 1500;
  p.link(m);
  const std::vector<std::uint8_t> payload{1, 2, 3, 4};
  const SendResult r = p.net.sendTo(p.sa, Endpoint{p.b, 2000}, payload);
  EXPECT_EQ(r.status, SendStatus::kSent);
  EXPECT_EQ(r.datagram_id, 1u);
  p.net.runUntil(1499);
  EXPECT_TRUE(p.received_b.empty());
  p.net.run();
  ASSERT_EQ(p.received_b.size(), 1u);
  EXPECT_EQ(p.received_b[0].bytes, payload);
  EXPECT_EQ(p.received_b[0].source, (Endpoint{p.a, 1000}));
  EXPECT_EQ(p.net.now_us(), 1500);
}

TEST(NetworkTest, ReplyTravelsTheOtherDirection) {
  Pair p;
  p.net.setReceiveCallback(p.sb, [&](SocketId s) {
    Datagram d;
    while (p.net.receive(s, d)) (void)p.net.sendTo(s, d.source, d.bytes);  // echo
  });
  p.sendAB(10);
  p.net.run();
  ASSERT_EQ(p.received_a.size(), 1u);
  EXPECT_EQ(p.received_a[0].source, (Endpoint{p.b, 2000}));
}

TEST(NetworkTest, NoListenerDropIsRecorded) {
  Pair p;
  EventLog log;
  p.net.setObserver(&log);
  const auto bytes = bytesOf(8);
  EXPECT_EQ(p.net.sendTo(p.sa, Endpoint{p.b, 9}, bytes).status, SendStatus::kSent);
  p.net.run();
  EXPECT_EQ(log.countDrops(DropReason::kNoListener), 1u);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kNoListener)], 1u);
}

TEST(NetworkTest, FullReceiveBufferDropsUntilTheAppReads) {
  Pair p;
  const SocketId small = p.net.bind(p.b, 3000, 2).value();
  EventLog log;
  p.net.setObserver(&log);
  const auto bytes = bytesOf(8);
  for (int i = 0; i < 3; ++i) (void)p.net.sendTo(p.sa, Endpoint{p.b, 3000}, bytes);
  p.net.run();
  EXPECT_EQ(p.net.pendingDatagrams(small), 2u);
  EXPECT_EQ(log.countDrops(DropReason::kRcvBuf), 1u);
  Datagram d;
  EXPECT_TRUE(p.net.receive(small, d));
  (void)p.net.sendTo(p.sa, Endpoint{p.b, 3000}, bytes);
  p.net.run();
  EXPECT_EQ(p.net.pendingDatagrams(small), 2u);
  EXPECT_EQ(log.countDrops(DropReason::kRcvBuf), 1u);
}

TEST(NetworkTest, EphemeralPortsAreDeterministicAndSkipBoundOnes) {
  Pair p;
  ASSERT_TRUE(p.net.bind(p.a, 49153).ok());
  EXPECT_EQ(p.net.localEndpoint(p.net.bind(p.a, 0).value()).port, 49152);
  EXPECT_EQ(p.net.localEndpoint(p.net.bind(p.a, 0).value()).port, 49154);
  EXPECT_EQ(p.net.localEndpoint(p.net.bind(p.b, 0).value()).port, 49152) << "per host";
}

TEST(NetworkTest, BindErrorsNameTheInput) {
  Pair p;
  Result<SocketId> r = p.net.bind(addr("10.9.9.9"), 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "bind: 10.9.9.9 is not an address of any host");
  r = p.net.bind(p.a, 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "bind: 10.0.0.1:1000 is already in use");
}

TEST(NetworkTest, ClosedSocketFreesItsPortAndRefusesSends) {
  Pair p;
  EXPECT_TRUE(p.net.close(p.sb));
  EXPECT_FALSE(p.net.close(p.sb));
  EXPECT_EQ(p.net.sendTo(p.sb, Endpoint{p.a, 1000}, bytesOf(1)).status, SendStatus::kBadSocket);
  p.sendAB(4);
  p.net.run();
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kNoListener)], 1u);
  EXPECT_TRUE(p.net.bind(p.b, 2000).ok());
}

TEST(NetworkTest, SendRejectsBadArguments) {
  Pair p;
  EXPECT_EQ(p.net.sendTo(99, Endpoint{p.b, 2000}, bytesOf(1)).status, SendStatus::kBadSocket);
  EXPECT_EQ(p.net.sendTo(p.sa, Endpoint{p.b, 0}, bytesOf(1)).status, SendStatus::kBadDestination);
  EXPECT_EQ(p.net.sendTo(p.sa, Endpoint{addr("fd00::2"), 1}, bytesOf(1)).status, SendStatus::kBadDestination);
  EXPECT_EQ(p.net.sendTo(p.sa, Endpoint{p.b, 2000}, bytesOf(kMaxUdpPayloadBytes + 1)).status,
            SendStatus::kTooLarge);
  EXPECT_EQ(p.net.stats().sent, 0u);
}

TEST(NetworkTest, Ipv6HostsExchangeDatagrams) {
  Network net(3);
  const Address x = addr("fd00::1"), y = addr("fd00::2");
  ASSERT_TRUE(net.addHost("x", {x, addr("10.1.0.1")}).ok());
  ASSERT_TRUE(net.addHost("y", {y}).ok());
  const SocketId sx = net.bind(x, 0).value();
  const SocketId sy = net.bind(y, 5684).value();
  (void)net.sendTo(sx, Endpoint{y, 5684}, bytesOf(20));
  net.run();
  Datagram d;
  ASSERT_TRUE(net.receive(sy, d));
  EXPECT_EQ(d.source.toString(), "[fd00::1]:49152");
}

TEST(NetworkTest, CallbackMayCloseItsSocketAndBindNewOnes) {
  Pair p;
  int calls = 0;
  p.net.setReceiveCallback(p.sb, [&](SocketId s) {
    ++calls;
    for (int i = 0; i < 20; ++i) (void)p.net.bind(p.b, 0);  // grows the socket table
    p.net.close(s);
  });
  p.sendAB(1);
  p.sendAB(1);
  p.net.run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kNoListener)], 1u);
}

TEST(NetworkTest, TimersAndDatagramsShareOneClock) {
  Pair p;
  LinkModel m;
  m.latency_us = 100;
  p.link(m);
  std::vector<std::string> order;
  p.net.scheduleTimer(100, [&] { order.push_back("timer"); });
  p.net.setReceiveCallback(p.sb, [&](SocketId) { order.push_back("datagram"); });
  p.sendAB(1);
  p.net.run();
  EXPECT_EQ(order, (std::vector<std::string>{"timer", "datagram"})) << "same time: insertion order";
}

TEST(NetworkTest, EventQueueBoundDropsWithOverload) {
  NetworkOptions o;
  o.max_pending_events = 3;
  Pair p(1, o);
  for (int i = 0; i < 5; ++i) p.sendAB(1);
  EXPECT_EQ(p.net.stats().dropped[static_cast<int>(DropReason::kOverload)], 2u);
  p.net.run();
  EXPECT_EQ(p.received_b.size(), 3u);
}

}  // namespace
}  // namespace simnet
