// Tests of the private dtls/src/supported.h (not on the test target's include path).
#include "../../dtls/src/supported.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace dtls::detail {
namespace {

bool contains(const std::vector<Cipher>& list, const Cipher& cipher) {
  return std::find(list.begin(), list.end(), cipher) != list.end();
}

bool isAnonymous(const Cipher& c) { return c.authenticationMethod() == "None"; }
bool isNullEncryption(const Cipher& c) { return c.encryptionMethod() == "None"; }

TEST(SupportedTest, DtlsListHasPskAnonymousAndNullSuitesButNoTls13) {
  const auto& supported = supportedDtlsCiphers();
  ASSERT_FALSE(supported.empty());
  EXPECT_TRUE(contains(supported, Cipher("ECDHE-ECDSA-AES128-GCM-SHA256")));
  EXPECT_TRUE(contains(supported, Cipher("PSK-AES128-GCM-SHA256")));
  EXPECT_TRUE(contains(supported, Cipher("ECDHE-PSK-CHACHA20-POLY1305")));
  EXPECT_TRUE(std::any_of(supported.begin(), supported.end(), isAnonymous));
  EXPECT_TRUE(std::any_of(supported.begin(), supported.end(), isNullEncryption));
  for (const Cipher& c : supported) {
    EXPECT_FALSE(c.isNull());
    EXPECT_NE(c.protocol(), SslProtocol::TlsV1_3) << c.name();
  }
  // OpenSSL's preference order: strongest AEAD suites first.
  EXPECT_EQ(supported.front().name(), "ECDHE-ECDSA-AES256-GCM-SHA384");
}

TEST(SupportedTest, DefaultListsFollowTheContract) {
  struct Row {
    const char* what;
    const std::vector<Cipher>& defaults;
    const std::vector<Cipher>& supported;
  } rows[] = {{"dtls", defaultDtlsCiphers(), supportedDtlsCiphers()},
              {"tls", defaultTlsCiphers(), supportedTlsCiphers()}};
  for (const Row& row : rows) {
    ASSERT_FALSE(row.defaults.empty()) << row.what;
    size_t last = 0;
    for (const Cipher& c : row.defaults) {
      EXPECT_GE(c.usedBits(), 128) << row.what << " " << c.name();
      EXPECT_FALSE(isAnonymous(c)) << row.what << " " << c.name();
      EXPECT_FALSE(isNullEncryption(c)) << row.what << " " << c.name();
      const auto at = std::find(row.supported.begin(), row.supported.end(), c);
      ASSERT_NE(at, row.supported.end()) << row.what << " " << c.name();
      const auto index = static_cast<size_t>(at - row.supported.begin());
      EXPECT_GE(index, last) << "same order as supported: " << c.name();
      last = index;
    }
  }
  EXPECT_TRUE(contains(defaultDtlsCiphers(), Cipher("PSK-AES128-GCM-SHA256")));
  EXPECT_FALSE(contains(defaultDtlsCiphers(), Cipher("ADH-AES256-GCM-SHA384")));
}

TEST(SupportedTest, TlsListIsDtlsListPlusTls13) {
  for (const Cipher& c : supportedDtlsCiphers()) {
    EXPECT_TRUE(contains(supportedTlsCiphers(), c)) << c.name();
  }
  EXPECT_EQ(supportedTlsCiphers().front().protocol(), SslProtocol::TlsV1_3);
  EXPECT_TRUE(contains(defaultTlsCiphers(), Cipher("TLS_AES_128_GCM_SHA256")));
}

TEST(SupportedTest, ListsAreStableAndNamesUnique) {
  EXPECT_EQ(&supportedDtlsCiphers(), &supportedDtlsCiphers());
  std::set<std::string> names;
  for (const Cipher& c : supportedTlsCiphers()) {
    EXPECT_TRUE(names.insert(c.name()).second) << c.name();
  }
}

TEST(SupportedTest, CipherFromSsl) {
  EXPECT_TRUE(cipherFromSsl(nullptr).isNull());
  SSL_CTX* ctx = SSL_CTX_new(DTLS_method());
  ASSERT_NE(ctx, nullptr);
  ASSERT_EQ(SSL_CTX_set_ciphersuites(ctx, ""), 1);  // no TLS 1.3 suites ahead of ours
  ASSERT_EQ(SSL_CTX_set_cipher_list(ctx, "PSK-AES256-CCM"), 1);
  SSL* ssl = SSL_new(ctx);
  const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(SSL_get_ciphers(ssl), 0);
  const Cipher value = cipherFromSsl(cipher);
  EXPECT_EQ(value, Cipher("PSK-AES256-CCM"));
  EXPECT_EQ(value.encryptionMethod(), "AESCCM(256)");
  EXPECT_EQ(value.keyExchangeMethod(), "PSK");
  SSL_free(ssl);
  SSL_CTX_free(ctx);
}

TEST(SupportedTest, CurvesAreTlsNamedCurves) {
  const auto& curves = supportedCurves();
  ASSERT_GE(curves.size(), 5u);
  EXPECT_EQ(curves[0].shortName(), "X25519");
  EXPECT_EQ(curves[1].shortName(), "X448");
  for (const char* name : {"prime256v1", "secp384r1", "secp521r1", "brainpoolP512r1"}) {
    const EllipticCurve curve = EllipticCurve::fromShortName(name);
    EXPECT_NE(std::find(curves.begin(), curves.end(), curve), curves.end()) << name;
  }
  for (const EllipticCurve& curve : curves) {
    EXPECT_TRUE(curve.isValid());
    EXPECT_TRUE(curve.isTlsNamedCurve()) << curve.shortName();
  }
  EXPECT_EQ(std::find(curves.begin(), curves.end(), EllipticCurve::fromShortName("prime239v1")),
            curves.end());
}

TEST(SupportedTest, CipherListString) {
  EXPECT_EQ(cipherListString({}), "");
  EXPECT_EQ(cipherListString({Cipher("PSK-AES128-GCM-SHA256"), Cipher(),
                              Cipher("ECDHE-ECDSA-AES128-GCM-SHA256")}),
            "PSK-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256");
}

struct ParseRow {
  const char* what;
  const char* input;
  bool ok;
  std::vector<std::string> names;
  const char* error;
};

class ParseCipherNamesTest : public testing::TestWithParam<ParseRow> {};

TEST_P(ParseCipherNamesTest, Parses) {
  const ParseRow& row = GetParam();
  std::vector<Cipher> out = {Cipher("AES128-SHA")};  // must survive a failed parse
  std::string error = "untouched";
  EXPECT_EQ(parseCipherNames(row.input, &out, &error), row.ok);
  EXPECT_EQ(error, row.error);
  std::vector<std::string> names;
  for (const Cipher& c : out) names.push_back(c.name());
  EXPECT_EQ(names, row.names);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ParseCipherNamesTest,
    testing::Values(
        ParseRow{"good", "ECDHE-ECDSA-AES128-GCM-SHA256:PSK-AES128-GCM-SHA256", true,
                 {"ECDHE-ECDSA-AES128-GCM-SHA256", "PSK-AES128-GCM-SHA256"}, "untouched"},
        ParseRow{"one", "PSK-AES256-CCM", true, {"PSK-AES256-CCM"}, "untouched"},
        ParseRow{"empty", "", true, {}, "untouched"},
        ParseRow{"only_colons", ":::", true, {}, "untouched"},
        ParseRow{"empty_entries_skipped", ":AES256-SHA::AES128-SHA:", true,
                 {"AES256-SHA", "AES128-SHA"}, "untouched"},
        ParseRow{"unknown", "AES128-SHA:FOO:BAR", false, {"AES128-SHA"}, "unknown cipher 'FOO'"},
        ParseRow{"alias", "HIGH:!aNULL", false, {"AES128-SHA"}, "unknown cipher 'HIGH'"},
        ParseRow{"space", "AES128-SHA: AES256-SHA", false, {"AES128-SHA"},
                 "unknown cipher ' AES256-SHA'"}),
    [](const testing::TestParamInfo<ParseRow>& row) { return std::string(row.param.what); });

TEST(ParseCipherNamesTest, NullErrorPointerIsAllowed) {
  std::vector<Cipher> out;
  EXPECT_FALSE(parseCipherNames("FOO", &out, nullptr));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace dtls::detail
