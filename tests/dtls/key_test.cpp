#include <dtls/key.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace dtls {
namespace {

using ::testing::StartsWith;

ByteArray readData(const std::string& name) {
  std::ifstream in(std::string(DTLSIM_TEST_DATA_DIR) + "/certs/" + name, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

struct LoadCase {
  const char* name;
  const char* file;
  KeyAlgorithm algorithm;
  EncodingFormat encoding;
  KeyType type;
  ByteArray passphrase;
  int length;  // -1: the key must be null
};

class KeyLoadTest : public ::testing::TestWithParam<LoadCase> {};

TEST_P(KeyLoadTest, LoadsOrRefuses) {
  const LoadCase& c = GetParam();
  const Key key(readData(c.file), c.algorithm, c.encoding, c.type, c.passphrase);
  EXPECT_EQ(key.length(), c.length);
  EXPECT_EQ(key.isNull(), c.length == -1);
  if (!key.isNull()) {
    EXPECT_EQ(key.algorithm(), c.algorithm);
    EXPECT_EQ(key.type(), c.type);
    EXPECT_NE(key.handle(), nullptr);
  }
}

constexpr auto kPem = EncodingFormat::Pem;
constexpr auto kDer = EncodingFormat::Der;
constexpr auto kPrivate = KeyType::PrivateKey;
constexpr auto kPublic = KeyType::PublicKey;

INSTANTIATE_TEST_SUITE_P(
    Key, KeyLoadTest,
    ::testing::Values(
        LoadCase{"EcPrivatePem", "server.key.pem", KeyAlgorithm::Ec, kPem, kPrivate, "", 256},
        LoadCase{"EcPublicPem", "server.pub.pem", KeyAlgorithm::Ec, kPem, kPublic, "", 256},
        LoadCase{"EcPrivateDer", "server.key.der", KeyAlgorithm::Ec, kDer, kPrivate, "", 256},
        LoadCase{"RsaPrivatePem", "server-rsa.key.pem", KeyAlgorithm::Rsa, kPem, kPrivate, "",
                 2048},
        LoadCase{"RsaPublicPem", "server-rsa.pub.pem", KeyAlgorithm::Rsa, kPem, kPublic, "", 2048},
        LoadCase{"OpaqueAcceptsAnyKey", "server.key.pem", KeyAlgorithm::Opaque, kPem, kPrivate, "",
                 256},
        LoadCase{"EncryptedRightPassphrase", "server.key.encrypted.pem", KeyAlgorithm::Ec, kPem,
                 kPrivate, "dtlsim", 256},
        LoadCase{"EncryptedWrongPassphrase", "server.key.encrypted.pem", KeyAlgorithm::Ec, kPem,
                 kPrivate, "wrong", -1},
        LoadCase{"EncryptedNoPassphrase", "server.key.encrypted.pem", KeyAlgorithm::Ec, kPem,
                 kPrivate, "", -1},
        LoadCase{"WrongAlgorithm", "server.key.pem", KeyAlgorithm::Rsa, kPem, kPrivate, "", -1},
        LoadCase{"PublicAskedAsPrivate", "server.pub.pem", KeyAlgorithm::Ec, kPem, kPrivate, "",
                 -1},
        LoadCase{"PrivateAskedAsPublic", "server.key.pem", KeyAlgorithm::Ec, kPem, kPublic, "",
                 -1},
        LoadCase{"PemReadAsDer", "server.key.pem", KeyAlgorithm::Ec, kDer, kPrivate, "", -1},
        LoadCase{"DerReadAsPem", "server.key.der", KeyAlgorithm::Ec, kPem, kPrivate, "", -1},
        LoadCase{"CertificateIsNotAKey", "server.pem", KeyAlgorithm::Ec, kPem, kPrivate, "", -1},
        LoadCase{"MissingFile", "missing.pem", KeyAlgorithm::Ec, kPem, kPrivate, "", -1}),
    [](const ::testing::TestParamInfo<LoadCase>& row) { return row.param.name; });

TEST(KeyTest, GarbageGivesNullKey) {
  for (const ByteArray& garbage : {ByteArray(), ByteArray("garbage"), ByteArray(1000, '\xff'),
                                   ByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                             "-----END PRIVATE KEY-----\n")}) {
    for (const auto encoding : {kPem, kDer}) {
      for (const auto type : {kPrivate, kPublic}) {
        EXPECT_TRUE(Key(garbage, KeyAlgorithm::Opaque, encoding, type, "pw").isNull());
      }
    }
  }
}

TEST(KeyTest, NullKey) {
  const Key key;
  EXPECT_TRUE(key.isNull());
  EXPECT_EQ(key.algorithm(), KeyAlgorithm::Opaque);
  EXPECT_EQ(key.type(), KeyType::PrivateKey);
  EXPECT_EQ(key.length(), -1);
  EXPECT_EQ(key.handle(), nullptr);
  EXPECT_EQ(key.toPem(), "");
  EXPECT_EQ(key.toDer(), "");
  EXPECT_EQ(key, Key());
}

TEST(KeyTest, EncryptedAndPlainPemAreTheSameKey) {
  const Key plain(readData("server.key.pem"), KeyAlgorithm::Ec);
  const Key decrypted(readData("server.key.encrypted.pem"), KeyAlgorithm::Ec, kPem, kPrivate,
                      "dtlsim");
  EXPECT_EQ(plain, decrypted);
  EXPECT_EQ(plain, Key(readData("server.key.der"), KeyAlgorithm::Ec, kDer));
  EXPECT_NE(plain, Key(readData("client.key.pem"), KeyAlgorithm::Ec));
  EXPECT_NE(plain, Key(readData("server.pub.pem"), KeyAlgorithm::Ec, kPem, kPublic));
}

TEST(KeyTest, PrivatePemRoundTrip) {
  const Key key(readData("server-rsa.key.pem"), KeyAlgorithm::Rsa);
  const ByteArray pem = key.toPem();
  EXPECT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_EQ(Key(pem, KeyAlgorithm::Rsa), key);
}

TEST(KeyTest, EncryptedPemRoundTripNeedsThePassphrase) {
  const Key key(readData("server.key.pem"), KeyAlgorithm::Ec);
  const ByteArray pem = key.toPem("secret");
  EXPECT_THAT(pem, StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  EXPECT_EQ(Key(pem, KeyAlgorithm::Ec, kPem, kPrivate, "secret"), key);
  EXPECT_TRUE(Key(pem, KeyAlgorithm::Ec, kPem, kPrivate, "dtlsim").isNull());
  EXPECT_TRUE(Key(pem, KeyAlgorithm::Ec).isNull());
}

TEST(KeyTest, DerRoundTrip) {
  for (const auto& [file, algorithm] :
       {std::pair{"server.key.pem", KeyAlgorithm::Ec}, {"server-rsa.key.pem", KeyAlgorithm::Rsa}}) {
    const Key key(readData(file), algorithm);
    const ByteArray der = key.toDer();
    ASSERT_FALSE(der.empty()) << file;
    EXPECT_EQ(Key(der, algorithm, kDer), key) << file;
    EXPECT_EQ(key.toDer("passphrase"), "") << file;  // DER carries no encryption
  }
}

TEST(KeyTest, PublicKeyRoundTrips) {
  const Key key(readData("server.pub.pem"), KeyAlgorithm::Ec, kPem, kPublic);
  EXPECT_EQ(key.toPem(), readData("server.pub.pem"));
  EXPECT_EQ(Key(key.toDer(), KeyAlgorithm::Ec, kDer, kPublic), key);
  EXPECT_EQ(key.toPem("ignored"), key.toPem());
}

TEST(KeyTest, EncryptedDerPkcs8) {
  // OpenSSL writes encrypted PKCS#8 DER only through its API: build it here.
  const Key key(readData("server.key.pem"), KeyAlgorithm::Ec);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(i2d_PKCS8PrivateKey_bio(bio, key.handle(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                    const_cast<char*>("pw")),
            1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const ByteArray der(data, static_cast<size_t>(len));
  BIO_free(bio);
  EXPECT_EQ(Key(der, KeyAlgorithm::Ec, kDer, kPrivate, "pw"), key);
  EXPECT_TRUE(Key(der, KeyAlgorithm::Ec, kDer, kPrivate, "other").isNull());
}

TEST(KeyTest, FromHandleTakesAReference) {
  const Key original(readData("server-rsa.key.pem"), KeyAlgorithm::Rsa);
  EVP_PKEY* raw = original.handle();
  const Key wrapped = Key::fromHandle(raw);
  EXPECT_EQ(wrapped.handle(), raw);
  EXPECT_EQ(wrapped.algorithm(), KeyAlgorithm::Rsa);
  EXPECT_EQ(wrapped, original);
  EXPECT_EQ(Key::fromHandle(raw, kPublic).type(), kPublic);
  EXPECT_TRUE(Key::fromHandle(nullptr).isNull());
}

TEST(KeyTest, FromHandleOfAnEd25519KeyIsOpaque) {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(raw, nullptr);
  const Key key = Key::fromHandle(raw);
  EVP_PKEY_free(raw);  // the Key holds its own reference
  EXPECT_EQ(key.algorithm(), KeyAlgorithm::Opaque);
  EXPECT_EQ(key.length(), 256);
  EXPECT_EQ(Key(key.toPem(), KeyAlgorithm::Opaque), key);
  EXPECT_TRUE(Key(key.toPem(), KeyAlgorithm::Ec).isNull());
}

TEST(KeyTest, CopyClearSwap) {
  Key a(readData("server.key.pem"), KeyAlgorithm::Ec);
  Key b = a;
  EXPECT_EQ(a.handle(), b.handle());
  Key c(readData("server-rsa.key.pem"), KeyAlgorithm::Rsa);
  swap(b, c);
  EXPECT_EQ(b.algorithm(), KeyAlgorithm::Rsa);
  EXPECT_EQ(c, a);
  a.clear();
  EXPECT_TRUE(a.isNull());
  EXPECT_EQ(a.length(), -1);
  EXPECT_FALSE(c.isNull());
}

}  // namespace
}  // namespace dtls
