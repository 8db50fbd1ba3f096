#include "dtls/configuration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "configuration_access.h"
#include "support/test_data.h"

namespace dtls {
namespace {

using test::certPath;
using test::loadCert;
using test::loadKey;

// ---- Null, copy, equality ---------------------------------------------------------------------

TEST(ConfigurationTest, DefaultConstructedIsNullWithDocumentedDefaults) {
  Configuration c;
  EXPECT_TRUE(c.isNull());
  EXPECT_EQ(c.protocol(), SslProtocol::SecureProtocols);
  EXPECT_EQ(c.peerVerifyMode(), PeerVerifyMode::AutoVerifyPeer);
  EXPECT_EQ(c.peerVerifyDepth(), 0);
  EXPECT_TRUE(c.localCertificate().isNull());
  EXPECT_TRUE(c.localCertificateChain().empty());
  EXPECT_TRUE(c.privateKey().isNull());
  EXPECT_TRUE(c.ciphers().empty());
  EXPECT_TRUE(c.ellipticCurves().empty());
  EXPECT_TRUE(c.caCertificates().empty());
  EXPECT_TRUE(c.dtlsCookieVerificationEnabled());
  EXPECT_FALSE(c.missingCertificateIsFatal());
  EXPECT_FALSE(c.handshakeMustInterruptOnError());
  EXPECT_FALSE(c.ocspStaplingEnabled());
  EXPECT_TRUE(c.preSharedKeyIdentityHint().empty());
  EXPECT_TRUE(c.allowedNextProtocols().empty());
  EXPECT_TRUE(c.backendConfiguration().empty());
  EXPECT_EQ(c.diffieHellmanParameters(), DiffieHellmanParameters::defaultParameters());
}

TEST(ConfigurationTest, DefaultSslOptionsAreQtsSafeSet) {
  Configuration c;
  EXPECT_TRUE(c.testSslOption(SslOption::SslOptionDisableEmptyFragments));
  EXPECT_TRUE(c.testSslOption(SslOption::SslOptionDisableLegacyRenegotiation));
  EXPECT_TRUE(c.testSslOption(SslOption::SslOptionDisableCompression));
  EXPECT_TRUE(c.testSslOption(SslOption::SslOptionDisableSessionPersistence));
  EXPECT_FALSE(c.testSslOption(SslOption::SslOptionDisableSessionTickets));
  EXPECT_FALSE(c.testSslOption(SslOption::SslOptionDisableServerNameIndication));
  EXPECT_FALSE(c.testSslOption(SslOption::SslOptionDisableSessionSharing));
  EXPECT_FALSE(c.testSslOption(SslOption::SslOptionDisableServerCipherPreference));
}

TEST(ConfigurationTest, SessionStateIsEmptyBeforeAnyHandshake) {
  Configuration c = Configuration::defaultDtlsConfiguration();
  EXPECT_TRUE(c.peerCertificate().isNull());
  EXPECT_TRUE(c.peerCertificateChain().empty());
  EXPECT_TRUE(c.sessionCipher().isNull());
  EXPECT_EQ(c.sessionProtocol(), SslProtocol::UnknownProtocol);
  EXPECT_TRUE(c.ephemeralServerKey().isNull());
  EXPECT_TRUE(c.nextNegotiatedProtocol().empty());
  EXPECT_EQ(c.nextProtocolNegotiationStatus(), Configuration::NextProtocolNegotiationNone);
  EXPECT_TRUE(c.sessionTicket().empty());
  EXPECT_EQ(c.sessionTicketLifeTimeHint(), -1);
}

// Every setter makes a null configuration non-null, even when it sets the default value.
struct SetterCase {
  const char* name;
  void (*apply)(Configuration&);
};

class ConfigurationSetterTest : public ::testing::TestWithParam<SetterCase> {};

TEST_P(ConfigurationSetterTest, AnySetterMakesItNonNull) {
  Configuration c;
  GetParam().apply(c);
  EXPECT_FALSE(c.isNull());
  EXPECT_NE(c, Configuration());
}

INSTANTIATE_TEST_SUITE_P(
    AllSetters, ConfigurationSetterTest,
    ::testing::Values(
        SetterCase{"Protocol", [](Configuration& c) { c.setProtocol(SslProtocol::SecureProtocols); }},
        SetterCase{"SslOption", [](Configuration& c) {
                     c.setSslOption(SslOption::SslOptionDisableCompression, true); }},
        SetterCase{"LocalCertificate", [](Configuration& c) { c.setLocalCertificate({}); }},
        SetterCase{"LocalCertificateChain", [](Configuration& c) { c.setLocalCertificateChain({}); }},
        SetterCase{"PrivateKey", [](Configuration& c) { c.setPrivateKey({}); }},
        SetterCase{"CiphersList", [](Configuration& c) { c.setCiphers(std::vector<Cipher>{}); }},
        SetterCase{"CiphersString", [](Configuration& c) {
                     c.setCiphers(std::string("ECDHE-ECDSA-AES128-GCM-SHA256")); }},
        SetterCase{"EllipticCurves", [](Configuration& c) { c.setEllipticCurves({}); }},
        SetterCase{"DhParameters", [](Configuration& c) { c.setDiffieHellmanParameters({}); }},
        SetterCase{"CaCertificates", [](Configuration& c) { c.setCaCertificates({}); }},
        SetterCase{"AddCaCertificate", [](Configuration& c) { c.addCaCertificate({}); }},
        SetterCase{"AddCaCertificatesList", [](Configuration& c) { c.addCaCertificates(std::vector<Certificate>{}); }},
        SetterCase{"PeerVerifyMode", [](Configuration& c) { c.setPeerVerifyMode(PeerVerifyMode::AutoVerifyPeer); }},
        SetterCase{"PeerVerifyDepth", [](Configuration& c) { c.setPeerVerifyDepth(0); }},
        SetterCase{"MissingCertificateIsFatal", [](Configuration& c) { c.setMissingCertificateIsFatal(false); }},
        SetterCase{"HandshakeMustInterrupt", [](Configuration& c) { c.setHandshakeMustInterruptOnError(false); }},
        SetterCase{"OcspStapling", [](Configuration& c) { c.setOcspStaplingEnabled(false); }},
        SetterCase{"PskHint", [](Configuration& c) { c.setPreSharedKeyIdentityHint(""); }},
        SetterCase{"Alpn", [](Configuration& c) { c.setAllowedNextProtocols({}); }},
        SetterCase{"Cookie", [](Configuration& c) { c.setDtlsCookieVerificationEnabled(true); }},
        SetterCase{"SessionTicket", [](Configuration& c) { c.setSessionTicket(""); }},
        SetterCase{"BackendOption", [](Configuration& c) { c.setBackendConfigurationOption("MinProtocol", "DTLSv1.2"); }},
        SetterCase{"BackendAll", [](Configuration& c) { c.setBackendConfiguration(); }}),
    [](const ::testing::TestParamInfo<SetterCase>& param) { return std::string(param.param.name); });

TEST(ConfigurationTest, CopyOfNullIsNullAndCopiesAreIndependent) {
  Configuration null_config;
  Configuration copy(null_config);
  EXPECT_TRUE(copy.isNull());

  Configuration a;
  a.setPeerVerifyDepth(3);
  Configuration b = a;
  EXPECT_EQ(a, b);
  b.setPeerVerifyDepth(4);
  EXPECT_EQ(a.peerVerifyDepth(), 3);
  EXPECT_EQ(b.peerVerifyDepth(), 4);
  EXPECT_NE(a, b);
}

TEST(ConfigurationTest, AssignmentCopiesSettingsAndNullness) {
  Configuration a;
  a.setProtocol(SslProtocol::DtlsV1_2);
  Configuration b;
  b = a;
  EXPECT_EQ(b.protocol(), SslProtocol::DtlsV1_2);
  EXPECT_FALSE(b.isNull());
  b = Configuration();
  EXPECT_TRUE(b.isNull());
}

TEST(ConfigurationTest, MovedFromIsNull) {
  Configuration a;
  a.setPeerVerifyDepth(2);
  Configuration b(std::move(a));
  EXPECT_EQ(b.peerVerifyDepth(), 2);
  EXPECT_TRUE(a.isNull());  // NOLINT(bugprone-use-after-move): documented state
}

TEST(ConfigurationTest, SwapExchangesContents) {
  Configuration a;
  a.setProtocol(SslProtocol::DtlsV1_2);
  Configuration b;
  b.setProtocol(SslProtocol::DtlsV1_2OrLater);
  a.swap(b);
  EXPECT_EQ(a.protocol(), SslProtocol::DtlsV1_2OrLater);
  EXPECT_EQ(b.protocol(), SslProtocol::DtlsV1_2);
  swap(a, b);
  EXPECT_EQ(a.protocol(), SslProtocol::DtlsV1_2);
}

TEST(ConfigurationTest, EqualityComparesEverySetting) {
  Configuration a;
  a.setAllowedNextProtocols({"coap"});
  Configuration b;
  b.setAllowedNextProtocols({"coap"});
  EXPECT_EQ(a, b);
  b.setBackendConfigurationOption("Options", "-SessionTicket");
  EXPECT_NE(a, b);
}

TEST(ConfigurationTest, EqualityComparesSessionState) {
  Configuration a = Configuration::defaultDtlsConfiguration();
  Configuration b = a;
  detail::SessionState state;
  state.session_protocol = SslProtocol::DtlsV1_2;
  detail::ConfigurationAccess::setSessionState(b, state);
  EXPECT_NE(a, b);
  EXPECT_EQ(b.sessionProtocol(), SslProtocol::DtlsV1_2);
  detail::ConfigurationAccess::clearSessionState(b);
  EXPECT_EQ(b.sessionProtocol(), SslProtocol::UnknownProtocol);
}

// ---- Settings ---------------------------------------------------------------------------------

TEST(ConfigurationTest, ProtocolRoundTrips) {
  Configuration c;
  for (auto p : {SslProtocol::DtlsV1_0, SslProtocol::DtlsV1_0OrLater, SslProtocol::DtlsV1_2,
                 SslProtocol::DtlsV1_2OrLater, SslProtocol::TlsV1_2}) {
    c.setProtocol(p);
    EXPECT_EQ(c.protocol(), p);
  }
}

TEST(ConfigurationTest, SslOptionsToggleIndependently) {
  Configuration c;
  c.setSslOption(SslOption::SslOptionDisableSessionPersistence, false);
  c.setSslOption(SslOption::SslOptionDisableSessionTickets, true);
  EXPECT_FALSE(c.testSslOption(SslOption::SslOptionDisableSessionPersistence));
  EXPECT_TRUE(c.testSslOption(SslOption::SslOptionDisableSessionTickets));
  EXPECT_TRUE(c.testSslOption(SslOption::SslOptionDisableCompression));
  const unsigned bits = detail::ConfigurationAccess::sslOptions(c);
  EXPECT_EQ(bits & 0x40u, 0u);
  EXPECT_NE(bits & 0x02u, 0u);
}

TEST(ConfigurationTest, LocalCertificateAlsoSetsAOneElementChain) {
  const Certificate server = loadCert("server.pem");
  ASSERT_FALSE(server.isNull());
  Configuration c;
  c.setLocalCertificate(server);
  EXPECT_EQ(c.localCertificate(), server);
  ASSERT_EQ(c.localCertificateChain().size(), 1u);
  EXPECT_EQ(c.localCertificateChain().front(), server);
}

TEST(ConfigurationTest, LocalChainSetsLeafAsLocalCertificate) {
  const auto chain = Certificate::fromPath(certPath("server-chain.pem"));
  ASSERT_GE(chain.size(), 2u);
  Configuration c;
  c.setLocalCertificateChain(chain);
  EXPECT_EQ(c.localCertificateChain(), chain);
  EXPECT_EQ(c.localCertificate(), chain.front());
  c.setLocalCertificateChain({});
  EXPECT_TRUE(c.localCertificate().isNull());
}

TEST(ConfigurationTest, PrivateKeyRoundTrips) {
  const Key key = loadKey("server.key.pem");
  ASSERT_FALSE(key.isNull());
  Configuration c;
  c.setPrivateKey(key);
  EXPECT_EQ(c.privateKey(), key);
}

TEST(ConfigurationTest, CiphersFromListKeepOrder) {
  const std::vector<Cipher> list{Cipher("ECDHE-RSA-AES256-GCM-SHA384"),
                                 Cipher("ECDHE-ECDSA-AES128-GCM-SHA256")};
  ASSERT_FALSE(list[0].isNull());
  ASSERT_FALSE(list[1].isNull());
  Configuration c;
  c.setCiphers(list);
  EXPECT_EQ(c.ciphers(), list);
}

TEST(ConfigurationTest, CiphersFromColonSeparatedNames) {
  Configuration c;
  std::string error;
  ASSERT_TRUE(c.setCiphers("ECDHE-ECDSA-AES128-GCM-SHA256:PSK-AES128-GCM-SHA256", &error))
      << error;
  ASSERT_EQ(c.ciphers().size(), 2u);
  EXPECT_EQ(c.ciphers()[0].name(), "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(c.ciphers()[1].name(), "PSK-AES128-GCM-SHA256");
}

TEST(ConfigurationTest, UnknownCipherNameIsRefusedAndNothingChanges) {
  Configuration c;
  c.setCiphers(std::string("ECDHE-ECDSA-AES128-GCM-SHA256"));
  const Configuration before = c;
  std::string error;
  EXPECT_FALSE(c.setCiphers("ECDHE-ECDSA-AES256-GCM-SHA384:NOT-A-CIPHER", &error));
  EXPECT_EQ(c, before);
  EXPECT_NE(error.find("setCiphers: "), std::string::npos) << error;
  EXPECT_NE(error.find("NOT-A-CIPHER"), std::string::npos) << error;
}

TEST(ConfigurationTest, UnknownCipherNameOnNullConfigurationKeepsItNull) {
  Configuration c;
  EXPECT_FALSE(c.setCiphers("NOT-A-CIPHER"));
  EXPECT_TRUE(c.isNull());
}

TEST(ConfigurationTest, EllipticCurvesRoundTrip) {
  const std::vector<EllipticCurve> curves{EllipticCurve::fromShortName("prime256v1"),
                                          EllipticCurve::fromShortName("secp384r1")};
  ASSERT_TRUE(curves[0].isValid());
  Configuration c;
  c.setEllipticCurves(curves);
  EXPECT_EQ(c.ellipticCurves(), curves);
}

TEST(ConfigurationTest, EmptyDhParametersMeanTheDefaultGroup) {
  Configuration c;
  c.setDiffieHellmanParameters(DiffieHellmanParameters());
  EXPECT_EQ(c.diffieHellmanParameters(), DiffieHellmanParameters::defaultParameters());
  EXPECT_TRUE(c.diffieHellmanParameters().isValid());
}

TEST(ConfigurationTest, CustomDhParametersRoundTrip) {
  const auto garbage = DiffieHellmanParameters::fromEncoded("not dh params", EncodingFormat::Pem);
  Configuration c;
  c.setDiffieHellmanParameters(garbage);
  EXPECT_EQ(c.diffieHellmanParameters(), garbage);
  EXPECT_FALSE(c.diffieHellmanParameters().isValid());
}

TEST(ConfigurationTest, CaCertificatesSetAndAdd) {
  const Certificate ca = loadCert("ca.pem");
  const Certificate inter = loadCert("intermediate.pem");
  Configuration c;
  c.setCaCertificates({ca});
  c.addCaCertificate(inter);
  c.addCaCertificates(std::vector<Certificate>{ca});
  EXPECT_EQ(c.caCertificates(), (std::vector<Certificate>{ca, inter, ca}));
}

// addCaCertificates(path, format, syntax): one row per pattern syntax and failure mode.
struct CaPathCase {
  const char* name;
  std::string path;
  EncodingFormat format;
  Certificate::PatternSyntax syntax;
  bool added;
  size_t count;  // certificates added when `added`
};

class ConfigurationCaPathTest : public ::testing::TestWithParam<CaPathCase> {};

TEST_P(ConfigurationCaPathTest, AddsWhatThePathNames) {
  const auto& row = GetParam();
  Configuration c;
  c.setCaCertificates({});
  EXPECT_EQ(c.addCaCertificates(row.path, row.format, row.syntax), row.added);
  EXPECT_EQ(c.caCertificates().size(), row.added ? row.count : 0u);
}

using PS = Certificate::PatternSyntax;
INSTANTIATE_TEST_SUITE_P(
    Patterns, ConfigurationCaPathTest,
    ::testing::Values(
        CaPathCase{"FixedFile", certPath("ca.pem"), EncodingFormat::Pem, PS::FixedString, true, 1},
        CaPathCase{"FixedBundle", certPath("bundle.pem"), EncodingFormat::Pem, PS::FixedString,
                   true, Certificate::fromPath(certPath("bundle.pem")).size()},
        CaPathCase{"FixedDer", certPath("server.der"), EncodingFormat::Der, PS::FixedString, true, 1},
        CaPathCase{"Wildcard", certPath("ca*.pem"), EncodingFormat::Pem, PS::Wildcard, true, 1},
        CaPathCase{"RegularExpression", certPath("(ca|intermediate)\\.pem"), EncodingFormat::Pem,
                   PS::RegularExpression, true, 2},
        CaPathCase{"MissingFile", certPath("no-such-file.pem"), EncodingFormat::Pem,
                   PS::FixedString, false, 0},
        CaPathCase{"WildcardMatchingNothing", certPath("zz*.pem"), EncodingFormat::Pem,
                   PS::Wildcard, false, 0},
        CaPathCase{"MalformedRegex", certPath("(ca.pem"), EncodingFormat::Pem,
                   PS::RegularExpression, false, 0},
        CaPathCase{"KeyFileHoldsNoCertificate", certPath("ca.key.pem"), EncodingFormat::Pem,
                   PS::FixedString, false, 0},
        CaPathCase{"WrongFormat", certPath("ca.pem"), EncodingFormat::Der, PS::FixedString,
                   false, 0}),
    [](const ::testing::TestParamInfo<CaPathCase>& param) { return std::string(param.param.name); });

TEST(ConfigurationTest, PeerVerifyModeRoundTrips) {
  Configuration c;
  for (auto m : {PeerVerifyMode::VerifyNone, PeerVerifyMode::QueryPeer,
                 PeerVerifyMode::VerifyPeer, PeerVerifyMode::AutoVerifyPeer}) {
    c.setPeerVerifyMode(m);
    EXPECT_EQ(c.peerVerifyMode(), m);
  }
}

TEST(ConfigurationTest, PeerVerifyDepthClampsNegativeToUnlimited) {
  Configuration c;
  c.setPeerVerifyDepth(5);
  EXPECT_EQ(c.peerVerifyDepth(), 5);
  c.setPeerVerifyDepth(-3);
  EXPECT_EQ(c.peerVerifyDepth(), 0);
}

TEST(ConfigurationTest, BooleanSettingsRoundTrip) {
  Configuration c;
  c.setMissingCertificateIsFatal(true);
  c.setHandshakeMustInterruptOnError(true);
  c.setOcspStaplingEnabled(true);
  c.setDtlsCookieVerificationEnabled(false);
  EXPECT_TRUE(c.missingCertificateIsFatal());
  EXPECT_TRUE(c.handshakeMustInterruptOnError());
  EXPECT_TRUE(c.ocspStaplingEnabled());
  EXPECT_FALSE(c.dtlsCookieVerificationEnabled());
}

TEST(ConfigurationTest, PskHintAndAlpnRoundTrip) {
  Configuration c;
  c.setPreSharedKeyIdentityHint(ByteArray("hint\0binary", 11));
  c.setAllowedNextProtocols({Configuration::ALPNProtocolHTTP2, Configuration::NextProtocolHttp1_1});
  EXPECT_EQ(c.preSharedKeyIdentityHint(), ByteArray("hint\0binary", 11));
  EXPECT_EQ(c.allowedNextProtocols(), (std::vector<ByteArray>{"h2", "http/1.1"}));
}

TEST(ConfigurationTest, AlpnConstantsAreTheRegisteredIdentifiers) {
  EXPECT_STREQ(Configuration::ALPNProtocolHTTP2, "h2");
  EXPECT_STREQ(Configuration::NextProtocolHttp1_1, "http/1.1");
}

TEST(ConfigurationTest, SessionTicketIsASettingThatSurvivesStateClear) {
  Configuration c;
  c.setSessionTicket("ticket-der");
  EXPECT_EQ(c.sessionTicket(), "ticket-der");
  detail::ConfigurationAccess::clearSessionState(c);
  EXPECT_EQ(c.sessionTicket(), "ticket-der");
  EXPECT_EQ(c.sessionTicketLifeTimeHint(), -1);
}

TEST(ConfigurationTest, BackendConfigurationSetOptionAndClear) {
  Configuration c;
  c.setBackendConfigurationOption("MinProtocol", "DTLSv1.2");
  c.setBackendConfigurationOption("Groups", "P-256");
  c.setBackendConfigurationOption("MinProtocol", "DTLSv1.0");  // replaces
  EXPECT_EQ(c.backendConfiguration(),
            (std::map<ByteArray, ByteArray>{{"Groups", "P-256"}, {"MinProtocol", "DTLSv1.0"}}));
  c.setBackendConfiguration({{"Options", "-SessionTicket"}});
  EXPECT_EQ(c.backendConfiguration().size(), 1u);
  c.setBackendConfiguration();
  EXPECT_TRUE(c.backendConfiguration().empty());
  EXPECT_FALSE(c.isNull());
}

// ---- Process-wide defaults --------------------------------------------------------------------

bool hasAnonymousOrWeak(const std::vector<Cipher>& ciphers) {
  return std::any_of(ciphers.begin(), ciphers.end(), [](const Cipher& c) {
    return c.usedBits() < 128 || c.authenticationMethod() == "None" ||
           c.encryptionMethod().rfind("None", 0) == 0;
  });
}

TEST(ConfigurationTest, DefaultDtlsConfigurationMatchesTheContract) {
  const Configuration c = Configuration::defaultDtlsConfiguration();
  EXPECT_FALSE(c.isNull());
  EXPECT_EQ(c.protocol(), SslProtocol::DtlsV1_2OrLater);
  EXPECT_TRUE(c.dtlsCookieVerificationEnabled());
  EXPECT_TRUE(c.localCertificate().isNull());
  EXPECT_TRUE(c.privateKey().isNull());
  EXPECT_EQ(c.caCertificates(), Configuration::systemCaCertificates());
  EXPECT_EQ(c.peerVerifyMode(), PeerVerifyMode::AutoVerifyPeer);
  ASSERT_FALSE(c.ciphers().empty());
  EXPECT_FALSE(hasAnonymousOrWeak(c.ciphers()));
  const auto supported = Configuration::supportedCiphers();
  for (const auto& cipher : c.ciphers())
    EXPECT_NE(std::find(supported.begin(), supported.end(), cipher), supported.end())
        << cipher.name();
}

TEST(ConfigurationTest, DefaultConfigurationMatchesTheContract) {
  const Configuration c = Configuration::defaultConfiguration();
  EXPECT_FALSE(c.isNull());
  EXPECT_EQ(c.protocol(), SslProtocol::SecureProtocols);
  EXPECT_TRUE(c.localCertificate().isNull());
  EXPECT_TRUE(c.privateKey().isNull());
  EXPECT_EQ(c.caCertificates(), Configuration::systemCaCertificates());
  ASSERT_FALSE(c.ciphers().empty());
  for (const auto& cipher : c.ciphers()) EXPECT_GE(cipher.usedBits(), 128) << cipher.name();
}

TEST(ConfigurationTest, SetDefaultDtlsConfigurationAffectsOnlyLaterCopies) {
  const Configuration original = Configuration::defaultDtlsConfiguration();
  Configuration custom = original;
  custom.setDtlsCookieVerificationEnabled(false);
  Configuration::setDefaultDtlsConfiguration(custom);
  EXPECT_FALSE(Configuration::defaultDtlsConfiguration().dtlsCookieVerificationEnabled());
  EXPECT_TRUE(original.dtlsCookieVerificationEnabled());  // existing copies unaffected
  Configuration::setDefaultDtlsConfiguration(original);
  EXPECT_EQ(Configuration::defaultDtlsConfiguration(), original);
}

TEST(ConfigurationTest, SetDefaultConfigurationRoundTrips) {
  const Configuration original = Configuration::defaultConfiguration();
  Configuration custom;
  custom.setProtocol(SslProtocol::TlsV1_2);
  Configuration::setDefaultConfiguration(custom);
  EXPECT_EQ(Configuration::defaultConfiguration(), custom);
  Configuration::setDefaultConfiguration(original);
  EXPECT_EQ(Configuration::defaultConfiguration(), original);
}

TEST(ConfigurationTest, SupportedCiphersAreDtlsCapableAndUnique) {
  const auto ciphers = Configuration::supportedCiphers();
  ASSERT_FALSE(ciphers.empty());
  std::set<std::string> names;
  for (const auto& c : ciphers) {
    EXPECT_FALSE(c.isNull());
    EXPECT_TRUE(names.insert(c.name()).second) << "duplicate " << c.name();
    EXPECT_NE(c.protocolString(), "TLSv1.3") << c.name();
  }
  EXPECT_TRUE(names.count("ECDHE-ECDSA-AES128-GCM-SHA256"));
  EXPECT_TRUE(names.count("PSK-AES128-GCM-SHA256"));
}

TEST(ConfigurationTest, SupportedEllipticCurvesIncludeTheCommonOnes) {
  const auto curves = Configuration::supportedEllipticCurves();
  for (const char* name : {"prime256v1", "secp384r1", "X25519"}) {
    const auto curve = EllipticCurve::fromShortName(name);
    EXPECT_NE(std::find(curves.begin(), curves.end(), curve), curves.end()) << name;
  }
}

TEST(ConfigurationTest, SystemCaCertificatesAreLoadedOnceAndStable) {
  const auto first = Configuration::systemCaCertificates();
  const auto second = Configuration::systemCaCertificates();
  EXPECT_EQ(first, second);
  // Debian ships ca-certificates with the openssl package's recommends; when it is installed
  // the store must not come back empty.
  std::ifstream bundle("/etc/ssl/certs/ca-certificates.crt");
  if (bundle.good()) {
    EXPECT_GT(first.size(), 10u);
  }
  for (const auto& cert : first) EXPECT_FALSE(cert.isNull());
}

}  // namespace
}  // namespace dtls
