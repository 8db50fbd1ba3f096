// dtls::Connection handshakes: certificates (EC, RSA) and pre-shared keys (RFC 4279).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "dtls/connection.h"
#include "support/backend_param.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

using test::DtlsPair;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// ---- Certificates ------------------------------------------------------------------------------

struct ServerIdentity {
  const char* name;
  const char* cert_file;
  const char* key_file;
  KeyAlgorithm algorithm;
  const char* authentication;  // the cipher's authentication method
};

class ConnectionCertificateHandshakeTest : public test::BackendRowTest<ServerIdentity> {};

TEST_P(ConnectionCertificateHandshakeTest, CompletesWithAgreedCipher) {
  Configuration server_config = DtlsPair::serverConfig();
  server_config.setLocalCertificateChain(Certificate::fromPath(
      test::certPath(row().cert_file)));
  server_config.setPrivateKey(test::loadKey(row().key_file, row().algorithm));
  DtlsPair p(DtlsPair::clientConfig(), server_config);
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeComplete);
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeComplete);
  EXPECT_EQ(p.client.sessionCipher(), p.server.sessionCipher());
  EXPECT_EQ(p.client.sessionCipher().authenticationMethod(), row().authentication);
  EXPECT_EQ(p.client.sessionProtocol(), SslProtocol::DtlsV1_2);
  EXPECT_EQ(p.server.sessionProtocol(), SslProtocol::DtlsV1_2);
  EXPECT_EQ(p.client.dtlsConfiguration().peerCertificate(), test::loadCert(row().cert_file));
  EXPECT_TRUE(p.client.peerVerificationErrors().empty());
  EXPECT_EQ(p.client.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(p.server.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(p.clock.pendingTimers(), 0u);  // no retransmission timer left behind
}

INSTANTIATE_TEST_SUITE_P(
    Keys, ConnectionCertificateHandshakeTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        ServerIdentity{"Ec", "server-chain.pem", "server.key.pem", KeyAlgorithm::Ec, "ECDSA"},
        ServerIdentity{"Rsa", "server-rsa.pem", "server-rsa.key.pem", KeyAlgorithm::Rsa, "RSA"})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

class ConnectionHandshakeTest : public test::BackendTest {};

TEST_P(ConnectionHandshakeTest, SessionStateAfterHandshake) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake()) << p.why();
  const Configuration c = p.client.dtlsConfiguration();
  EXPECT_EQ(c.peerCertificate(), test::loadCert("server.pem"));
  ASSERT_EQ(c.peerCertificateChain().size(), 2u);
  EXPECT_EQ(c.peerCertificateChain()[1], test::loadCert("intermediate.pem"));
  EXPECT_EQ(c.sessionCipher(), p.client.sessionCipher());
  EXPECT_EQ(c.sessionProtocol(), SslProtocol::DtlsV1_2);
  // The ephemeral key is the server's: only the client reports it.
  EXPECT_FALSE(c.ephemeralServerKey().isNull());
  EXPECT_EQ(c.ephemeralServerKey().type(), KeyType::PublicKey);
  EXPECT_TRUE(p.server.dtlsConfiguration().ephemeralServerKey().isNull());
  // The server queried (AutoVerifyPeer) a client that has no certificate.
  EXPECT_TRUE(p.server.dtlsConfiguration().peerCertificate().isNull());
}

TEST_P(ConnectionHandshakeTest, ClientWithoutTimerServiceStillCompletes) {
  DtlsPair p;
  Connection client(SslMode::SslClientMode);  // no TimerService: no timer is ever scheduled
  ASSERT_TRUE(client.setDtlsConfiguration(DtlsPair::clientConfig()));
  ASSERT_TRUE(client.setPeer(p.server_address, DtlsPair::kServerPort, "server.dtlsim.test"));
  ASSERT_TRUE(client.doHandshake(&p.client_socket));
  for (int round = 0; round < 10 && !client.isConnectionEncrypted(); ++round) {
    for (const auto& d : p.client_socket.take()) p.deliverToServer(d);
    for (const auto& d : p.server_socket.take()) client.doHandshake(&p.client_socket, d);
  }
  EXPECT_TRUE(client.isConnectionEncrypted()) << client.dtlsErrorString();
}

// IPv6 peers: 48 bytes of IP and UDP headers come off the MTU, the cookie covers the
// 16-byte address, and server.pem names ::1.
TEST_P(ConnectionHandshakeTest, Ipv6PeersWithAnMtuHint) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DtlsPair p;
  p.client_address = HostAddress("::1");
  p.server_address = HostAddress("::1");
  ASSERT_TRUE(p.client.setPeer(p.server_address, DtlsPair::kServerPort));
  ASSERT_TRUE(p.server.setPeer(p.client_address, DtlsPair::kClientPort));
  p.client.setMtuHint(1280);  // the IPv6 minimum (RFC 8200 §5)
  p.server.setMtuHint(1280);
  size_t largest = 0;
  p.filter = [&](bool, const ByteArray& d) {
    largest = std::max(largest, d.size());
    return true;
  };
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_GT(largest, 576u);  // the hint was used, not the 576-byte default
  EXPECT_LE(largest, 1280u - 48u);
  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "v6"), 2);
  EXPECT_EQ(p.client_socket.sent()[0].to, HostAddress("::1"));
}

// ---- Pre-shared keys ---------------------------------------------------------------------------

struct PskPair : DtlsPair {
  static Configuration pskClient() {
    Configuration c = clientConfig();
    c.setCiphers(test::pskCipherName());
    return c;
  }
  static Configuration pskServer() {
    Configuration c = serverConfig();
    c.setPreSharedKeyIdentityHint("hint-1");
    return c;
  }
  PskPair() : DtlsPair(pskClient(), pskServer()) {}
};

class ConnectionPskTest : public test::BackendTest {};

TEST_P(ConnectionPskTest, HintAndIdentityReachTheOtherSide) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::PskIdentityHint);  // PskPair sets a hint
  PskPair p;
  ByteArray hint_seen, identity_seen, server_hint;
  int client_max_identity = -1;
  p.client.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
    hint_seen = a->identityHint();
    client_max_identity = a->maximumIdentityLength();
    a->setIdentity("client-7");
    a->setPreSharedKey("0123456789abcdef");
  });
  p.server.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
    identity_seen = a->identity();
    server_hint = a->identityHint();
    a->setPreSharedKey("0123456789abcdef");
  });
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(hint_seen, "hint-1");
  EXPECT_EQ(identity_seen, "client-7");
  EXPECT_GT(client_max_identity, 0);
  EXPECT_EQ(p.client.sessionCipher().name(), test::pskCipherName());
  EXPECT_EQ(p.server.sessionCipher().name(), test::pskCipherName());
  // Every field of the negotiated suite, as SSL_CIPHER_description and friends give it.
  const Cipher negotiated = p.server.sessionCipher();
  EXPECT_EQ(negotiated.keyExchangeMethod(), "PSK");
  EXPECT_EQ(negotiated.authenticationMethod(), "PSK");
  // test::pskCipherName(): Debian's wolfSSL negotiates PSK-CHACHA20-POLY1305.
  const bool chacha = test::pskCipherName() == "PSK-CHACHA20-POLY1305";
  EXPECT_EQ(negotiated.encryptionMethod(), chacha ? "CHACHA20/POLY1305(256)" : "AESGCM(128)");
  EXPECT_EQ(negotiated.usedBits(), chacha ? 256 : 128);
  EXPECT_EQ(negotiated.supportedBits(), chacha ? 256 : 128);
  EXPECT_EQ(negotiated.protocolString(), "TLSv1.2");
  EXPECT_EQ(negotiated.protocol(), SslProtocol::TlsV1_2);
  // PSK authenticates the server: no certificate, and no NoPeerCertificate error for it.
  EXPECT_TRUE(p.client.dtlsConfiguration().peerCertificate().isNull());
  EXPECT_TRUE(p.client.peerVerificationErrors().empty());
}

// With different keys the server cannot decrypt the client's Finished, and DTLS drops records
// that fail authentication silently (RFC 6347 §4.1.2.7): nobody learns why, both sides
// retransmit until they give up.
TEST_P(ConnectionPskTest, DifferentKeysTimeOutOnBothSides) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::PskIdentityHint);  // PskPair sets a hint
  PskPair p;
  p.client.setPskRequiredCallback([](PreSharedKeyAuthenticator* a) {
    a->setIdentity("client-7");
    a->setPreSharedKey("0123456789abcdef");
  });
  p.server.setPskRequiredCallback(
      [](PreSharedKeyAuthenticator* a) { a->setPreSharedKey("fedcba9876543210"); });
  EXPECT_FALSE(p.handshake(/*max_timeouts=*/100));
  if (activeBackend() == "wolfssl") {
    // wolfSSL 5.5.4 resets its retransmission timeout to the initial 1 s whenever a record
    // authenticates (src/internal.c ProcessReply, "Reset timeout as we have received a valid
    // DTLS message"), a retransmission of the peer's previous flight included, against
    // RFC 6347 §4.2.4.1 (keep the timer until a transmission without loss). The client answers
    // the server's retransmitted flight with its own, so neither timer ever reaches
    // wolfSSL's maximum: both retransmit every second, forever. When this row fails, wolfSSL
    // is fixed.
    EXPECT_EQ(p.clock.pendingTimers(), 2u);
    for (Connection* c : {&p.client, &p.server}) {
      EXPECT_EQ(c->handshakeState(), Connection::HandshakeInProgress);
      EXPECT_GT(c->retransmissionCount(), 12);
    }
    return;
  }
  EXPECT_EQ(p.clock.pendingTimers(), 0u);
  // GnuTLS 3.7.9 forgets its flight once a message of the peer's next flight arrives
  // (lib/dtls.c is_next_hpacket_expected; scenarios/findings/002-gnutls-server-forgets-flight):
  // its server, holding the ClientKeyExchange but not the Finished, never retransmits and
  // gives up silently. When this row fails, GnuTLS is fixed.
  const std::string server_retransmissions = activeBackend() == "gnutls" ? "0" : "12";
  for (Connection* c : {&p.client, &p.server}) {
    EXPECT_EQ(c->handshakeState(), Connection::HandshakeNotStarted);
    EXPECT_EQ(c->dtlsError(), DtlsError::TlsFatalError) << p.why();
    EXPECT_THAT(c->dtlsErrorString(),
                StartsWith("handleTimeout: the handshake timed out after " +
                           (c == &p.server ? server_retransmissions : std::string("12")) +
                           " retransmissions"));
  }
}

// Values longer than OpenSSL takes are cut (psk_authenticator.h): the identity to 255 bytes
// (OpenSSL 3.0 offers PSK_MAX_IDENTITY_LEN = 256 bytes including the NUL), the key to
// PSK_MAX_PSK_LEN (512) bytes.
TEST_P(ConnectionPskTest, LongIdentityAndKeyAreTruncated) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::PskIdentityHint);  // PskPair sets a hint
  PskPair p;
  const ByteArray long_key(600, 'k');
  int max_identity = -1, max_key = -1;
  ByteArray identity_seen;
  p.client.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
    max_identity = a->maximumIdentityLength();
    max_key = a->maximumPreSharedKeyLength();
    a->setIdentity(ByteArray(300, 'i'));
    a->setPreSharedKey(long_key);
  });
  p.server.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
    identity_seen = a->identity();
    a->setPreSharedKey(long_key.substr(0, 512) + "ignored tail");
  });
  ASSERT_TRUE(p.handshake()) << p.why();
  // wolfSSL's own bounds (wolfssl/internal.h MAX_PSK_ID_LEN 128, MAX_PSK_KEY_LEN 64), the
  // least RFC 4279 §5.3 lets an implementation support.
  const bool wolf = activeBackend() == "wolfssl";
  EXPECT_EQ(max_identity, wolf ? 128 : 255);
  EXPECT_EQ(max_key, wolf ? 64 : 512);
  EXPECT_EQ(identity_seen, ByteArray(wolf ? 128 : 255, 'i'));
}

struct PskFailure {
  const char* name;
  bool client_callback;
  ByteArray client_key;
  bool server_callback;
  ByteArray server_key;
  bool client_fails_first;  // the client gives up before the server has anything to say
};

class ConnectionPskFailureTest : public test::BackendRowTest<PskFailure> {};

TEST_P(ConnectionPskFailureTest, HandshakeFailsWithTlsFatalError) {
  // The rows' server sets a hint; an mbedTLS client also asks for its key before the ClientHello.
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::PskIdentityHint);
  const PskFailure& row = this->row();
  PskPair p;
  if (row.client_callback)
    p.client.setPskRequiredCallback([&](PreSharedKeyAuthenticator* a) {
      a->setIdentity("client-7");
      a->setPreSharedKey(row.client_key);
    });
  if (row.server_callback)
    p.server.setPskRequiredCallback(
        [&](PreSharedKeyAuthenticator* a) { a->setPreSharedKey(row.server_key); });
  if (!row.client_callback && activeBackend() == "gnutls") {
    // GnuTLS 3.7.9 sends a ClientHello with an empty cipher_suites list when it has credentials
    // for none of its suites (lib/algorithms/ciphersuites.c _gnutls_get_client_ciphersuites),
    // which RFC 5246 §7.4.1.2 forbids (cipher_suites<2..2^16-2>); the server drops it as no
    // ClientHello and the client retransmits it until it gives up
    // (scenarios/findings/003-gnutls-empty-cipher-suites). When this row fails, GnuTLS is fixed.
    EXPECT_FALSE(p.handshake(/*max_timeouts=*/100));
    EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
    EXPECT_EQ(p.server.dtlsError(), DtlsError::NoError) << p.why();
    EXPECT_THAT(p.client.dtlsErrorString(),
                StartsWith("handleTimeout: the handshake timed out after 12 retransmissions"));
    return;
  }
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.dtlsError(), DtlsError::TlsFatalError) << p.why();
  EXPECT_THAT(p.client.dtlsErrorString(), StartsWith("doHandshake: the handshake failed: "));
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_FALSE(p.server.isConnectionEncrypted());
  // A wolfSSL 5.5.4 client whose callback gives no key fails alone: SendClientKeyExchange
  // (src/internal.c) returns PSK_KEY_ERROR without an alert, which no RFC requires of it.
  const bool wolf_client_alone = activeBackend() == "wolfssl" && row.client_key.empty();
  if (!row.client_fails_first && !wolf_client_alone) {
    EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsFatalError) << p.why();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConnectionPskFailureTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        // Without a callback the client cannot offer its only (PSK) suite.
        PskFailure{"NoClientCallback", false, "", true, "0123456789abcdef", true},
        PskFailure{"EmptyClientKey", true, "", true, "0123456789abcdef", false},
        // Without a callback the server has no PSK suite in common with the client.
        PskFailure{"NoServerCallback", true, "0123456789abcdef", false, "", false},
        PskFailure{"EmptyServerKey", true, "0123456789abcdef", true, "", false})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionHandshakeTest);
DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionPskTest);

}  // namespace
}  // namespace dtls
