// Tests of scenarios/loader/endpoint_config.cpp and names.cpp: DtlsConfig -> Configuration
// and the name tables.

#include "scenarios/endpoint_config.h"

#include <gtest/gtest.h>

namespace scenarios {
namespace {

const std::string kDataDir = std::string(DTLSIM_TEST_DATA_DIR) + "/scenarios";

class EndpointConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(loadScenarioFile(kDataDir + "/full.textproto", &loaded_, &error)) << error;
  }
  LoadedScenario loaded_;
};

TEST_F(EndpointConfigTest, ServerConfiguration) {
  dtls::Configuration c;
  std::string error;
  ASSERT_TRUE(buildConfiguration(loaded_, 0, &c, &error)) << error;
  EXPECT_EQ(c.protocol(), dtls::SslProtocol::DtlsV1_2);
  ASSERT_EQ(c.localCertificateChain().size(), 2u);
  EXPECT_FALSE(c.privateKey().isNull());
  EXPECT_EQ(c.privateKey().algorithm(), dtls::KeyAlgorithm::Ec);
  EXPECT_EQ(c.caCertificates().size(), 1u);
  EXPECT_EQ(c.peerVerifyMode(), dtls::PeerVerifyMode::VerifyPeer);
  EXPECT_EQ(c.peerVerifyDepth(), 3);
  ASSERT_EQ(c.ciphers().size(), 2u);
  EXPECT_EQ(c.ciphers()[0].name(), "ECDHE-ECDSA-AES128-GCM-SHA256");
  ASSERT_EQ(c.ellipticCurves().size(), 2u);
  EXPECT_EQ(c.ellipticCurves()[1].shortName(), "X25519");
  EXPECT_EQ(c.preSharedKeyIdentityHint(), "hint");
  EXPECT_EQ(c.allowedNextProtocols(), std::vector<dtls::ByteArray>{"coap"});
  EXPECT_FALSE(c.dtlsCookieVerificationEnabled());
  EXPECT_TRUE(c.missingCertificateIsFatal());
  EXPECT_TRUE(c.testSslOption(dtls::SslOption::SslOptionDisableSessionPersistence));
  EXPECT_EQ(c.backendConfiguration(), (std::map<dtls::ByteArray, dtls::ByteArray>{{"Options", "-SessionTicket"}}));
}

TEST_F(EndpointConfigTest, ClientConfiguration) {
  dtls::Configuration c;
  std::string error;
  ASSERT_TRUE(buildConfiguration(loaded_, 1, &c, &error)) << error;
  const dtls::Configuration d = dtls::Configuration::defaultDtlsConfiguration();
  EXPECT_EQ(c.protocol(), dtls::SslProtocol::DtlsV1_2OrLater);
  EXPECT_EQ(c.localCertificateChain().size(), 1u);
  EXPECT_FALSE(c.privateKey().isNull());
  EXPECT_EQ(c.caCertificates().size(), 2u);
  EXPECT_EQ(c.peerVerifyMode(), d.peerVerifyMode());
  EXPECT_EQ(c.ciphers(), d.ciphers());
  EXPECT_TRUE(c.dtlsCookieVerificationEnabled());
  EXPECT_FALSE(c.testSslOption(dtls::SslOption::SslOptionDisableSessionPersistence));
  EXPECT_EQ(ignoredErrors(loaded_.scenario.endpoints(1).dtls()),
            (std::vector<dtls::SslError::Error>{dtls::SslError::HostNameMismatch, dtls::SslError::CertificateExpired}));
  EXPECT_EQ(pskKey(loaded_.scenario.endpoints(1).dtls()), std::string("\x01\x02", 2));
  EXPECT_EQ(pskKey(loaded_.scenario.endpoints(0).dtls()), std::string("\x00\xa1\xff", 3));
}

TEST_F(EndpointConfigTest, NoDtlsSectionGivesDefaultsWithoutCaCertificates) {
  dtls::Configuration c;
  std::string error;
  ASSERT_TRUE(buildConfiguration(loaded_, 2, &c, &error)) << error;
  EXPECT_TRUE(c.caCertificates().empty());
  EXPECT_TRUE(c.localCertificate().isNull());
  EXPECT_TRUE(c.privateKey().isNull());
  EXPECT_EQ(c.protocol(), dtls::SslProtocol::DtlsV1_2OrLater);
  EXPECT_TRUE(ignoredErrors(loaded_.scenario.endpoints(2).dtls()).empty());
  EXPECT_TRUE(pskKey(loaded_.scenario.endpoints(2).dtls()).empty());
}

TEST_F(EndpointConfigTest, RsaKey) {
  auto* d = loaded_.scenario.mutable_endpoints(0)->mutable_dtls();
  d->set_certificate_chain("../certs/server-rsa.pem");
  d->set_private_key("../certs/server-rsa.key.pem");
  d->clear_private_key_passphrase();
  d->clear_ciphers();
  dtls::Configuration c;
  std::string error;
  ASSERT_TRUE(buildConfiguration(loaded_, 0, &c, &error)) << error;
  EXPECT_EQ(c.privateKey().algorithm(), dtls::KeyAlgorithm::Rsa);
}

TEST_F(EndpointConfigTest, ErrorsLeaveOutputUnchanged) {
  loaded_.scenario.mutable_endpoints(0)->mutable_dtls()->set_private_key_passphrase("wrong");
  dtls::Configuration c;
  c.setPeerVerifyDepth(7);
  std::string error;
  EXPECT_FALSE(buildConfiguration(loaded_, 0, &c, &error));
  EXPECT_EQ(error.rfind(kDataDir + "/full.textproto:48:5: endpoints[0].dtls.private_key: '../certs/server.key.encrypted.pem' (resolved to ", 0), 0u) << error;
  EXPECT_EQ(c.peerVerifyDepth(), 7);
  EXPECT_FALSE(buildConfiguration(loaded_, 3, &c, &error));
  EXPECT_EQ(error, kDataDir + "/full.textproto: endpoint index 3 out of range (the scenario has 3 endpoints)");
  EXPECT_FALSE(buildConfiguration(loaded_, -1, &c, &error));
}

TEST(NamesTest, EveryEnumeratorRoundTrips) {
  for (int v = 0; v <= static_cast<int>(dtls::SslProtocol::TlsV1_3OrLater); ++v) {
    const auto p = static_cast<dtls::SslProtocol>(v);
    EXPECT_EQ(sslProtocolFromName(dtls::toString(p)), p);
  }
  EXPECT_EQ(sslProtocolFromName("UnknownProtocol"), std::nullopt);
  for (int v = 0; v <= 3; ++v) {
    const auto m = static_cast<dtls::PeerVerifyMode>(v);
    EXPECT_EQ(peerVerifyModeFromName(dtls::toString(m)), m);
  }
  for (int v = 0; v <= 8; ++v) {
    const auto e = static_cast<dtls::DtlsError>(v);
    EXPECT_EQ(dtlsErrorFromName(dtls::toString(e)), e);
  }
  for (int v = 0; v <= 3; ++v) {
    const auto s = static_cast<dtls::Connection::HandshakeState>(v);
    EXPECT_EQ(handshakeStateFromName(handshakeStateName(s)), s);
  }
  for (int v = -1; v <= 36; ++v) {
    const auto e = static_cast<dtls::SslError::Error>(v);
    EXPECT_EQ(sslErrorFromName(dtls::SslError::toString(e)), e) << v;
  }
}

TEST(NamesTest, Lookups) {
  EXPECT_EQ(sslProtocolFromName("DtlsV1_2OrLater"), dtls::SslProtocol::DtlsV1_2OrLater);
  EXPECT_EQ(sslProtocolFromName("dtlsv1_2"), std::nullopt);
  EXPECT_EQ(peerVerifyModeFromName("QueryPeer"), dtls::PeerVerifyMode::QueryPeer);
  EXPECT_EQ(dtlsErrorFromName("TlsFatalError"), dtls::DtlsError::TlsFatalError);
  EXPECT_EQ(handshakeStateFromName("HandshakeComplete"), dtls::Connection::HandshakeComplete);
  EXPECT_EQ(handshakeStateFromName(""), std::nullopt);
  EXPECT_EQ(sslErrorFromName("CertificateExpired"), dtls::SslError::CertificateExpired);
  EXPECT_EQ(sslErrorFromName("OcspSigRequred"), dtls::SslError::OcspSigRequred);
  EXPECT_EQ(sslErrorFromName("Unknown"), std::nullopt);
  EXPECT_EQ(peerVerifyModeNames(), "VerifyNone, QueryPeer, VerifyPeer, AutoVerifyPeer");
  EXPECT_EQ(handshakeStateNames(), "HandshakeNotStarted, HandshakeInProgress, PeerVerificationFailed, HandshakeComplete");
  EXPECT_NE(sslProtocolNames().find("DtlsV1_2OrLater"), std::string::npos);
  EXPECT_EQ(sslProtocolNames().find("UnknownProtocol"), std::string::npos);
  EXPECT_NE(dtlsErrorNames().find("TlsNonFatalError"), std::string::npos);
  EXPECT_NE(sslErrorNames().find("UnspecifiedError"), std::string::npos);
  EXPECT_EQ(handshakeStateName(static_cast<dtls::Connection::HandshakeState>(9)), std::string("Unknown"));
}

TEST(NamesTest, HexDecode) {
  struct Row {
    const char* hex;
    bool ok;
    std::string bytes;
  };
  const Row rows[] = {
      {"", true, ""},       {"00", true, std::string(1, '\0')}, {"aBcD", true, "\xab\xcd"},
      {"abc", false, ""},   {"0g", false, ""},                   {"0x00", false, ""},
      {"00 11", false, ""}, {"-1", false, ""},
  };
  for (const Row& r : rows) {
    dtls::ByteArray out = "unchanged";
    EXPECT_EQ(hexDecode(r.hex, &out), r.ok) << r.hex;
    EXPECT_EQ(out, r.ok ? r.bytes : "unchanged") << r.hex;
  }
}

}  // namespace
}  // namespace scenarios
