#include "dtls/dh_parameters.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>
#include <unordered_set>

namespace dtls {
namespace {

using DH = DiffieHellmanParameters;

// `openssl dhparam 1024`: a safe prime, not a named group.
constexpr char kSafe1024Pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIGHAoGBAK0qkrsAUFu7ikd1Hmi7cEtseKTCy1LyQWrE9BzGq7iXr6ENK0beticV\n"
    "m+buKpyT3eAS3vKFqQens2jGuZjxGyhEeBkxb1HYf+Gr2Ga5kG3826YtWhB2jF3b\n"
    "wPE3FCr+Mdrc8VnaUPs+PNSl4iL/JdQdZFT0z6R8gkiQVuK1Zeu3AgEC\n"
    "-----END DH PARAMETERS-----\n";

// `openssl dhparam 512`: a safe prime, but too small.
constexpr char kSafe512Pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MEYCQQDQD+qIzPfoWCgobP97EnVj+w8sOC0ztyz1sqFm6WKqkZJ1+E62Wf48A5l9\n"
    "Cz/+DGC0C/Haw9+apKE9U0RevxKHAgEC\n"
    "-----END DH PARAMETERS-----\n";

// p from `openssl prime -generate -bits 1024` (prime, (p-1)/2 composite), g = 2.
constexpr char kNonSafe1024Pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIGHAoGBANKwIs2/esPk56DL0vwZzkQtX9k/4VibSiMUrHW854r2GrxXsJNopzxj\n"
    "uHsZCitikSFaOz9d2LdzyBwVXaVvk+AcNgScSLZ9m/Vy2G+9G/yjXVhEBnVy3ID7\n"
    "FHNMe0Yradl82ct4nPu6Bb0CUQUyLAfgXRaY0EfTGIFjuh7PWFlJAgEC\n"
    "-----END DH PARAMETERS-----\n";

// p = 2^1023 + 24691 (composite), g = 2.
constexpr char kComposite1024Pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIGHAoGBAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGBzAgEC\n"
    "-----END DH PARAMETERS-----\n";

// PEM -> DER with OpenSSL, independently of the code under test.
ByteArray pemToDer(const char* pem) {
  BIO* bio = BIO_new_mem_buf(pem, -1);
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  EXPECT_EQ(PEM_read_bio(bio, &name, &header, &data, &length), 1);
  ByteArray der(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  BIO_free(bio);
  return der;
}

// The prime p of DER-encoded parameters, as upper-case hex.
std::string primeHex(const ByteArray& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* pkey = d2i_KeyParams(EVP_PKEY_DH, nullptr, &cursor, static_cast<long>(der.size()));
  if (pkey == nullptr) return "decode failed";
  BIGNUM* p = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_FFC_P, &p), 1);
  char* hex = BN_bn2hex(p);
  std::string result = hex;
  OPENSSL_free(hex);
  BN_free(p);
  EVP_PKEY_free(pkey);
  return result;
}

TEST(DiffieHellmanParametersTest, DefaultConstructedIsEmptyAndValid) {
  const DH dh;
  EXPECT_TRUE(dh.isEmpty());
  EXPECT_TRUE(dh.isValid());
  EXPECT_EQ(dh.error(), DH::NoError);
  EXPECT_EQ(dh.errorString(), "No error");
  EXPECT_EQ(dh.encoded(), "");
}

TEST(DiffieHellmanParametersTest, DefaultParametersAreRfc3526Group14) {
  const DH dh = DH::defaultParameters();
  EXPECT_TRUE(dh.isValid());
  EXPECT_FALSE(dh.isEmpty());
  EXPECT_EQ(dh.error(), DH::NoError);
  BIGNUM* rfc = BN_get_rfc3526_prime_2048(nullptr);
  char* hex = BN_bn2hex(rfc);
  EXPECT_EQ(primeHex(dh.encoded()), hex);
  EXPECT_EQ(BN_num_bits(rfc), 2048);
  OPENSSL_free(hex);
  BN_free(rfc);
  EXPECT_EQ(dh.encoded().size(), 268u);  // SEQUENCE { 257-byte INTEGER p, INTEGER 2 }
  EXPECT_EQ(dh.encoded().substr(dh.encoded().size() - 3), ByteArray("\x02\x01\x02", 3));
  EXPECT_EQ(dh, DH::defaultParameters());
}

TEST(DiffieHellmanParametersTest, PemAndDerRoundTrip) {
  const DH fromPem = DH::fromEncoded(kSafe1024Pem, EncodingFormat::Pem);
  ASSERT_TRUE(fromPem.isValid()) << fromPem.errorString();
  EXPECT_FALSE(fromPem.isEmpty());
  EXPECT_EQ(fromPem.encoded(), pemToDer(kSafe1024Pem));
  const DH fromDer = DH::fromEncoded(fromPem.encoded(), EncodingFormat::Der);
  EXPECT_TRUE(fromDer.isValid()) << fromDer.errorString();
  EXPECT_EQ(fromDer, fromPem);
  EXPECT_EQ(std::hash<DH>()(fromDer), std::hash<DH>()(fromPem));
  const DH defaultAgain = DH::fromEncoded(DH::defaultParameters().encoded(), EncodingFormat::Der);
  EXPECT_EQ(defaultAgain, DH::defaultParameters());
  EXPECT_NE(fromPem, DH::defaultParameters());
}

TEST(DiffieHellmanParametersTest, PemDefaultFormatAndSurroundingText) {
  const std::string pem = std::string("comment line\n") + kSafe1024Pem + "trailer\n";
  EXPECT_TRUE(DH::fromEncoded(pem).isValid());
}

struct BadRow {
  const char* what;
  ByteArray input;
  EncodingFormat format;
  DH::Error error;
  const char* errorString;
};

class DiffieHellmanBadInputTest : public testing::TestWithParam<BadRow> {};

TEST_P(DiffieHellmanBadInputTest, IsRefusedWithError) {
  const BadRow& row = GetParam();
  const DH dh = DH::fromEncoded(row.input, row.format);
  EXPECT_FALSE(dh.isValid());
  EXPECT_FALSE(dh.isEmpty());
  EXPECT_EQ(dh.error(), row.error);
  EXPECT_EQ(dh.errorString(), row.errorString);
  EXPECT_EQ(dh.encoded(), "");
}

ByteArray withTrailingByte(const char* pem) { return pemToDer(pem) + "x"; }

const BadRow kBadRows[] = {
    {"empty_pem", "", EncodingFormat::Pem, DH::InvalidInputDataError,
     "Invalid input data: empty input"},
    {"empty_der", "", EncodingFormat::Der, DH::InvalidInputDataError,
     "Invalid input data: empty input"},
    {"garbage_pem", "garbage", EncodingFormat::Pem, DH::InvalidInputDataError,
     "Invalid input data: no PEM block found (bad BEGIN/END lines or base64)"},
    {"garbage_der", "garbage", EncodingFormat::Der, DH::InvalidInputDataError,
     "Invalid input data: not a DER-encoded PKCS#3 DHparams structure"},
    {"pem_given_as_der", kSafe1024Pem, EncodingFormat::Der, DH::InvalidInputDataError,
     "Invalid input data: not a DER-encoded PKCS#3 DHparams structure"},
    {"wrong_pem_label",
     "-----BEGIN CERTIFICATE-----\nMAMCAQI=\n-----END CERTIFICATE-----\n", EncodingFormat::Pem,
     DH::InvalidInputDataError,
     "Invalid input data: PEM block is 'CERTIFICATE', expected 'DH PARAMETERS'"},
    {"trailing_der_byte", withTrailingByte(kSafe1024Pem), EncodingFormat::Der,
     DH::InvalidInputDataError, "Invalid input data: 1 trailing bytes after the DHparams DER"},
    {"too_small", kSafe512Pem, EncodingFormat::Pem, DH::UnsafeParametersError,
     "The given Diffie-Hellman parameters are deemed unsafe: prime of 512 bits, at least 1024 "
     "required"},
    {"not_safe_prime", kNonSafe1024Pem, EncodingFormat::Pem, DH::UnsafeParametersError,
     "The given Diffie-Hellman parameters are deemed unsafe: check p not safe prime"},
    {"composite", kComposite1024Pem, EncodingFormat::Pem, DH::UnsafeParametersError,
     "The given Diffie-Hellman parameters are deemed unsafe: check p not prime"},
};

INSTANTIATE_TEST_SUITE_P(Inputs, DiffieHellmanBadInputTest, testing::ValuesIn(kBadRows),
                         [](const testing::TestParamInfo<BadRow>& row) {
                           return std::string(row.param.what);
                         });

TEST(DiffieHellmanParametersTest, EqualityHashAndSwap) {
  DH a = DH::defaultParameters();
  DH b = DH::fromEncoded("garbage");
  EXPECT_NE(a, b);
  EXPECT_NE(a, DH());
  EXPECT_EQ(b, DH::fromEncoded("other garbage"));  // same error, no parameters
  EXPECT_NE(b, DH::fromEncoded(kSafe512Pem));       // another error
  const std::unordered_set<DH> set = {a, b, DH(), a};
  EXPECT_EQ(set.size(), 3u);
  a.swap(b);
  EXPECT_EQ(a.error(), DH::InvalidInputDataError);
  EXPECT_EQ(b, DH::defaultParameters());
  swap(a, b);
  EXPECT_EQ(a, DH::defaultParameters());
}

}  // namespace
}  // namespace dtls
