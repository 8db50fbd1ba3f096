// dtls::Connection: construction, argument and state checks (DESIGN.md §2, connection.h).
#include "dtls/connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "support/backend_param.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

using test::DtlsPair;
using ::testing::HasSubstr;

class ConnectionTest : public test::BackendTest {};

TEST_P(ConnectionTest, ConstructionDefaults) {
  test::ManualClock clock;
  Connection c(SslMode::SslClientMode, &clock);
  EXPECT_EQ(c.sslMode(), SslMode::SslClientMode);
  EXPECT_EQ(c.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_FALSE(c.isConnectionEncrypted());
  EXPECT_TRUE(c.peerAddress().isNull());
  EXPECT_EQ(c.peerPort(), 0);
  EXPECT_EQ(c.peerVerificationName(), "");
  EXPECT_EQ(c.mtuHint(), 0);
  EXPECT_EQ(c.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(c.dtlsErrorString(), "");
  EXPECT_TRUE(c.sessionCipher().isNull());
  EXPECT_EQ(c.sessionProtocol(), SslProtocol::UnknownProtocol);
  EXPECT_TRUE(c.peerVerificationErrors().empty());
  EXPECT_EQ(c.retransmissionCount(), 0);
  EXPECT_EQ(c.dtlsConfiguration(), Configuration::defaultDtlsConfiguration());
  EXPECT_EQ(c.cookieGeneratorParameters().hash, DigestAlgorithm::Sha256);
  EXPECT_EQ(c.cookieGeneratorParameters().secret.size(), 16u);
  EXPECT_EQ(clock.pendingTimers(), 0u);
}

TEST_P(ConnectionTest, ServerModeAndDistinctCookieSecrets) {
  Connection a(SslMode::SslServerMode);
  Connection b(SslMode::SslServerMode);
  EXPECT_EQ(a.sslMode(), SslMode::SslServerMode);
  EXPECT_NE(a.cookieGeneratorParameters().secret, b.cookieGeneratorParameters().secret);
}

TEST_P(ConnectionTest, SettersBeforeHandshake) {
  Connection c(SslMode::SslClientMode);
  ASSERT_TRUE(c.setPeer(HostAddress("::1"), 853, "name.example"));
  EXPECT_EQ(c.peerAddress(), HostAddress("::1"));
  EXPECT_EQ(c.peerPort(), 853);
  EXPECT_EQ(c.peerVerificationName(), "name.example");
  ASSERT_TRUE(c.setPeerVerificationName("other.example"));
  EXPECT_EQ(c.peerVerificationName(), "other.example");
  c.setMtuHint(1200);
  EXPECT_EQ(c.mtuHint(), 1200);
  GeneratorParameters params{DigestAlgorithm::Sha512, "secret X"};
  ASSERT_TRUE(c.setCookieGeneratorParameters(params));
  EXPECT_EQ(c.cookieGeneratorParameters(), params);
  Configuration config = DtlsPair::clientConfig();
  ASSERT_TRUE(c.setDtlsConfiguration(config));
  EXPECT_EQ(c.dtlsConfiguration(), config);
  EXPECT_EQ(c.dtlsError(), DtlsError::NoError);
}

TEST_P(ConnectionTest, EmptyCookieSecretIsRejected) {
  Connection c(SslMode::SslServerMode);
  const GeneratorParameters before = c.cookieGeneratorParameters();
  EXPECT_FALSE(c.setCookieGeneratorParameters({DigestAlgorithm::Sha256, ""}));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(c.dtlsErrorString(), "setCookieGeneratorParameters: the secret is empty");
  EXPECT_EQ(c.cookieGeneratorParameters(), before);
}

// ---- setPeer: addresses a DTLS peer cannot have ------------------------------------------------

struct BadPeer {
  const char* name;
  const char* address;
  const char* message;
};

class ConnectionBadPeerTest : public test::BackendRowTest<BadPeer> {};

TEST_P(ConnectionBadPeerTest, IsInvalidInput) {
  Connection c(SslMode::SslClientMode);
  EXPECT_FALSE(c.setPeer(HostAddress(row().address), 4433));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(c.dtlsErrorString(), row().message);
  EXPECT_TRUE(c.peerAddress().isNull());
  EXPECT_EQ(c.peerPort(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Addresses, ConnectionBadPeerTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        BadPeer{"Null", "", "setPeer: the address is null"},
        BadPeer{"Broadcast", "255.255.255.255", "setPeer: 255.255.255.255 is a broadcast address"},
        BadPeer{"Ipv4Multicast", "224.0.0.1", "setPeer: 224.0.0.1 is a multicast address"},
        BadPeer{"Ipv6Multicast", "ff02::1", "setPeer: ff02::1 is a multicast address"})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

// ---- Every call that takes a socket refuses a null one -----------------------------------------

struct NullSocketCall {
  const char* name;
  std::function<bool(Connection&)> call;  // true if the call reported failure
  const char* message;
};

class ConnectionNullSocketTest : public test::BackendRowTest<NullSocketCall> {};

TEST_P(ConnectionNullSocketTest, IsInvalidInput) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake()) << p.why();  // so that only the socket is wrong
  EXPECT_TRUE(row().call(p.client));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.client.dtlsErrorString(), row().message);
  EXPECT_TRUE(p.client.isConnectionEncrypted());
}

INSTANTIATE_TEST_SUITE_P(
    Calls, ConnectionNullSocketTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        NullSocketCall{"DoHandshake", [](Connection& c) { return !c.doHandshake(nullptr); },
                       "doHandshake: the socket is null"},
        NullSocketCall{"HandleTimeout", [](Connection& c) { return !c.handleTimeout(nullptr); },
                       "handleTimeout: the socket is null"},
        NullSocketCall{"ResumeHandshake",
                       [](Connection& c) { return !c.resumeHandshake(nullptr); },
                       "resumeHandshake: the socket is null"},
        NullSocketCall{"AbortHandshake", [](Connection& c) { return !c.abortHandshake(nullptr); },
                       "abortHandshake: the socket is null"},
        NullSocketCall{"WriteDatagramEncrypted",
                       [](Connection& c) { return c.writeDatagramEncrypted(nullptr, "x") == -1; },
                       "writeDatagramEncrypted: the socket is null"},
        NullSocketCall{"DecryptDatagram",
                       [](Connection& c) { return c.decryptDatagram(nullptr, "x").empty(); },
                       "decryptDatagram: the socket is null"},
        NullSocketCall{"Shutdown", [](Connection& c) { return !c.shutdown(nullptr); },
                       "shutdown: the socket is null"})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

// ---- Changes once the handshake started --------------------------------------------------------

struct LateChange {
  const char* name;
  std::function<bool(Connection&)> call;  // the setter's result
  const char* message;
};

class ConnectionLateChangeTest : public test::BackendRowTest<LateChange> {};

TEST_P(ConnectionLateChangeTest, IsInvalidOperationWhileInProgressAndComplete) {
  DtlsPair p;
  ASSERT_TRUE(p.client.doHandshake(&p.client_socket));
  ASSERT_EQ(p.client.handshakeState(), Connection::HandshakeInProgress);
  EXPECT_FALSE(row().call(p.client));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(p.client.dtlsErrorString(), row().message);

  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_FALSE(row().call(p.client));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(p.client.peerAddress(), p.server_address);
  EXPECT_EQ(p.client.peerVerificationName(), "server.dtlsim.test");
}

INSTANTIATE_TEST_SUITE_P(
    Setters, ConnectionLateChangeTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        LateChange{"SetPeer",
                   [](Connection& c) { return c.setPeer(HostAddress("127.0.0.2"), 1, "x"); },
                   "setPeer: cannot change the peer after the handshake started"},
        LateChange{"SetPeerVerificationName",
                   [](Connection& c) { return c.setPeerVerificationName("x"); },
                   "setPeerVerificationName: cannot change the name after the handshake started"},
        LateChange{"SetDtlsConfiguration",
                   [](Connection& c) {
                     return c.setDtlsConfiguration(Configuration::defaultDtlsConfiguration());
                   },
                   "setDtlsConfiguration: cannot change the configuration after the handshake "
                   "started"},
        LateChange{"SetCookieGeneratorParameters",
                   [](Connection& c) {
                     return c.setCookieGeneratorParameters({DigestAlgorithm::Sha256, "s"});
                   },
                   "setCookieGeneratorParameters: cannot change the parameters after the "
                   "handshake started"})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

// ---- Calls in the wrong state ------------------------------------------------------------------

TEST_P(ConnectionTest, WrongStateCallsBeforeHandshake) {
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode);
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(c.dtlsErrorString(), "doHandshake: call setPeer() before starting a handshake");
  EXPECT_FALSE(c.handleTimeout(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(c.dtlsErrorString(), "handleTimeout: no handshake in progress (state "
                                 "HandshakeNotStarted)");
  EXPECT_FALSE(c.resumeHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_FALSE(c.abortHandshake(&socket));
  EXPECT_EQ(c.dtlsErrorString(), "abortHandshake: no handshake to abort (state "
                                 "HandshakeNotStarted)");
  EXPECT_EQ(c.writeDatagramEncrypted(&socket, "x"), -1);
  EXPECT_EQ(c.dtlsErrorString(), "writeDatagramEncrypted: the connection is not encrypted "
                                 "(state HandshakeNotStarted)");
  EXPECT_TRUE(c.decryptDatagram(&socket, "x").empty());
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_FALSE(c.shutdown(&socket));
  EXPECT_EQ(c.dtlsErrorString(), "shutdown: the connection is not encrypted (state "
                                 "HandshakeNotStarted)");
  EXPECT_TRUE(socket.sent().empty());
}

TEST_P(ConnectionTest, DoHandshakeAfterCompletionIsInvalidOperation) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_FALSE(p.client.doHandshake(&p.client_socket));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(p.client.dtlsErrorString(), "doHandshake: the handshake is already complete");
  EXPECT_TRUE(p.client.isConnectionEncrypted());
}

TEST_P(ConnectionTest, UnencryptedModeCannotHandshake) {
  test::RecordingSocket socket;
  Connection c(SslMode::UnencryptedMode);
  ASSERT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 4433));
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(c.dtlsErrorString(), "doHandshake: the connection was created in UnencryptedMode");
}

TEST_P(ConnectionTest, EmptyWriteIsInvalidInput) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, ""), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.client.dtlsErrorString(), "writeDatagramEncrypted: the datagram is empty");
}

// ---- Configurations OpenSSL cannot apply fail the first doHandshake ----------------------------

TEST_P(ConnectionTest, TlsProtocolFailsFirstHandshake) {
  Configuration config = DtlsPair::clientConfig();
  config.setProtocol(SslProtocol::TlsV1_2);
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode);
  ASSERT_TRUE(c.setDtlsConfiguration(config));  // accepted here...
  ASSERT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 4433));
  EXPECT_FALSE(c.doHandshake(&socket));  // ...refused here
  EXPECT_EQ(c.dtlsError(), DtlsError::TlsInitializationError);
  EXPECT_EQ(c.dtlsErrorString(), "doHandshake: protocol TlsV1_2 is not a DTLS protocol");
  EXPECT_EQ(c.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_TRUE(socket.sent().empty());
}

TEST_P(ConnectionTest, UnknownBackendOptionFailsFirstHandshake) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::BackendConfiguration);
  Configuration config = DtlsPair::clientConfig();
  config.setBackendConfigurationOption("NoSuchThing", "1");
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode);
  ASSERT_TRUE(c.setDtlsConfiguration(config));
  ASSERT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 4433));
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::TlsInitializationError);
  EXPECT_THAT(c.dtlsErrorString(), HasSubstr("'NoSuchThing'"));
  EXPECT_THAT(c.dtlsErrorString(), HasSubstr("doHandshake: "));
  EXPECT_EQ(c.handshakeState(), Connection::HandshakeNotStarted);
}

TEST_P(ConnectionTest, MtuBelowMinimumFailsFirstHandshake) {
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode);
  ASSERT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 4433));
  c.setMtuHint(200);
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::TlsInitializationError);
  EXPECT_EQ(c.dtlsErrorString(),
            "doHandshake: MTU 200 is below the minimum of 284 bytes for this address");
}

// ---- A server's first datagram -----------------------------------------------------------------

TEST_P(ConnectionTest, ServerNeedsAFirstDatagram) {
  DtlsPair p;
  EXPECT_FALSE(p.server.doHandshake(&p.server_socket));
  EXPECT_EQ(p.server.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.server.dtlsErrorString(),
            "doHandshake: a server starts with the client's first datagram (its ClientHello), "
            "and it is empty");
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
}

TEST_P(ConnectionTest, ServerWithCookiesRefusesAnUnverifiedClientHello) {
  DtlsPair p;
  ASSERT_TRUE(p.client.doHandshake(&p.client_socket));
  const auto hello = p.client_socket.take();
  ASSERT_EQ(hello.size(), 1u);
  EXPECT_FALSE(p.server.doHandshake(&p.server_socket, hello[0]));
  EXPECT_EQ(p.server.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.server.dtlsErrorString(),
            "doHandshake: the first datagram is not a ClientHello with a valid cookie for "
            "127.0.0.1:50000 (pass ClientVerifier::verifiedHello(), with the same cookie "
            "parameters)");
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.clock.pendingTimers(), 1u);  // the client's only
}

TEST_P(ConnectionTest, ServerWithOtherCookieParametersRefusesTheVerifiedHello) {
  DtlsPair p;
  ASSERT_TRUE(p.server.setCookieGeneratorParameters({DigestAlgorithm::Sha256, "another"}));
  const ByteArray hello = p.verifiedHello();
  ASSERT_FALSE(hello.empty()) << p.why();
  EXPECT_FALSE(p.server.doHandshake(&p.server_socket, hello));
  EXPECT_EQ(p.server.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
}

TEST_P(ConnectionTest, ServerWithoutCookiesAcceptsTheFirstClientHello) {
  DtlsPair p(DtlsPair::clientConfig(), DtlsPair::serverConfig(/*cookies=*/false));
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.client.sessionProtocol(), SslProtocol::DtlsV1_2);
}

TEST_P(ConnectionTest, FailedCallDoesNotClearAnEarlierSuccessButNextSuccessDoes) {
  Connection c(SslMode::SslClientMode);
  EXPECT_FALSE(c.setPeer(HostAddress("224.0.0.1"), 1));
  EXPECT_EQ(c.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 1));
  EXPECT_EQ(c.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(c.dtlsErrorString(), "");
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionTest);

}  // namespace
}  // namespace dtls
