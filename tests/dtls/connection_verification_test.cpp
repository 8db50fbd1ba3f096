// dtls::Connection peer verification (DESIGN.md §2): errors collected during the handshake,
// ignored in advance or afterwards, abortHandshake, server and client certificates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <map>
#include <string>
#include <vector>

#include "connection_impl.h"
#include "dtls/connection.h"
#include "support/backend_param.h"
#include "support/dtls_pair.h"
#include "support/handshake_tap.h"

namespace dtls {
namespace {

using test::DtlsPair;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<SslError::Error> codes(const std::vector<SslError>& errors) {
  std::vector<SslError::Error> out;
  for (const auto& e : errors) out.push_back(e.error());
  return out;
}

Configuration serverWith(const char* chain_file, const char* key_file,
                         KeyAlgorithm algorithm = KeyAlgorithm::Ec) {
  Configuration c = DtlsPair::serverConfig();
  c.setLocalCertificateChain(Certificate::fromPath(test::certPath(chain_file)));
  c.setPrivateKey(key_file ? test::loadKey(key_file, algorithm) : Key());
  return c;
}

// The client does not trust the test root: the server's chain ends at an unknown issuer.
Configuration untrustingClient() {
  Configuration c = DtlsPair::clientConfig();
  c.setCaCertificates({});
  return c;
}

// ---- Errors found, then abort or ignore ---------------------------------------------------------

class ConnectionVerificationTest : public test::BackendTest {};

TEST_P(ConnectionVerificationTest, UntrustedServerStopsInPeerVerificationFailed) {
  DtlsPair p(untrustingClient());
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::PeerVerificationError);
  EXPECT_EQ(p.client.dtlsErrorString(),
            "doHandshake: peer verification failed: The issuer certificate of a locally looked "
            "up certificate could not be found");
  EXPECT_THAT(codes(p.client.peerVerificationErrors()),
              ::testing::ElementsAre(SslError::UnableToGetLocalIssuerCertificate));
  EXPECT_EQ(p.client.peerVerificationErrors()[0].certificate(),
            test::loadCert("intermediate.pem"));
  EXPECT_FALSE(p.client.isConnectionEncrypted());
  EXPECT_TRUE(p.client.sessionCipher().isNull());
  EXPECT_EQ(p.clock.pendingTimers(), 0u);
  // Waiting for a decision: no handshake step, no data.
  EXPECT_FALSE(p.client.doHandshake(&p.client_socket));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "x"), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
}

// A server that asks for a client certificate (QueryPeer, the server's AutoVerifyPeer) names
// no CAs in its CertificateRequest, as OpenSSL does without SSL_CTX_set_client_CA_list: the
// names of the default (system) CA store would make it some 15 kB, ~30 datagrams at the default
// MTU, and a handshake at 30 % loss would rarely get them all through (examples/request_response
// found it on mbedTLS, which lists its CA chain unless told not to; with two CAs here it named
// both before the fix).
TEST_P(ConnectionVerificationTest, TheCertificateRequestNamesNoCertificateAuthorities) {
  constexpr std::uint8_t kCertificateRequest = 13;
  test::HandshakeMessageTap tap(kCertificateRequest);
  // CAs of its own to name (the default system store's size depends on the machine).
  Configuration server = DtlsPair::serverConfig();
  server.setCaCertificates({test::loadCert("ca.pem"), test::loadCert("intermediate.pem")});
  DtlsPair p(DtlsPair::clientConfig(), server);
  p.filter = [&tap](bool to_server, const ByteArray& d) {
    if (!to_server) tap.take(d);
    return true;
  };
  ASSERT_TRUE(p.handshake()) << p.why();
  const std::optional<ByteArray> body = tap.body();
  ASSERT_TRUE(body.has_value()) << "no CertificateRequest crossed the link";
  // certificate_types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>,
  // certificate_authorities<0..2^16-1> (RFC 5246 §7.4.4).
  const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>((*body)[i])); };
  ASSERT_GE(body->size(), 1u);
  std::size_t at = 1 + byte(0);
  ASSERT_GE(body->size(), at + 2);
  at += 2 + (byte(at) << 8 | byte(at + 1));
  ASSERT_EQ(body->size(), at + 2) << "a CertificateRequest of " << body->size() << " bytes";
  EXPECT_EQ(byte(at) << 8 | byte(at + 1), 0u);
}

TEST_P(ConnectionVerificationTest, AbortReturnsToNotStartedAndTheServerSeesTheClose) {
  DtlsPair p(untrustingClient());
  ASSERT_FALSE(p.handshake());
  ASSERT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);
  ASSERT_TRUE(p.client.abortHandshake(&p.client_socket));
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::NoError);
  const auto alert = p.client_socket.take();
  ASSERT_EQ(alert.size(), 1u);
  ASSERT_TRUE(p.server.isConnectionEncrypted()) << p.why();  // it had finished its side
  EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, alert[0]).empty());
  EXPECT_EQ(p.server.dtlsError(), DtlsError::RemoteClosedConnectionError);
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_FALSE(p.client.resumeHandshake(&p.client_socket));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
}

TEST_P(ConnectionVerificationTest, IgnoreAndResumeCompletes) {
  DtlsPair p(untrustingClient());
  ASSERT_FALSE(p.handshake());
  EXPECT_FALSE(p.client.resumeHandshake(&p.client_socket));  // nothing ignored yet
  EXPECT_EQ(p.client.dtlsError(), DtlsError::PeerVerificationError);
  EXPECT_THAT(p.client.dtlsErrorString(),
              StartsWith("resumeHandshake: 1 verification error(s) are not ignored, first: "));
  EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);

  p.client.ignoreVerificationErrors(p.client.peerVerificationErrors());
  ASSERT_TRUE(p.client.resumeHandshake(&p.client_socket)) << p.why();
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeComplete);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(p.client.peerVerificationErrors().size(), 1u);  // still reported
  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "after resume"), 12);
  p.pump();
  EXPECT_EQ(p.server_received, std::vector<ByteArray>{"after resume"});
}

// expired.pem carries another name too: two errors, CertificateExpired and HostNameMismatch.
TEST_P(ConnectionVerificationTest, ErrorsIgnoredInAdvanceMustCoverAll) {
  const Certificate expired = test::loadCert("expired.pem");
  const SslError expiry(SslError::CertificateExpired, expired);
  const SslError host(SslError::HostNameMismatch, expired);
  {
    DtlsPair p(DtlsPair::clientConfig(), serverWith("expired.pem", "expired.key.pem"));
    p.client.ignoreVerificationErrors({expiry});
    EXPECT_FALSE(p.handshake());
    EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);
    EXPECT_EQ(p.client.dtlsErrorString(),
              "doHandshake: peer verification failed: The host name did not match any of the "
              "valid hosts for this certificate");
  }
  {
    DtlsPair p(DtlsPair::clientConfig(), serverWith("expired.pem", "expired.key.pem"));
    p.client.ignoreVerificationErrors({host, expiry});
    EXPECT_TRUE(p.handshake()) << p.why();
    EXPECT_EQ(p.client.peerVerificationErrors(), (std::vector<SslError>{expiry, host}));
  }
}

TEST_P(ConnectionVerificationTest, IgnoringTheCodeForAnotherCertificateDoesNotCount) {
  DtlsPair p(DtlsPair::clientConfig(), serverWith("wrong-host.pem", "wrong-host.key.pem"));
  p.client.ignoreVerificationErrors(
      {SslError(SslError::HostNameMismatch, test::loadCert("server.pem"))});
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.dtlsError(), DtlsError::PeerVerificationError);
}

// ---- Server certificates seen by a verifying client --------------------------------------------

struct ServerCertCase {
  const char* name;
  const char* chain;
  const char* key;
  std::vector<SslError::Error> errors;
};

class ConnectionServerCertificateTest : public test::BackendRowTest<ServerCertCase> {};

TEST_P(ConnectionServerCertificateTest, ClientReportsTheRightErrors) {
  Configuration client = DtlsPair::clientConfig();
  client.setSslOption(SslOption::SslOptionDisableServerNameIndication, false);
  DtlsPair p(client, serverWith(row().chain, row().key));
  if (std::string(row().name) == "Expired") p.client.setPeerVerificationName("expired.dtlsim.test");
  if (std::string(row().name) == "SelfSigned")
    p.client.setPeerVerificationName("self-signed.dtlsim.test");
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed) << p.why();
  EXPECT_EQ(p.client.dtlsError(), DtlsError::PeerVerificationError);
  EXPECT_EQ(codes(p.client.peerVerificationErrors()), row().errors);
  EXPECT_THAT(p.client.dtlsErrorString(),
              HasSubstr(SslError::errorString(row().errors.front())));
}

INSTANTIATE_TEST_SUITE_P(
    Certificates, ConnectionServerCertificateTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        ServerCertCase{"Expired", "expired.pem", "expired.key.pem",
                       {SslError::CertificateExpired}},
        ServerCertCase{"WrongHost", "wrong-host.pem", "wrong-host.key.pem",
                       {SslError::HostNameMismatch}},
        ServerCertCase{"SelfSigned", "self-signed.pem", "self-signed.key.pem",
                       {SslError::SelfSignedCertificate}},
        // The leaf without its intermediate: the client cannot build the chain.
        ServerCertCase{"MissingIntermediate", "server.pem", "server.key.pem",
                       {SslError::UnableToGetLocalIssuerCertificate,
                        SslError::UnableToVerifyFirstCertificate}})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

TEST_P(ConnectionVerificationTest, SeveralErrorsAreCountedInTheMessage) {
  DtlsPair p(DtlsPair::clientConfig(), serverWith("server.pem", "server.key.pem"));
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.dtlsErrorString(),
            "doHandshake: peer verification failed: The issuer certificate of a locally looked "
            "up certificate could not be found (and 1 more)");
}

TEST_P(ConnectionVerificationTest, VerificationNameDefaultsToThePeerAddress) {
  DtlsPair p;
  ASSERT_TRUE(p.client.setPeer(p.server_address, DtlsPair::kServerPort));  // no name
  EXPECT_TRUE(p.handshake()) << p.why();  // server.pem has IP:127.0.0.1
}

TEST_P(ConnectionVerificationTest, AddressNotInTheCertificateIsAMismatch) {
  DtlsPair p;
  p.server_address = HostAddress("127.0.0.2");
  ASSERT_TRUE(p.client.setPeer(p.server_address, DtlsPair::kServerPort));
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(codes(p.client.peerVerificationErrors()),
            std::vector<SslError::Error>{SslError::HostNameMismatch});
}

TEST_P(ConnectionVerificationTest, VerifyNoneClientAcceptsAnyServer) {
  Configuration client = untrustingClient();
  client.setPeerVerifyMode(PeerVerifyMode::VerifyNone);
  DtlsPair p(client, serverWith("wrong-host.pem", "wrong-host.key.pem"));
  EXPECT_TRUE(p.handshake()) << p.why();
  EXPECT_TRUE(p.client.peerVerificationErrors().empty());
}

struct BadIdentity {
  const char* name;
  const char* key;  // null: no key
  const char* message;
};

class ConnectionBadServerIdentityTest : public test::BackendRowTest<BadIdentity> {};

TEST_P(ConnectionBadServerIdentityTest, FailsTheServerWithTlsInitializationError) {
  DtlsPair p(DtlsPair::clientConfig(), serverWith("server-chain.pem", row().key));
  EXPECT_FALSE(p.handshake());
  if (activeBackend() == "wolfssl" && row().key != nullptr) {
    // wolfSSL 5.5.4's wolfSSL_CTX_check_private_key accepts any P-256 key for a P-256
    // certificate: wc_CheckPrivateKey (wolfcrypt/src/asn.c) pairs the private scalar with the
    // certificate's point and calls wc_ecc_check_key, which compares private * G with that
    // point only under WOLFSSL_VALIDATE_ECC_IMPORT (wolfcrypt/src/ecc.c
    // _ecc_validate_public_key), not in Debian's build. The server signs with the wrong key and
    // the client refuses the ServerKeyExchange (RFC 5246 §7.4.3). When this row fails, wolfSSL
    // checks the pair.
    EXPECT_EQ(p.client.dtlsError(), DtlsError::TlsFatalError) << p.why();
    EXPECT_THAT(p.client.dtlsErrorString(), HasSubstr("verify problem based on signature"));
    EXPECT_FALSE(p.server.isConnectionEncrypted());
    return;
  }
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsInitializationError) << p.why();
  EXPECT_EQ(p.server.dtlsErrorString(), row().message);
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
}

INSTANTIATE_TEST_SUITE_P(
    Keys, ConnectionBadServerIdentityTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        BadIdentity{"NoPrivateKey", nullptr,
                    "doHandshake: the local certificate 'server.dtlsim.test' has no private key"},
        BadIdentity{"KeyOfAnotherCertificate", "client.key.pem",
                    "doHandshake: the private key does not match the local certificate "
                    "'server.dtlsim.test'"})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

// ---- Client certificates across the server's verify modes --------------------------------------

enum class ClientId { None, SelfSigned, ServerCert, ClientCert, ClientChain };

Configuration clientWith(ClientId id) {
  Configuration c = DtlsPair::clientConfig();
  auto use = [&](std::vector<Certificate> chain, const char* key) {
    c.setLocalCertificateChain(chain);
    c.setPrivateKey(test::loadKey(key));
  };
  switch (id) {
    case ClientId::None: break;
    case ClientId::SelfSigned: use({test::loadCert("self-signed.pem")}, "self-signed.key.pem"); break;
    case ClientId::ServerCert:
      use(Certificate::fromPath(test::certPath("server-chain.pem")), "server.key.pem");
      break;
    case ClientId::ClientCert: use({test::loadCert("client.pem")}, "client.key.pem"); break;
    case ClientId::ClientChain:
      use({test::loadCert("client.pem"), test::loadCert("ca.pem")}, "client.key.pem");
      break;
  }
  return c;
}

const char* leafOf(ClientId id) {
  switch (id) {
    case ClientId::None: return nullptr;
    case ClientId::SelfSigned: return "self-signed.pem";
    case ClientId::ServerCert: return "server.pem";
    case ClientId::ClientCert:
    case ClientId::ClientChain: return "client.pem";
  }
  return nullptr;
}

struct ClientCertCase {
  const char* name;
  PeerVerifyMode server_mode;
  ClientId client;
  bool completes;
  std::vector<SslError::Error> errors;  // what the server reports
  bool server_sees_certificate;
};

class ConnectionClientCertificateTest : public test::BackendRowTest<ClientCertCase> {};

TEST_P(ConnectionClientCertificateTest, ServerVerifiesAsConfigured) {
  const ClientCertCase& row = this->row();
  Configuration server = DtlsPair::serverConfig();
  server.setCaCertificates({test::loadCert("ca.pem")});
  server.setPeerVerifyMode(row.server_mode);
  DtlsPair p(clientWith(row.client), server);
  EXPECT_EQ(p.handshake(), row.completes) << p.why();
  EXPECT_EQ(codes(p.server.peerVerificationErrors()), row.errors);
  if (row.completes) {
    EXPECT_EQ(p.server.dtlsError(), DtlsError::NoError);
  } else {
    EXPECT_EQ(p.server.handshakeState(), Connection::PeerVerificationFailed);
    EXPECT_EQ(p.server.dtlsError(), DtlsError::PeerVerificationError);
    EXPECT_THAT(p.server.dtlsErrorString(), StartsWith("doHandshake: peer verification failed: "));
  }
  const Certificate seen = p.server.dtlsConfiguration().peerCertificate();
  if (row.server_sees_certificate) {
    EXPECT_EQ(seen, test::loadCert(leafOf(row.client)));
  } else {
    EXPECT_TRUE(seen.isNull());
  }
}

constexpr auto kNone = PeerVerifyMode::VerifyNone;
constexpr auto kQuery = PeerVerifyMode::QueryPeer;
constexpr auto kVerify = PeerVerifyMode::VerifyPeer;
constexpr auto kAuto = PeerVerifyMode::AutoVerifyPeer;
using E = SslError;

INSTANTIATE_TEST_SUITE_P(
    Matrix, ConnectionClientCertificateTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        // VerifyNone: no CertificateRequest, whatever the client has.
        ClientCertCase{"VerifyNone_NoCert", kNone, ClientId::None, true, {}, false},
        ClientCertCase{"VerifyNone_SelfSigned", kNone, ClientId::SelfSigned, true, {}, false},
        ClientCertCase{"VerifyNone_ServerCert", kNone, ClientId::ServerCert, true, {}, false},
        ClientCertCase{"VerifyNone_ClientCert", kNone, ClientId::ClientCert, true, {}, false},
        ClientCertCase{"VerifyNone_ClientChain", kNone, ClientId::ClientChain, true, {}, false},
        // QueryPeer: asks, keeps what it gets, never fails.
        ClientCertCase{"QueryPeer_NoCert", kQuery, ClientId::None, true, {}, false},
        ClientCertCase{"QueryPeer_SelfSigned", kQuery, ClientId::SelfSigned, true, {}, true},
        ClientCertCase{"QueryPeer_ServerCert", kQuery, ClientId::ServerCert, true, {}, true},
        ClientCertCase{"QueryPeer_ClientCert", kQuery, ClientId::ClientCert, true, {}, true},
        ClientCertCase{"QueryPeer_ClientChain", kQuery, ClientId::ClientChain, true, {}, true},
        // VerifyPeer: a valid client certificate (for clientAuth) is required. The server's
        // own certificate is for serverAuth only.
        ClientCertCase{"VerifyPeer_NoCert", kVerify, ClientId::None, false,
                       {E::NoPeerCertificate}, false},
        ClientCertCase{"VerifyPeer_SelfSigned", kVerify, ClientId::SelfSigned, false,
                       {E::SelfSignedCertificate}, true},
        ClientCertCase{"VerifyPeer_ServerCert", kVerify, ClientId::ServerCert, false,
                       {E::InvalidPurpose}, true},
        ClientCertCase{"VerifyPeer_ClientCert", kVerify, ClientId::ClientCert, true, {}, true},
        ClientCertCase{"VerifyPeer_ClientChain", kVerify, ClientId::ClientChain, true, {}, true},
        // AutoVerifyPeer on a server is QueryPeer.
        ClientCertCase{"Auto_NoCert", kAuto, ClientId::None, true, {}, false},
        ClientCertCase{"Auto_SelfSigned", kAuto, ClientId::SelfSigned, true, {}, true},
        ClientCertCase{"Auto_ServerCert", kAuto, ClientId::ServerCert, true, {}, true},
        ClientCertCase{"Auto_ClientCert", kAuto, ClientId::ClientCert, true, {}, true},
        ClientCertCase{"Auto_ClientChain", kAuto, ClientId::ClientChain, true, {}, true})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

TEST_P(ConnectionVerificationTest, ServerIgnoresAMissingClientCertificateAndResumes) {
  Configuration server = DtlsPair::serverConfig();
  server.setPeerVerifyMode(PeerVerifyMode::VerifyPeer);
  DtlsPair p(DtlsPair::clientConfig(), server);
  ASSERT_FALSE(p.handshake());
  ASSERT_EQ(p.server.handshakeState(), Connection::PeerVerificationFailed) << p.why();
  p.server.ignoreVerificationErrors({SslError(SslError::NoPeerCertificate)});
  ASSERT_TRUE(p.server.resumeHandshake(&p.server_socket)) << p.why();
  EXPECT_TRUE(p.bothEncrypted()) << p.why();
}

// missingCertificateIsFatal: OpenSSL itself refuses a client without a certificate
// (SSL_VERIFY_FAIL_IF_NO_PEER_CERT), with an alert: nothing to ignore, both sides start over.
TEST_P(ConnectionVerificationTest, MissingCertificateIsFatalFailsBothSides) {
  Configuration server = DtlsPair::serverConfig();
  server.setPeerVerifyMode(PeerVerifyMode::VerifyPeer);
  server.setMissingCertificateIsFatal(true);
  DtlsPair p(DtlsPair::clientConfig(), server);
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsFatalError) << p.why();
  EXPECT_THAT(p.server.dtlsErrorString(), HasSubstr("certificate"));
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::TlsFatalError) << p.why();
  EXPECT_THAT(p.client.dtlsErrorString(), HasSubstr("the peer sent fatal"));
}

TEST_P(ConnectionVerificationTest, MissingCertificateIsFatalWithACertificateCompletes) {
  Configuration server = DtlsPair::serverConfig();
  server.setCaCertificates({test::loadCert("ca.pem")});
  server.setPeerVerifyMode(PeerVerifyMode::VerifyPeer);
  server.setMissingCertificateIsFatal(true);
  DtlsPair p(clientWith(ClientId::ClientCert), server);
  EXPECT_TRUE(p.handshake()) << p.why();
}

// handshakeMustInterruptOnError: OpenSSL stops at the first error with an alert; the decision
// can only be abortHandshake().
TEST_P(ConnectionVerificationTest, InterruptOnErrorStopsAtTheFirstError) {
  Configuration client = untrustingClient();
  client.setHandshakeMustInterruptOnError(true);
  DtlsPair p(client);
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::PeerVerificationError);
  EXPECT_EQ(p.client.dtlsErrorString(),
            "doHandshake: peer verification failed (interrupted at the first error): The "
            "issuer certificate of a locally looked up certificate could not be found");
  EXPECT_EQ(codes(p.client.peerVerificationErrors()),
            std::vector<SslError::Error>{SslError::UnableToGetLocalIssuerCertificate});
  EXPECT_EQ(p.clock.pendingTimers(), 0u) << p.why();
  // The server got the alert.
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsFatalError) << p.why();

  p.client.ignoreVerificationErrors(p.client.peerVerificationErrors());
  EXPECT_FALSE(p.client.resumeHandshake(&p.client_socket));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidOperation);
  EXPECT_THAT(p.client.dtlsErrorString(), HasSubstr("cannot be resumed; call abortHandshake()"));
  ASSERT_TRUE(p.client.abortHandshake(&p.client_socket));
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeNotStarted);
}

TEST_P(ConnectionVerificationTest, InterruptOnErrorPassesErrorsIgnoredInAdvance) {
  Configuration client = DtlsPair::clientConfig();
  client.setHandshakeMustInterruptOnError(true);
  DtlsPair p(client, serverWith("expired.pem", "expired.key.pem"));
  const Certificate expired = test::loadCert("expired.pem");
  p.client.ignoreVerificationErrors({SslError(SslError::CertificateExpired, expired),
                                     SslError(SslError::HostNameMismatch, expired)});
  EXPECT_TRUE(p.handshake()) << p.why();
}

// QueryPeer asks for a certificate without requiring a valid one: nothing to interrupt for.
TEST_P(ConnectionVerificationTest, InterruptOnErrorDoesNotApplyToQueryPeer) {
  Configuration server = DtlsPair::serverConfig();
  server.setPeerVerifyMode(PeerVerifyMode::QueryPeer);
  server.setHandshakeMustInterruptOnError(true);
  DtlsPair p(clientWith(ClientId::SelfSigned), server);
  EXPECT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.server.dtlsConfiguration().peerCertificate(), test::loadCert("self-signed.pem"));
  EXPECT_TRUE(p.server.peerVerificationErrors().empty());
}

// ---- Blacklisted certificates (Certificate::isBlacklisted) -------------------------------------

// A self-signed certificate with the serial number and CN of one of the fraudulent Comodo
// certificates of 2011 on Qt's list; no real one can be in the test PKI.
struct Identity {
  Certificate certificate;
  Key key;
};

Identity makeBlacklistedIdentity() {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  X509* x509 = X509_new();
  BIGNUM* serial = nullptr;
  BN_hex2bn(&serial, "047ECBE9FCA55F7BD09EAE36E10CAE1E");
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x509));
  BN_free(serial);
  X509_set_version(x509, 2);
  ASN1_TIME_set_string(X509_getm_notBefore(x509), "20200101000000Z");
  ASN1_TIME_set_string(X509_getm_notAfter(x509), "20991231235959Z");
  X509_NAME* name = X509_get_subject_name(x509);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("mail.google.com"), -1, -1, 0);
  X509_set_issuer_name(x509, name);
  X509_set_pubkey(x509, pkey);
  X509_sign(x509, pkey, EVP_sha256());
  Identity id{Certificate::fromHandle(x509), Key::fromHandle(pkey)};
  X509_free(x509);
  EVP_PKEY_free(pkey);
  return id;
}

class ConnectionBlacklistTest : public test::BackendTest {};

TEST_P(ConnectionBlacklistTest, CheckFunctionNamesEveryBlacklistedCertificate) {
  const Identity bad = makeBlacklistedIdentity();
  ASSERT_TRUE(bad.certificate.isBlacklisted());
  const Certificate good = test::loadCert("server.pem");
  EXPECT_TRUE(detail::blacklistErrors({good, test::loadCert("ca.pem")}).empty());
  EXPECT_EQ(detail::blacklistErrors({good, bad.certificate}),
            std::vector<SslError>{SslError(SslError::CertificateBlacklisted, bad.certificate)});
}

// OpenSSL accepts the certificate (the client trusts it and the name matches); the connection
// still reports CertificateBlacklisted, as QDtls does.
TEST_P(ConnectionBlacklistTest, ClientRefusesABlacklistedServerCertificate) {
  const Identity bad = makeBlacklistedIdentity();
  Configuration client = DtlsPair::clientConfig();
  client.setCaCertificates({bad.certificate});
  Configuration server = DtlsPair::serverConfig();
  server.setLocalCertificateChain({bad.certificate});
  server.setPrivateKey(bad.key);
  DtlsPair p(client, server);
  ASSERT_TRUE(p.client.setPeerVerificationName("mail.google.com"));
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);
  EXPECT_EQ(p.client.peerVerificationErrors(),
            std::vector<SslError>{SslError(SslError::CertificateBlacklisted, bad.certificate)});
  EXPECT_EQ(p.client.dtlsErrorString(), "doHandshake: peer verification failed: " +
                                            SslError::errorString(SslError::CertificateBlacklisted));
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionVerificationTest);
DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionBlacklistTest);

// ---- Peer verification depth ---------------------------------------------------------------------

// scenarios/catalog/certs: a leaf under three intermediate CAs under a root (levels 0 to 4).
const std::string kBigChain = "../../../scenarios/catalog/certs/";  // from tests/data/certs

Configuration bigChainServer() {
  Configuration c = DtlsPair::serverConfig();
  c.setLocalCertificateChain(Certificate::fromPath(test::certPath(kBigChain + "big-server-chain.pem")));
  c.setPrivateKey(test::loadKey(kBigChain + "big-server.key.pem"));
  return c;
}

Configuration bigChainClient(int depth) {
  Configuration c = DtlsPair::clientConfig();
  c.setCaCertificates(Certificate::fromPath(test::certPath(kBigChain + "big-root.pem")));
  c.setPeerVerifyDepth(depth);
  return c;
}

class ConnectionVerifyDepthTest : public test::BackendTest {};

// As OpenSSL's verify depth: depth d admits d intermediate CAs below the trust anchor.
TEST_P(ConnectionVerifyDepthTest, ThreeIntermediatesPassAtDepthThree) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::PeerVerifyDepth);
  DtlsPair p(bigChainClient(3), bigChainServer());
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_TRUE(p.client.peerVerificationErrors().empty());
}

TEST_P(ConnectionVerifyDepthTest, ThreeIntermediatesFailAtDepthTwo) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::PeerVerifyDepth);
  DtlsPair p(bigChainClient(2), bigChainServer());
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.handshakeState(), Connection::PeerVerificationFailed);
  // The chain is too long (OpenSSL's X509_V_ERR_CERT_CHAIN_TOO_LONG, which Qt names no better
  // than UnspecifiedError) at the certificate past the limit; the stacks then differ in what
  // they say of the rest: OpenSSL that the truncated chain has no local issuer, wolfSSL
  // (ProcessPeerCerts and its final check, both under OPENSSL_EXTRA) the same error twice.
  const std::vector<SslError>& errors = p.client.peerVerificationErrors();
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].error(), SslError::UnspecifiedError);
  EXPECT_EQ(errors[0].certificate().subjectDisplayName(), "dtlsim Large Chain Intermediate CA 1");
  const std::map<std::string, std::vector<SslError::Error>> all = {
      {"openssl", {SslError::UnspecifiedError, SslError::UnableToGetLocalIssuerCertificate}},
      {"wolfssl", {SslError::UnspecifiedError, SslError::UnspecifiedError}}};
  ASSERT_EQ(all.count(activeBackend()), 1u) << activeBackend();
  EXPECT_EQ(codes(errors), all.at(activeBackend()));
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionVerifyDepthTest);

}  // namespace
}  // namespace dtls
