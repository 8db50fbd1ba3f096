#include "dtls/cipher.h"

#include <gtest/gtest.h>

#include <utility>

namespace dtls {
namespace {

struct CipherRow {
  const char* name;
  const char* kx;
  const char* au;
  const char* enc;
  int usedBits;
  int supportedBits;
  const char* protocolString;
  SslProtocol protocol;
};

class CipherFieldsTest : public testing::TestWithParam<CipherRow> {};

TEST_P(CipherFieldsTest, FieldsComeFromOpenSslDescription) {
  const CipherRow& row = GetParam();
  const Cipher cipher(row.name);
  ASSERT_FALSE(cipher.isNull()) << row.name;
  EXPECT_EQ(cipher.name(), row.name);
  EXPECT_EQ(cipher.keyExchangeMethod(), row.kx);
  EXPECT_EQ(cipher.authenticationMethod(), row.au);
  EXPECT_EQ(cipher.encryptionMethod(), row.enc);
  EXPECT_EQ(cipher.usedBits(), row.usedBits);
  EXPECT_EQ(cipher.supportedBits(), row.supportedBits);
  EXPECT_EQ(cipher.protocolString(), row.protocolString);
  EXPECT_EQ(cipher.protocol(), row.protocol);
}

INSTANTIATE_TEST_SUITE_P(
    Suites, CipherFieldsTest,
    testing::Values(
        CipherRow{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDH", "ECDSA", "AESGCM(128)", 128, 128,
                  "TLSv1.2", SslProtocol::TlsV1_2},
        CipherRow{"ECDHE-RSA-CHACHA20-POLY1305", "ECDH", "RSA", "CHACHA20/POLY1305(256)", 256,
                  256, "TLSv1.2", SslProtocol::TlsV1_2},
        CipherRow{"PSK-AES128-GCM-SHA256", "PSK", "PSK", "AESGCM(128)", 128, 128, "TLSv1.2",
                  SslProtocol::TlsV1_2},
        CipherRow{"ECDHE-PSK-AES128-CBC-SHA256", "ECDHEPSK", "PSK", "AES(128)", 128, 128,
                  "TLSv1.0", SslProtocol::TlsV1_0},
        CipherRow{"AES256-SHA", "RSA", "RSA", "AES(256)", 256, 256, "SSLv3",
                  SslProtocol::UnknownProtocol},
        CipherRow{"ADH-AES128-GCM-SHA256", "DH", "None", "AESGCM(128)", 128, 128, "TLSv1.2",
                  SslProtocol::TlsV1_2},
        CipherRow{"PSK-NULL-SHA256", "PSK", "PSK", "None", 0, 0, "TLSv1.0",
                  SslProtocol::TlsV1_0},
        CipherRow{"TLS_AES_128_GCM_SHA256", "any", "any", "AESGCM(128)", 128, 128, "TLSv1.3",
                  SslProtocol::TlsV1_3}),
    [](const testing::TestParamInfo<CipherRow>& row) {
      std::string name = row.param.name;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(CipherTest, DefaultIsNull) {
  const Cipher cipher;
  EXPECT_TRUE(cipher.isNull());
  EXPECT_EQ(cipher.name(), "");
  EXPECT_EQ(cipher.usedBits(), 0);
  EXPECT_EQ(cipher.supportedBits(), 0);
  EXPECT_EQ(cipher.keyExchangeMethod(), "");
  EXPECT_EQ(cipher.authenticationMethod(), "");
  EXPECT_EQ(cipher.encryptionMethod(), "");
  EXPECT_EQ(cipher.protocolString(), "");
  EXPECT_EQ(cipher.protocol(), SslProtocol::UnknownProtocol);
}

TEST(CipherTest, UnknownNamesAreNull) {
  for (const char* name : {"", "FOO", "ecdhe-ecdsa-aes128-gcm-sha256", "HIGH",
                           "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "SRP-AES-128-CBC-SHA",
                           "RC4-SHA"}) {
    EXPECT_TRUE(Cipher(name).isNull()) << name;
  }
}

TEST(CipherTest, NameAndProtocolMustBothMatch) {
  EXPECT_FALSE(Cipher("ECDHE-ECDSA-AES128-GCM-SHA256", SslProtocol::TlsV1_2).isNull());
  EXPECT_TRUE(Cipher("ECDHE-ECDSA-AES128-GCM-SHA256", SslProtocol::TlsV1_3).isNull());
  EXPECT_TRUE(Cipher("ECDHE-ECDSA-AES128-GCM-SHA256", SslProtocol::DtlsV1_2).isNull());
  EXPECT_FALSE(Cipher("TLS_AES_256_GCM_SHA384", SslProtocol::TlsV1_3).isNull());
  EXPECT_TRUE(Cipher("FOO", SslProtocol::TlsV1_2).isNull());
}

TEST(CipherTest, EqualityIsNameAndProtocol) {
  const Cipher a("ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(a, Cipher("ECDHE-ECDSA-AES128-GCM-SHA256", SslProtocol::TlsV1_2));
  EXPECT_NE(a, Cipher("ECDHE-RSA-AES128-GCM-SHA256"));
  EXPECT_NE(a, Cipher());
  EXPECT_EQ(Cipher(), Cipher("FOO"));
}

TEST(CipherTest, CopyMoveAndSwap) {
  Cipher a("PSK-AES128-GCM-SHA256");
  Cipher b;
  const Cipher copy = a;
  EXPECT_EQ(copy, a);
  a.swap(b);
  EXPECT_TRUE(a.isNull());
  EXPECT_EQ(b.name(), "PSK-AES128-GCM-SHA256");
  swap(a, b);
  EXPECT_EQ(a.name(), "PSK-AES128-GCM-SHA256");
  const Cipher moved = std::move(a);
  EXPECT_EQ(moved, copy);
  EXPECT_EQ(moved.authenticationMethod(), "PSK");
}

}  // namespace
}  // namespace dtls
