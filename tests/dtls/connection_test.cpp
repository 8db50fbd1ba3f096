#include "dtls/connection.h"

#include <gtest/gtest.h>

#include "support/dtls_pair.h"

namespace dtls {
namespace {

using test::DtlsPair;

TEST(ConnectionTest, ConstructionDefaults) {
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
  EXPECT_EQ(c.dtlsConfiguration(), Configuration::defaultDtlsConfiguration());
  EXPECT_EQ(c.cookieGeneratorParameters().hash, DigestAlgorithm::Sha256);
  EXPECT_EQ(c.cookieGeneratorParameters().secret.size(), 16u);
}

TEST(ConnectionTest, CertificateHandshakeAndDataBothWays) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake()) << p.client.dtlsErrorString() << " / " << p.server.dtlsErrorString() << " / " << p.verifier.dtlsErrorString() << " states " << p.client.handshakeState() << p.server.handshakeState();
  EXPECT_EQ(p.client.sessionProtocol(), SslProtocol::DtlsV1_2);
  EXPECT_EQ(p.client.sessionCipher(), p.server.sessionCipher());
  EXPECT_FALSE(p.client.sessionCipher().isNull());

  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "ping"), 4);
  ASSERT_EQ(p.server.writeDatagramEncrypted(&p.server_socket, "pong!"), 5);
  p.pump();
  ASSERT_EQ(p.server_received, std::vector<ByteArray>{"ping"});
  ASSERT_EQ(p.client_received, std::vector<ByteArray>{"pong!"});
}

TEST(ConnectionTest, SessionStateAfterHandshake) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake());
  const Configuration c = p.client.dtlsConfiguration();
  EXPECT_EQ(c.peerCertificate(), test::loadCert("server.pem"));
  ASSERT_EQ(c.peerCertificateChain().size(), 2u);
  EXPECT_EQ(c.peerCertificateChain()[1], test::loadCert("intermediate.pem"));
  EXPECT_EQ(c.sessionCipher(), p.client.sessionCipher());
  EXPECT_EQ(c.sessionProtocol(), SslProtocol::DtlsV1_2);
  EXPECT_FALSE(c.ephemeralServerKey().isNull());
  EXPECT_TRUE(p.server.dtlsConfiguration().ephemeralServerKey().isNull());
}

TEST(ConnectionTest, PskHandshake) {
  Configuration client_config = DtlsPair::clientConfig();
  client_config.setCiphers(std::string("PSK-AES128-GCM-SHA256"));
  Configuration server_config = DtlsPair::serverConfig();
  server_config.setPreSharedKeyIdentityHint("hint-1");
  DtlsPair p(client_config, server_config);
  ByteArray hint_seen, identity_seen;
  p.client.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
    hint_seen = a->identityHint();
    a->setIdentity("client-7");
    a->setPreSharedKey("0123456789abcdef");
  });
  p.server.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
    identity_seen = a->identity();
    a->setPreSharedKey("0123456789abcdef");
  });
  ASSERT_TRUE(p.handshake()) << p.client.dtlsErrorString() << " / " << p.server.dtlsErrorString() << " / " << p.verifier.dtlsErrorString() << " states " << p.client.handshakeState() << p.server.handshakeState();
  EXPECT_EQ(hint_seen, "hint-1");
  EXPECT_EQ(identity_seen, "client-7");
  EXPECT_EQ(p.client.sessionCipher().name(), "PSK-AES128-GCM-SHA256");
}

TEST(ConnectionTest, LostClientHelloIsRetransmittedAfterOneSecond) {
  DtlsPair p;
  ASSERT_TRUE(p.client.doHandshake(&p.client_socket));
  EXPECT_EQ(p.client_socket.take().size(), 1u);  // lost
  EXPECT_EQ(p.clock.nextTimerIn(), std::chrono::seconds(1));
  ASSERT_TRUE(p.clock.fireNext());
  EXPECT_EQ(p.client.retransmissionCount(), 1);
  EXPECT_EQ(p.clock.nextTimerIn(), std::chrono::seconds(2));
  ASSERT_TRUE(p.handshake());
}

}  // namespace
}  // namespace dtls
