#include <dtls/certificate.h>
#include <dtls/ssl_error.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace dtls {
namespace {

using namespace std::chrono;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using SubjectInfo = Certificate::SubjectInfo;
using PatternSyntax = Certificate::PatternSyntax;

const std::string kCertDir = std::string(DTLSIM_TEST_DATA_DIR) + "/certs";

ByteArray readData(const std::string& name) {
  std::ifstream in(kCertDir + "/" + name, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Certificate load(const std::string& name) { return Certificate(readData(name)); }

std::string hexColon(const ByteArray& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    char hex[4];
    std::snprintf(hex, sizeof hex, out.empty() ? "%02X" : ":%02X", c);
    out += hex;
  }
  return out;
}

std::vector<std::string> commonNames(const std::vector<Certificate>& certs) {
  std::vector<std::string> names;
  for (const auto& c : certs) names.push_back(c.subjectDisplayName());
  return names;
}

std::vector<SslError::Error> codes(const std::vector<SslError>& errors) {
  std::vector<SslError::Error> out;
  for (const auto& e : errors) out.push_back(e.error());
  return out;
}

// --- parsing -------------------------------------------------------------------------------

TEST(CertificateTest, ParsesPemAndDerToTheSameCertificate) {
  const Certificate pem = load("server.pem");
  const Certificate der(readData("server.der"), EncodingFormat::Der);
  ASSERT_FALSE(pem.isNull());
  ASSERT_FALSE(der.isNull());
  EXPECT_EQ(pem, der);
  EXPECT_EQ(std::hash<Certificate>()(pem), std::hash<Certificate>()(der));
}

TEST(CertificateTest, GarbageGivesNullCertificate) {
  const std::vector<std::pair<ByteArray, EncodingFormat>> inputs = {
      {"", EncodingFormat::Pem},
      {"", EncodingFormat::Der},
      {"not a certificate", EncodingFormat::Pem},
      {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", EncodingFormat::Pem},
      {ByteArray("\x30\x82\xff\xff\x00\x01", 6), EncodingFormat::Der},
      {readData("server.pem"), EncodingFormat::Der},
      {readData("server.der"), EncodingFormat::Pem},
      {readData("server.der").substr(0, 100), EncodingFormat::Der},
  };
  for (const auto& [data, format] : inputs) {
    EXPECT_TRUE(Certificate(data, format).isNull()) << data.substr(0, 40);
    EXPECT_THAT(Certificate::fromData(data, format), IsEmpty());
  }
}

TEST(CertificateTest, NullCertificateReturnsEmptyValues) {
  const Certificate null;
  EXPECT_TRUE(null.isNull());
  EXPECT_EQ(null.handle(), nullptr);
  EXPECT_EQ(null.version(), "");
  EXPECT_EQ(null.serialNumber(), "");
  EXPECT_EQ(null.digest(DigestAlgorithm::Sha256), "");
  EXPECT_THAT(null.subjectInfo(SubjectInfo::CommonName), IsEmpty());
  EXPECT_THAT(null.issuerInfoAttributes(), IsEmpty());
  EXPECT_EQ(null.subjectDisplayName(), "");
  EXPECT_THAT(null.subjectAlternativeNames(), IsEmpty());
  EXPECT_EQ(null.effectiveDate(), sys_seconds{});
  EXPECT_THAT(null.extensions(), IsEmpty());
  EXPECT_FALSE(null.isSelfSigned());
  EXPECT_FALSE(null.isBlacklisted());
  EXPECT_TRUE(null.publicKey().isNull());
  EXPECT_EQ(null.toPem(), "");
  EXPECT_EQ(null.toDer(), "");
  EXPECT_EQ(null.toText(), "");
  EXPECT_EQ(std::hash<Certificate>()(null), 0u);
  EXPECT_EQ(null, Certificate());
  EXPECT_NE(null, load("server.pem"));
}

TEST(CertificateTest, FromDataReadsEveryCertificateOfABundle) {
  const auto certs = Certificate::fromData(readData("bundle.pem"));
  EXPECT_THAT(commonNames(certs),
              ElementsAre("dtlsim Test Root CA", "dtlsim Test Intermediate CA",
                          "server.dtlsim.test", "client.dtlsim.test"));
}

TEST(CertificateTest, FromDataReadsConcatenatedDer) {
  const ByteArray der = load("ca.pem").toDer() + load("client.pem").toDer();
  EXPECT_THAT(commonNames(Certificate::fromData(der, EncodingFormat::Der)),
              ElementsAre("dtlsim Test Root CA", "client.dtlsim.test"));
}

TEST(CertificateTest, FromDataSkipsKeysBetweenCertificates) {
  const ByteArray mixed = readData("server.key.pem") + readData("server.pem");
  EXPECT_THAT(commonNames(Certificate::fromData(mixed)), ElementsAre("server.dtlsim.test"));
}

TEST(CertificateTest, FromFileReadsAFileAndRejectsAMissingOne) {
  EXPECT_EQ(Certificate::fromFile(kCertDir + "/server-chain.pem").size(), 2u);
  EXPECT_THAT(Certificate::fromFile(kCertDir + "/no-such-file.pem"), IsEmpty());
  EXPECT_THAT(Certificate::fromFile(kCertDir), IsEmpty());  // a directory
}

// --- fromPath ------------------------------------------------------------------------------

struct PathCase {
  const char* name;
  std::string path;
  PatternSyntax syntax;
  std::vector<std::string> common_names;
};

class CertificateFromPathTest : public ::testing::TestWithParam<PathCase> {};

TEST_P(CertificateFromPathTest, ReadsTheMatchingFilesInPathOrder) {
  const PathCase& c = GetParam();
  EXPECT_EQ(commonNames(Certificate::fromPath(c.path, EncodingFormat::Pem, c.syntax)),
            c.common_names);
}

INSTANTIATE_TEST_SUITE_P(
    Certificate, CertificateFromPathTest,
    ::testing::Values(
        PathCase{"FixedFile", kCertDir + "/server.pem", PatternSyntax::FixedString,
                 {"server.dtlsim.test"}},
        PathCase{"FixedIsNotAPattern", kCertDir + "/*.pem", PatternSyntax::FixedString, {}},
        PathCase{"FixedMissing", kCertDir + "/missing.pem", PatternSyntax::FixedString, {}},
        // server-chain.pem < server-rsa.pem < server.pem ('-' sorts before '.').
        PathCase{"WildcardStar", kCertDir + "/server*.pem", PatternSyntax::Wildcard,
                 {"server.dtlsim.test", "dtlsim Test Intermediate CA", "server.dtlsim.test",
                  "server.dtlsim.test"}},
        PathCase{"WildcardQuestionAndClass", kCertDir + "/[ce]?*t.pem", PatternSyntax::Wildcard,
                 {"client.dtlsim.test"}},
        PathCase{"WildcardNegatedClass", kCertDir + "/[!sbw]*[!y].pem", PatternSyntax::Wildcard,
                 {"dtlsim Test Root CA", "client.dtlsim.test", "expired.dtlsim.test",
                  "dtlsim Test Intermediate CA"}},
        PathCase{"WildcardStarStaysInDirectory", std::string(DTLSIM_TEST_DATA_DIR) + "/*.pem",
                 PatternSyntax::Wildcard, {}},
        PathCase{"WildcardWithoutSpecialsIsAFile", kCertDir + "/ca.pem", PatternSyntax::Wildcard,
                 {"dtlsim Test Root CA"}},
        PathCase{"WildcardMalformed", kCertDir + "/[abc.pem", PatternSyntax::Wildcard, {}},
        PathCase{"WildcardMissingDirectory", kCertDir + "/nowhere/*.pem",
                 PatternSyntax::Wildcard, {}},
        PathCase{"Regex", kCertDir + "/(ca|client)\\.pem", PatternSyntax::RegularExpression,
                 {"dtlsim Test Root CA", "client.dtlsim.test"}},
        PathCase{"RegexMatchesWholePathOnly", kCertDir + "/ca", PatternSyntax::RegularExpression,
                 {}},
        PathCase{"RegexMalformed", kCertDir + "/(ca.pem", PatternSyntax::RegularExpression, {}},
        PathCase{"RegexMissingDirectory", kCertDir + "/nowhere/.*",
                 PatternSyntax::RegularExpression, {}},
        PathCase{"EmptyPath", "", PatternSyntax::Wildcard, {}}),
    [](const ::testing::TestParamInfo<PathCase>& row) { return row.param.name; });

// --- fields of the server certificate ------------------------------------------------------

struct InfoCase {
  SubjectInfo info;
  std::vector<std::string> subject;
  std::vector<std::string> issuer;
};

class CertificateSubjectInfoTest : public ::testing::TestWithParam<InfoCase> {};

TEST_P(CertificateSubjectInfoTest, ServerNameAttributes) {
  const Certificate server = load("server.pem");
  EXPECT_EQ(server.subjectInfo(GetParam().info), GetParam().subject);
  EXPECT_EQ(server.issuerInfo(GetParam().info), GetParam().issuer);
}

INSTANTIATE_TEST_SUITE_P(
    Certificate, CertificateSubjectInfoTest,
    ::testing::Values(
        InfoCase{SubjectInfo::Organization, {"dtlsim"}, {"dtlsim"}},
        InfoCase{SubjectInfo::CommonName, {"server.dtlsim.test"}, {"dtlsim Test Intermediate CA"}},
        InfoCase{SubjectInfo::LocalityName, {"Amsterdam"}, {}},
        InfoCase{SubjectInfo::OrganizationalUnitName, {"Testing"}, {}},
        InfoCase{SubjectInfo::CountryName, {"NL"}, {"NL"}},
        InfoCase{SubjectInfo::StateOrProvinceName, {"Noord-Holland"}, {}},
        InfoCase{SubjectInfo::DistinguishedNameQualifier, {}, {}},
        InfoCase{SubjectInfo::SerialNumber, {}, {}},
        InfoCase{SubjectInfo::EmailAddress, {}, {}}));

TEST(CertificateTest, SubjectInfoByShortNameLongNameAndOid) {
  const Certificate server = load("server.pem");
  for (const char* attribute : {"CN", "commonName", "2.5.4.3"}) {
    EXPECT_THAT(server.subjectInfo(ByteArray(attribute)), ElementsAre("server.dtlsim.test"))
        << attribute;
  }
  EXPECT_THAT(server.subjectInfo(ByteArray("1.2.3.4.5")), IsEmpty());
  EXPECT_THAT(server.subjectInfo(ByteArray("no such attribute")), IsEmpty());
}

TEST(CertificateTest, InfoAttributesAreSortedShortNames) {
  const Certificate server = load("server.pem");
  EXPECT_THAT(server.subjectInfoAttributes(), ElementsAre("C", "CN", "L", "O", "OU", "ST"));
  EXPECT_THAT(server.issuerInfoAttributes(), ElementsAre("C", "CN", "O"));
}

TEST(CertificateTest, DisplayNamesAreTheCommonNames) {
  const Certificate server = load("server.pem");
  EXPECT_EQ(server.subjectDisplayName(), "server.dtlsim.test");
  EXPECT_EQ(server.issuerDisplayName(), "dtlsim Test Intermediate CA");
}

TEST(CertificateTest, SubjectAlternativeNames) {
  const std::multimap<AlternativeNameEntryType, std::string> expected = {
      {AlternativeNameEntryType::DnsEntry, "server.dtlsim.test"},
      {AlternativeNameEntryType::DnsEntry, "localhost"},
      {AlternativeNameEntryType::IpAddressEntry, "127.0.0.1"},
      {AlternativeNameEntryType::IpAddressEntry, "::1"},
      {AlternativeNameEntryType::EmailEntry, "admin@dtlsim.test"},
  };
  EXPECT_EQ(load("server.pem").subjectAlternativeNames(), expected);
  EXPECT_THAT(load("ca.pem").subjectAlternativeNames(), IsEmpty());
}

TEST(CertificateTest, SerialNumberIsColonSeparatedLowercaseHex) {
  EXPECT_EQ(load("ca.pem").serialNumber(), "10:00");
  EXPECT_EQ(load("server.pem").serialNumber(), "10:02");
  EXPECT_EQ(load("server-rsa.pem").serialNumber(), "10:07");
}

TEST(CertificateTest, VersionIsThree) { EXPECT_EQ(load("server.pem").version(), "3"); }

TEST(CertificateTest, DatesAreThePinnedOnes) {
  const Certificate server = load("server.pem");
  EXPECT_EQ(server.effectiveDate(), sys_days{year{2020} / 1 / 1});
  EXPECT_EQ(server.expiryDate(), sys_days{year{2099} / 12 / 31} + 23h + 59min + 59s);
  const Certificate expired = load("expired.pem");
  EXPECT_EQ(expired.effectiveDate(), sys_days{year{2001} / 1 / 1});
  EXPECT_EQ(expired.expiryDate(), sys_days{year{2002} / 12 / 31} + 23h + 59min + 59s);
}

TEST(CertificateTest, Sha256DigestIsOpenSslFingerprint) {
  for (const char* name : {"server.pem", "ca.pem"}) {
    std::string expected = readData(std::string(name) + ".sha256");  // "sha256 Fingerprint=.."
    expected = expected.substr(expected.find('=') + 1);
    expected.erase(expected.find_last_not_of("\r\n") + 1);
    EXPECT_EQ(hexColon(load(name).digest(DigestAlgorithm::Sha256)), expected) << name;
  }
}

TEST(CertificateTest, DigestSizes) {
  const Certificate server = load("server.pem");
  const std::vector<std::pair<DigestAlgorithm, size_t>> sizes = {
      {DigestAlgorithm::Md5, 16},      {DigestAlgorithm::Sha1, 20},
      {DigestAlgorithm::Sha224, 28},   {DigestAlgorithm::Sha256, 32},
      {DigestAlgorithm::Sha384, 48},   {DigestAlgorithm::Sha512, 64},
      {DigestAlgorithm::Sha3_224, 28}, {DigestAlgorithm::Sha3_256, 32},
      {DigestAlgorithm::Sha3_384, 48}, {DigestAlgorithm::Sha3_512, 64},
      {DigestAlgorithm::Blake2b_512, 64}, {DigestAlgorithm::Blake2s_256, 32},
  };
  for (const auto& [algorithm, size] : sizes) {
    EXPECT_EQ(server.digest(algorithm).size(), size) << static_cast<int>(algorithm);
  }
  EXPECT_EQ(server.digest(), server.digest(DigestAlgorithm::Md5));  // Qt's default
  EXPECT_EQ(server.digest(static_cast<DigestAlgorithm>(0)), "");  // Md4: not offered
}

TEST(CertificateTest, SelfSignedOnlyForRootAndSelfSigned) {
  const std::vector<std::pair<const char*, bool>> cases = {
      {"ca.pem", true},          {"self-signed.pem", true}, {"intermediate.pem", false},
      {"server.pem", false},     {"client.pem", false},     {"expired.pem", false},
      {"wrong-host.pem", false}, {"server-rsa.pem", false},
  };
  for (const auto& [name, self_signed] : cases) {
    EXPECT_EQ(load(name).isSelfSigned(), self_signed) << name;
  }
}

TEST(CertificateTest, TestCertificatesAreNotBlacklisted) {
  for (const char* name : {"ca.pem", "server.pem", "self-signed.pem"}) {
    EXPECT_FALSE(load(name).isBlacklisted()) << name;
  }
}

TEST(CertificateTest, PublicKeyIsTheServerKey) {
  const Key key = load("server.pem").publicKey();
  EXPECT_EQ(key.algorithm(), KeyAlgorithm::Ec);
  EXPECT_EQ(key.type(), KeyType::PublicKey);
  EXPECT_EQ(key.length(), 256);
  EXPECT_EQ(key, Key(readData("server.pub.pem"), KeyAlgorithm::Ec, EncodingFormat::Pem,
                     KeyType::PublicKey));
  EXPECT_EQ(load("server-rsa.pem").publicKey().length(), 2048);
}

TEST(CertificateTest, Extensions) {
  const auto extensions = load("server.pem").extensions();
  ASSERT_EQ(extensions.size(), 6u);
  EXPECT_EQ(extensions[0].name, "basicConstraints");
  EXPECT_EQ(extensions[0].oid, "2.5.29.19");
  EXPECT_TRUE(extensions[0].critical);
  EXPECT_TRUE(extensions[0].supported);
  EXPECT_EQ(extensions[0].value, "CA:FALSE");
  EXPECT_EQ(extensions[5].name, "subjectAltName");
  EXPECT_FALSE(extensions[5].critical);
  EXPECT_EQ(extensions[5].value,
            "DNS:server.dtlsim.test, DNS:localhost, IP Address:127.0.0.1, "
            "IP Address:0:0:0:0:0:0:0:1, email:admin@dtlsim.test");
}

TEST(CertificateTest, PemAndDerRoundTrip) {
  const Certificate server = load("server.pem");
  EXPECT_EQ(server.toPem(), readData("server.pem"));
  EXPECT_EQ(server.toDer(), readData("server.der"));
  EXPECT_EQ(Certificate(server.toDer(), EncodingFormat::Der), server);
}

TEST(CertificateTest, ToTextIsOpenSslsPrint) {
  const std::string text = load("server.pem").toText();
  EXPECT_THAT(text, ::testing::HasSubstr("Subject: C = NL, ST = Noord-Holland"));
  EXPECT_THAT(text, ::testing::HasSubstr("DNS:localhost"));
}

TEST(CertificateTest, CopiesShareTheHandleClearAndSwap) {
  Certificate a = load("server.pem");
  Certificate b = a;
  EXPECT_EQ(a.handle(), b.handle());
  EXPECT_EQ(Certificate::fromHandle(a.handle()), a);
  EXPECT_TRUE(Certificate::fromHandle(nullptr).isNull());
  Certificate c = load("ca.pem");
  swap(b, c);
  EXPECT_EQ(b.subjectDisplayName(), "dtlsim Test Root CA");
  EXPECT_EQ(c, a);
  a.clear();
  EXPECT_TRUE(a.isNull());
  EXPECT_FALSE(c.isNull());
}

// --- verify --------------------------------------------------------------------------------

TEST(CertificateVerifyTest, GoodChainAndHostNamesHaveNoErrors) {
  const auto chain = Certificate::fromFile(kCertDir + "/server-chain.pem");
  const std::vector<Certificate> ca = {load("ca.pem")};
  for (const char* host : {"", "server.dtlsim.test", "localhost", "127.0.0.1", "::1",
                           "server.dtlsim.test."}) {
    EXPECT_THAT(Certificate::verify(chain, host, ca), IsEmpty()) << host;
  }
}

TEST(CertificateVerifyTest, WrongHostGivesHostNameMismatchAboutTheLeaf) {
  const Certificate leaf = load("wrong-host.pem");
  const auto errors = Certificate::verify({leaf}, "server.dtlsim.test", {load("ca.pem")});
  ASSERT_THAT(codes(errors), ElementsAre(SslError::HostNameMismatch));
  EXPECT_EQ(errors[0].certificate(), leaf);
  EXPECT_EQ(errors[0].errorString(),
            "The host name did not match any of the valid hosts for this certificate");
  EXPECT_THAT(codes(Certificate::verify(Certificate::fromFile(kCertDir + "/server-chain.pem"),
                                        "10.0.0.1", {load("ca.pem")})),
              ElementsAre(SslError::HostNameMismatch));
}

TEST(CertificateVerifyTest, ExpiredGivesCertificateExpired) {
  const auto errors = Certificate::verify({load("expired.pem")}, "", {load("ca.pem")});
  ASSERT_THAT(codes(errors), ElementsAre(SslError::CertificateExpired));
  EXPECT_EQ(errors[0].errorString(), "The certificate has expired");
}

TEST(CertificateVerifyTest, SelfSignedGivesSelfSignedCertificate) {
  const auto errors = Certificate::verify({load("self-signed.pem")});
  ASSERT_THAT(codes(errors), ::testing::Contains(SslError::SelfSignedCertificate));
  EXPECT_EQ(errors[0].certificate(), load("self-signed.pem"));
}

TEST(CertificateVerifyTest, UntrustedRootInChain) {
  const std::vector<Certificate> chain = {load("client.pem"), load("ca.pem")};
  EXPECT_THAT(codes(Certificate::verify(chain)),
              ::testing::Contains(SslError::SelfSignedCertificateInChain));
}

TEST(CertificateVerifyTest, MissingIntermediateGivesLocalIssuerError) {
  EXPECT_THAT(codes(Certificate::verify({load("server.pem")}, "", {load("ca.pem")})),
              ::testing::Contains(SslError::UnableToGetLocalIssuerCertificate));
}

TEST(CertificateVerifyTest, EmptyChainOrNullCertificateIsUnspecified) {
  EXPECT_THAT(codes(Certificate::verify({})), ElementsAre(SslError::UnspecifiedError));
  EXPECT_THAT(codes(Certificate::verify({Certificate()})),
              ElementsAre(SslError::UnspecifiedError));
}

// --- PKCS#12 -------------------------------------------------------------------------------

TEST(CertificatePkcs12Test, ImportsKeyCertificateAndCa) {
  Key key;
  Certificate cert;
  std::vector<Certificate> cas;
  ASSERT_TRUE(Certificate::importPkcs12(readData("server.p12"), &key, &cert, &cas, "dtlsim"));
  EXPECT_EQ(cert, load("server.pem"));
  EXPECT_EQ(key, Key(readData("server.key.pem"), KeyAlgorithm::Ec));
  EXPECT_THAT(commonNames(cas), ElementsAre("dtlsim Test Intermediate CA"));
}

TEST(CertificatePkcs12Test, WrongPassphraseOrGarbageFails) {
  Key key;
  Certificate cert;
  EXPECT_FALSE(Certificate::importPkcs12(readData("server.p12"), &key, &cert, nullptr, "nope"));
  EXPECT_FALSE(Certificate::importPkcs12(readData("server.p12"), &key, &cert));
  EXPECT_FALSE(Certificate::importPkcs12("garbage", &key, &cert, nullptr, "dtlsim"));
  EXPECT_FALSE(Certificate::importPkcs12(readData("server.p12"), nullptr, &cert));
  EXPECT_TRUE(key.isNull());
  EXPECT_TRUE(cert.isNull());
}

}  // namespace
}  // namespace dtls
