// A client on one backend against a server on another (dtls/backend.h), in memory: the two
// stacks must agree on the wire (RFC 6347) whatever loses a flight.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "dtls/backend.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

using test::DtlsPair;

struct Mix {
  const char* name;
  const char* client;
  const char* server;
};

constexpr Mix kMixes[] = {
    {"OpensslClientMbedtlsServer", "openssl", "mbedtls"},
    {"MbedtlsClientOpensslServer", "mbedtls", "openssl"},
    {"MbedtlsBoth", "mbedtls", "mbedtls"},
    {"OpensslClientGnutlsServer", "openssl", "gnutls"},
    {"GnutlsClientOpensslServer", "gnutls", "openssl"},
    {"GnutlsClientMbedtlsServer", "gnutls", "mbedtls"},
    {"MbedtlsClientGnutlsServer", "mbedtls", "gnutls"},
    {"GnutlsBoth", "gnutls", "gnutls"},
};

DtlsPair::Backends backendsOf(const Mix& mix) { return {mix.client, mix.server}; }

class MixedBackendTest : public ::testing::TestWithParam<Mix> {};

TEST_P(MixedBackendTest, HandshakeAndDataBothWays) {
  DtlsPair p(backendsOf(GetParam()));
  EXPECT_EQ(p.client.backend(), GetParam().client);
  EXPECT_EQ(p.server.backend(), GetParam().server);
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.client.sessionCipher(), p.server.sessionCipher());
  EXPECT_EQ(p.client.sessionProtocol(), SslProtocol::DtlsV1_2);
  EXPECT_EQ(p.client.dtlsConfiguration().peerCertificate(), test::loadCert("server.pem"));
  EXPECT_EQ(p.clock.pendingTimers(), 0u);
  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "ping"), 4);
  ASSERT_EQ(p.server.writeDatagramEncrypted(&p.server_socket, "pong"), 4);
  p.pump();
  ASSERT_EQ(p.server_received, std::vector<ByteArray>{"ping"});
  ASSERT_EQ(p.client_received, std::vector<ByteArray>{"pong"});
  ASSERT_TRUE(p.client.shutdown(&p.client_socket));
  p.pump();
  EXPECT_EQ(p.server.dtlsError(), DtlsError::RemoteClosedConnectionError);
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
}

TEST_P(MixedBackendTest, PreSharedKeyHandshake) {
  Configuration client = DtlsPair::clientConfig();
  ASSERT_TRUE(client.setCiphers(std::string("PSK-AES128-GCM-SHA256")));
  DtlsPair p(backendsOf(GetParam()), client, DtlsPair::serverConfig());
  const ByteArray key = "0123456789abcdef";
  p.client.setPskRequiredCallback([&](PreSharedKeyAuthenticator* auth) {
    auth->setIdentity("device-7");
    auth->setPreSharedKey(key);
  });
  ByteArray identity_seen;
  p.server.setPskRequiredCallback([&](PreSharedKeyAuthenticator* auth) {
    identity_seen = auth->identity();
    auth->setPreSharedKey(key);
  });
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(identity_seen, "device-7");
  EXPECT_EQ(p.client.sessionCipher().name(), "PSK-AES128-GCM-SHA256");
  EXPECT_EQ(p.server.sessionCipher().name(), "PSK-AES128-GCM-SHA256");
}

TEST_P(MixedBackendTest, KeyLogLinesMatchOnBothEnds) {
  DtlsPair p(backendsOf(GetParam()));
  std::string client_line;
  std::string server_line;
  p.client.setKeyLogCallback([&](const std::string& line) { client_line = line; });
  p.server.setKeyLogCallback([&](const std::string& line) { server_line = line; });
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(client_line.rfind("CLIENT_RANDOM ", 0), 0u) << client_line;
  EXPECT_EQ(client_line.size(), std::string("CLIENT_RANDOM ").size() + 64 + 1 + 96);
  EXPECT_EQ(client_line, server_line);
}

INSTANTIATE_TEST_SUITE_P(Pairs, MixedBackendTest, ::testing::ValuesIn(kMixes),
                         [](const auto& row) { return std::string(row.param.name); });

// Each datagram of the handshake lost once, in either direction: the retransmission timers of
// the two stacks repair it (RFC 6347 §4.2.4).
class MixedBackendLossTest : public ::testing::TestWithParam<std::tuple<Mix, bool, int>> {};

TEST_P(MixedBackendLossTest, CompletesAfterTheLoss) {
  const auto& [mix, to_server, index] = GetParam();
  DtlsPair p(backendsOf(mix));
  int seen = 0;
  p.filter = [&, to_server = to_server, index = index](bool towards_server, const ByteArray&) {
    if (towards_server != to_server) return true;
    return seen++ != index;
  };
  ASSERT_TRUE(p.handshake(20)) << p.why();
  EXPECT_GE(p.client.retransmissionCount() + p.server.retransmissionCount(), 1);
  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "after loss"), 10);
  p.pump();
  EXPECT_EQ(p.server_received, std::vector<ByteArray>{"after loss"});
}

INSTANTIATE_TEST_SUITE_P(
    Flights, MixedBackendLossTest,
    ::testing::Combine(::testing::ValuesIn(kMixes), ::testing::Bool(), ::testing::Range(0, 3)),
    [](const auto& row) {
      return std::string(std::get<0>(row.param).name) +
             (std::get<1>(row.param) ? "_ToServer" : "_ToClient") +
             std::to_string(std::get<2>(row.param));
    });

}  // namespace
}  // namespace dtls
