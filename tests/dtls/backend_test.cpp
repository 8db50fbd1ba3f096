// dtls/backend.h: which backends exist, what each implements, and the backend an object is on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dtls/backend.h"
#include "dtls/client_verifier.h"
#include "dtls/connection.h"
#include "support/dtls_pair.h"
#include "support/recording_socket.h"

namespace dtls {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(BackendQueryTest, OpensslIsTheDefaultAndListedFirst) {
  EXPECT_THAT(availableBackends(), ElementsAre("openssl", "mbedtls", "gnutls", "wolfssl"));
  EXPECT_EQ(activeBackend(), "openssl");
  EXPECT_EQ(Connection(SslMode::SslClientMode).backend(), "openssl");
  EXPECT_EQ(ClientVerifier().backend(), "openssl");
}

TEST(BackendQueryTest, SetActiveBackendBindsObjectsBuiltAfterwards) {
  Connection before(SslMode::SslClientMode);
  ASSERT_TRUE(setActiveBackend("mbedtls"));
  Connection after(SslMode::SslClientMode);
  ClientVerifier verifier;
  ASSERT_TRUE(setActiveBackend("openssl"));
  EXPECT_EQ(before.backend(), "openssl");
  EXPECT_EQ(after.backend(), "mbedtls");
  EXPECT_EQ(verifier.backend(), "mbedtls");
}

TEST(BackendQueryTest, UnknownNamesAreRefused) {
  EXPECT_FALSE(setActiveBackend("nosuchtls"));
  EXPECT_FALSE(setActiveBackend(""));
  EXPECT_EQ(activeBackend(), "openssl");
  EXPECT_FALSE(isClassImplemented(ImplementedClass::Dtls, "nosuchtls"));
  EXPECT_FALSE(isFeatureSupported(SupportedFeature::Psk, "nosuchtls"));
  EXPECT_TRUE(supportedProtocols("nosuchtls").empty());
  EXPECT_TRUE(backendVersion("nosuchtls").empty());
}

TEST(BackendQueryTest, ClassesAndProtocols) {
  for (const std::string& backend : availableBackends()) {
    EXPECT_TRUE(isClassImplemented(ImplementedClass::Dtls, backend)) << backend;
    EXPECT_TRUE(isClassImplemented(ImplementedClass::DtlsCookie, backend)) << backend;
    EXPECT_FALSE(isClassImplemented(ImplementedClass::Socket, backend)) << backend;
    EXPECT_THAT(supportedProtocols(backend),
                ElementsAre(SslProtocol::DtlsV1_0, SslProtocol::DtlsV1_0OrLater,
                            SslProtocol::DtlsV1_2, SslProtocol::DtlsV1_2OrLater));
  }
  EXPECT_THAT(backendVersion("openssl"), StartsWith("OpenSSL 3."));
  EXPECT_THAT(backendVersion("mbedtls"), StartsWith("mbed TLS 2.28"));
  EXPECT_THAT(backendVersion("gnutls"), StartsWith("GnuTLS 3.7"));
  EXPECT_THAT(backendVersion("wolfssl"), StartsWith("wolfSSL 5.5"));
}

TEST(BackendQueryTest, FeaturesDifferWhereTheStacksDo) {
  EXPECT_TRUE(isFeatureSupported(SupportedFeature::BackendConfiguration, "openssl"));
  EXPECT_FALSE(isFeatureSupported(SupportedFeature::BackendConfiguration, "mbedtls"));
  EXPECT_TRUE(isFeatureSupported(SupportedFeature::PskIdentityHint, "openssl"));
  EXPECT_FALSE(isFeatureSupported(SupportedFeature::PskIdentityHint, "mbedtls"));
  EXPECT_FALSE(isFeatureSupported(SupportedFeature::BackendConfiguration, "gnutls"));
  EXPECT_TRUE(isFeatureSupported(SupportedFeature::PskIdentityHint, "gnutls"));
  EXPECT_FALSE(isFeatureSupported(SupportedFeature::PeerVerifyDepth, "gnutls"));
  EXPECT_TRUE(isFeatureSupported(SupportedFeature::PskIdentityHint, "wolfssl"));
  EXPECT_TRUE(isFeatureSupported(SupportedFeature::MtuControl, "mbedtls"));
  EXPECT_FALSE(isFeatureSupported(SupportedFeature::MtuControl, "wolfssl"));
  for (const std::string& backend : availableBackends()) {
    EXPECT_TRUE(isFeatureSupported(SupportedFeature::CertificateVerification, backend));
    EXPECT_TRUE(isFeatureSupported(SupportedFeature::Psk, backend));
    EXPECT_TRUE(isFeatureSupported(SupportedFeature::ClientSideAlpn, backend));
  }
}

TEST(BackendQueryTest, AConnectionOnAnUnknownBackendFailsItsHandshake) {
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode, nullptr, "nosuchtls");
  EXPECT_EQ(c.backend(), "nosuchtls");
  ASSERT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 4433));
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::TlsInitializationError);
  EXPECT_EQ(c.dtlsErrorString(),
            "doHandshake: no DTLS backend is named 'nosuchtls' (available: openssl, mbedtls, gnutls, "
            "wolfssl)");
  EXPECT_EQ(c.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_TRUE(socket.sent().empty());
}

TEST(BackendQueryTest, AVerifierOnAnUnknownBackendFails) {
  test::RecordingSocket socket;
  ClientVerifier v("nosuchtls");
  EXPECT_FALSE(v.verifyClient(&socket, "hello", HostAddress("127.0.0.1"), 5000));
  EXPECT_EQ(v.dtlsError(), DtlsError::TlsInitializationError);
  EXPECT_THAT(v.dtlsErrorString(), HasSubstr("no DTLS backend is named 'nosuchtls'"));
}

TEST(BackendQueryTest, AMissingFeatureFailsTheFirstHandshakeNamingBackendAndFeature) {
  Configuration config = test::DtlsPair::clientConfig();
  config.setBackendConfigurationOption("Options", "-ServerPreference");
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode, nullptr, "mbedtls");
  ASSERT_TRUE(c.setDtlsConfiguration(config));
  ASSERT_TRUE(c.setPeer(HostAddress("127.0.0.1"), 4433));
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::TlsInitializationError);
  EXPECT_EQ(c.dtlsErrorString(),
            "doHandshake: the mbedtls backend lacks BackendConfiguration, which "
            "setBackendConfiguration() needs");
  EXPECT_TRUE(socket.sent().empty());
}

// A server continues only what its own backend's verifier accepted: the cookie formats differ.
TEST(BackendQueryTest, ACookieOfAnotherBackendDoesNotVerify) {
  test::DtlsPair p({"openssl", "mbedtls"});
  ClientVerifier openssl_verifier("openssl");
  ASSERT_TRUE(openssl_verifier.setCookieGeneratorParameters(p.verifier.cookieGeneratorParameters()));
  ASSERT_TRUE(p.client.doHandshake(&p.client_socket));
  const ByteArray first = p.client_socket.take().front();
  EXPECT_FALSE(openssl_verifier.verifyClient(&p.server_socket, first, p.client_address,
                                             test::DtlsPair::kClientPort));
  p.client.doHandshake(&p.client_socket, p.server_socket.take().front());
  const ByteArray with_cookie = p.client_socket.take().front();
  EXPECT_TRUE(openssl_verifier.verifyClient(&p.server_socket, with_cookie, p.client_address,
                                            test::DtlsPair::kClientPort));
  EXPECT_FALSE(p.server.doHandshake(&p.server_socket, openssl_verifier.verifiedHello()));
  EXPECT_EQ(p.server.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_THAT(p.server.dtlsErrorString(), HasSubstr("not a ClientHello with a valid cookie"));
}

}  // namespace
}  // namespace dtls
