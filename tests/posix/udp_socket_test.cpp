#include "dtls/posix/udp_socket.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "dtls/posix/event_loop.h"

namespace dtls::posix {
namespace {

using namespace std::chrono_literals;

// Every wait in these tests is bounded: loop until the condition holds, 2 s at most.
constexpr TimerService::Duration kMaxTestWait = 2s;

struct Received {
  ByteArray data;
  HostAddress from;
  std::uint16_t port = 0;
};

// Watches `socket` on `loop` and drains it into `inbox` whenever it is readable.
void collect(EventLoop* loop, UdpSocket* socket, std::vector<Received>* inbox) {
  loop->watch(socket->fd(), [socket, inbox] {
    Received r;
    while (socket->readDatagram(&r.data, &r.from, &r.port)) inbox->push_back(r);
  });
}

TEST(UdpSocketTest, TwoSocketsExchangeDatagramsOnIPv4Loopback) {
  EventLoop loop;
  UdpSocket a;
  UdpSocket b;
  ASSERT_TRUE(a.bind(HostAddress(HostAddress::LocalHost), 0)) << a.errorString();
  ASSERT_TRUE(b.bind(HostAddress(HostAddress::LocalHost), 0)) << b.errorString();
  EXPECT_NE(a.localPort(), 0);
  EXPECT_EQ(a.localAddress(), HostAddress("127.0.0.1"));
  std::vector<Received> at_a;
  std::vector<Received> at_b;
  collect(&loop, &a, &at_a);
  collect(&loop, &b, &at_b);

  ASSERT_EQ(a.writeDatagram("hello", HostAddress::LocalHost, b.localPort()), 5) << a.errorString();
  ASSERT_EQ(a.writeDatagram(std::string(1200, 'x'), HostAddress::LocalHost, b.localPort()), 1200);
  ASSERT_TRUE(loop.runUntil([&] { return at_b.size() == 2; }, kMaxTestWait));
  EXPECT_EQ(at_b[0].data, "hello");
  EXPECT_EQ(at_b[0].from, HostAddress("127.0.0.1"));
  EXPECT_EQ(at_b[0].port, a.localPort());
  EXPECT_EQ(at_b[1].data.size(), 1200u);

  ASSERT_EQ(b.writeDatagram("reply", at_b[0].from, at_b[0].port), 5);
  ASSERT_TRUE(loop.runUntil([&] { return at_a.size() == 1; }, kMaxTestWait));
  EXPECT_EQ(at_a[0].data, "reply");
  EXPECT_EQ(at_a[0].port, b.localPort());
}

TEST(UdpSocketTest, TwoSocketsExchangeDatagramsOnIPv6Loopback) {
  EventLoop loop;
  UdpSocket a;
  UdpSocket b;
  if (!a.bind(HostAddress(HostAddress::LocalHostIPv6), 0)) {
    GTEST_SKIP() << "no IPv6 loopback: " << a.errorString();
  }
  ASSERT_TRUE(b.bind(HostAddress("::1"), 0)) << b.errorString();
  std::vector<Received> at_b;
  collect(&loop, &b, &at_b);
  ASSERT_EQ(a.writeDatagram("six", HostAddress("::1"), b.localPort()), 3) << a.errorString();
  ASSERT_TRUE(loop.runUntil([&] { return !at_b.empty(); }, kMaxTestWait));
  EXPECT_EQ(at_b[0].data, "six");
  EXPECT_EQ(at_b[0].from, HostAddress("::1"));
  EXPECT_EQ(at_b[0].port, a.localPort());
}

TEST(UdpSocketTest, DualStackSocketReportsIPv4PeersAsIPv4) {
  EventLoop loop;
  UdpSocket any;
  if (!any.bind(HostAddress(HostAddress::Any), 0)) {
    GTEST_SKIP() << "no IPv6: " << any.errorString();
  }
  UdpSocket v4;
  ASSERT_TRUE(v4.bind(HostAddress::LocalHost, 0)) << v4.errorString();
  std::vector<Received> at_any;
  std::vector<Received> at_v4;
  collect(&loop, &any, &at_any);
  collect(&loop, &v4, &at_v4);
  ASSERT_EQ(v4.writeDatagram("ping", HostAddress::LocalHost, any.localPort()), 4);
  ASSERT_TRUE(loop.runUntil([&] { return !at_any.empty(); }, kMaxTestWait));
  EXPECT_EQ(at_any[0].from, HostAddress("127.0.0.1"));
  // The reply to an IPv4 address leaves the IPv6 socket v4-mapped.
  ASSERT_EQ(any.writeDatagram("pong", at_any[0].from, at_any[0].port), 4) << any.errorString();
  ASSERT_TRUE(loop.runUntil([&] { return !at_v4.empty(); }, kMaxTestWait));
  EXPECT_EQ(at_v4[0].data, "pong");
}

TEST(UdpSocketTest, PendingDatagramQueries) {
  UdpSocket a;
  UdpSocket b;
  ASSERT_TRUE(a.bind(HostAddress::LocalHost, 0));
  ASSERT_TRUE(b.bind(HostAddress::LocalHost, 0));
  EXPECT_FALSE(b.hasPendingDatagrams());
  EXPECT_EQ(b.pendingDatagramSize(), -1);
  ByteArray data = "stale";
  EXPECT_FALSE(b.readDatagram(&data));  // nothing pending: false, no error
  EXPECT_EQ(b.error(), 0);
  EXPECT_TRUE(data.empty());

  ASSERT_EQ(a.writeDatagram(std::string(777, 'p'), HostAddress::LocalHost, b.localPort()), 777);
  EventLoop loop;
  ASSERT_TRUE(loop.runUntil([&] { return b.hasPendingDatagrams(); }, kMaxTestWait));
  EXPECT_EQ(b.pendingDatagramSize(), 777);
  ASSERT_TRUE(b.readDatagram(&data));
  EXPECT_EQ(data.size(), 777u);
  EXPECT_FALSE(b.hasPendingDatagrams());
}

TEST(UdpSocketTest, BindToPortInUseFailsWithMessage) {
  UdpSocket first;
  ASSERT_TRUE(first.bind(HostAddress::LocalHost, 0));
  UdpSocket second;
  EXPECT_FALSE(second.bind(HostAddress::LocalHost, first.localPort()));
  EXPECT_EQ(second.error(), EADDRINUSE);
  EXPECT_EQ(second.errorString(), "bind 127.0.0.1:" + std::to_string(first.localPort()) +
                                      ": Address already in use");
  EXPECT_FALSE(second.isOpen());
}

TEST(UdpSocketTest, MisuseReportsErrors) {
  UdpSocket socket;
  EXPECT_EQ(socket.writeDatagram("x", HostAddress::LocalHost, 9), -1);
  EXPECT_EQ(socket.error(), EBADF);
  EXPECT_FALSE(socket.bind(HostAddress(), 0));
  EXPECT_EQ(socket.error(), EINVAL);
  EXPECT_EQ(socket.errorString(), "bind: the address is null: Invalid argument");

  ASSERT_TRUE(socket.bind(HostAddress::LocalHost, 0));
  EXPECT_FALSE(socket.bind(HostAddress::LocalHost, 0));
  EXPECT_EQ(socket.error(), EISCONN);
  EXPECT_EQ(socket.writeDatagram("x", HostAddress(), 9), -1);
  EXPECT_EQ(socket.error(), EINVAL);
  EXPECT_EQ(socket.writeDatagram("x", HostAddress("2001:db8::1"), 9), -1);  // IPv6 on IPv4
  EXPECT_EQ(socket.error(), EAFNOSUPPORT);
  EXPECT_EQ(socket.errorString(), "writeDatagram to [2001:db8::1]:9: Address family not "
                                  "supported by protocol");
}

TEST(UdpSocketTest, OversizedDatagramReportsEmsgsize) {
  UdpSocket socket;
  ASSERT_TRUE(socket.bind(HostAddress::LocalHost, 0));
  EXPECT_EQ(socket.writeDatagram(std::string(70000, 'z'), HostAddress::LocalHost, 9), -1);
  EXPECT_EQ(socket.error(), EMSGSIZE);
  EXPECT_NE(socket.errorString().find("Message too long"), std::string::npos);
  // The socket stays usable.
  EXPECT_EQ(socket.writeDatagram("ok", HostAddress::LocalHost, socket.localPort()), 2);
  EXPECT_EQ(socket.error(), 0);
}

TEST(UdpSocketTest, PathMtuKnownOnlyWhenConnected) {
  UdpSocket a;
  UdpSocket b;
  ASSERT_TRUE(a.bind(HostAddress::LocalHost, 0));
  ASSERT_TRUE(b.bind(HostAddress::LocalHost, 0));
  EXPECT_FALSE(a.pathMtuBytes().has_value());
  ASSERT_TRUE(a.connectTo(HostAddress::LocalHost, b.localPort())) << a.errorString();
  const auto mtu = a.pathMtuBytes();
  ASSERT_TRUE(mtu.has_value());
  EXPECT_GE(*mtu, 1280);  // loopback's MTU is 65536 on Linux, clamped to 65535
}

TEST(UdpSocketTest, CloseAndMove) {
  UdpSocket a;
  ASSERT_TRUE(a.bind(HostAddress::LocalHost, 0));
  const std::uint16_t port = a.localPort();
  UdpSocket moved(std::move(a));
  EXPECT_FALSE(a.isOpen());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
  EXPECT_EQ(moved.localPort(), port);
  moved.close();
  EXPECT_FALSE(moved.isOpen());
  EXPECT_EQ(moved.fd(), -1);
  EXPECT_EQ(moved.localPort(), 0);
  EXPECT_TRUE(moved.bind(HostAddress::LocalHost, 0));
}

}  // namespace
}  // namespace dtls::posix
