#include <dtls/ssl_error.h>

#include "ssl_error_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <openssl/x509_vfy.h>

#include <fstream>
#include <set>
#include <sstream>

namespace dtls {
namespace {

// Every code, with Qt's value.
const std::vector<std::pair<SslError::Error, int>> kAllCodes = {
    {SslError::NoError, 0},
    {SslError::UnableToGetIssuerCertificate, 1},
    {SslError::UnableToDecryptCertificateSignature, 2},
    {SslError::UnableToDecodeIssuerPublicKey, 3},
    {SslError::CertificateSignatureFailed, 4},
    {SslError::CertificateNotYetValid, 5},
    {SslError::CertificateExpired, 6},
    {SslError::InvalidNotBeforeField, 7},
    {SslError::InvalidNotAfterField, 8},
    {SslError::SelfSignedCertificate, 9},
    {SslError::SelfSignedCertificateInChain, 10},
    {SslError::UnableToGetLocalIssuerCertificate, 11},
    {SslError::UnableToVerifyFirstCertificate, 12},
    {SslError::CertificateRevoked, 13},
    {SslError::InvalidCaCertificate, 14},
    {SslError::PathLengthExceeded, 15},
    {SslError::InvalidPurpose, 16},
    {SslError::CertificateUntrusted, 17},
    {SslError::CertificateRejected, 18},
    {SslError::SubjectIssuerMismatch, 19},
    {SslError::AuthorityIssuerSerialNumberMismatch, 20},
    {SslError::NoPeerCertificate, 21},
    {SslError::HostNameMismatch, 22},
    {SslError::NoSslSupport, 23},
    {SslError::CertificateBlacklisted, 24},
    {SslError::CertificateStatusUnknown, 25},
    {SslError::OcspNoResponseFound, 26},
    {SslError::OcspMalformedRequest, 27},
    {SslError::OcspMalformedResponse, 28},
    {SslError::OcspInternalError, 29},
    {SslError::OcspTryLater, 30},
    {SslError::OcspSigRequred, 31},
    {SslError::OcspUnauthorized, 32},
    {SslError::OcspResponseCannotBeTrusted, 33},
    {SslError::OcspResponseCertIdUnknown, 34},
    {SslError::OcspResponseExpired, 35},
    {SslError::OcspStatusUnknown, 36},
    {SslError::UnspecifiedError, -1},
};

Certificate loadServer() {
  std::ifstream in(std::string(DTLSIM_TEST_DATA_DIR) + "/certs/server.pem");
  std::stringstream buf;
  buf << in.rdbuf();
  return Certificate(buf.str());
}

TEST(SslErrorTest, CodesHaveQtValues) {
  for (const auto& [code, value] : kAllCodes) {
    EXPECT_EQ(static_cast<int>(code), value) << SslError::toString(code);
  }
}

TEST(SslErrorTest, EveryCodeHasADistinctMessageAndName) {
  std::set<std::string> messages;
  std::set<std::string> names;
  for (const auto& [code, value] : kAllCodes) {
    const std::string message = SslError(code).errorString();
    EXPECT_FALSE(message.empty()) << value;
    EXPECT_NE(message, "Unknown error") << value;
    messages.insert(message);
    names.insert(SslError::toString(code));
  }
  EXPECT_EQ(messages.size(), kAllCodes.size());
  EXPECT_EQ(names.size(), kAllCodes.size());
}

TEST(SslErrorTest, Messages) {
  EXPECT_EQ(SslError(SslError::CertificateExpired).errorString(), "The certificate has expired");
  EXPECT_EQ(SslError::errorString(SslError::HostNameMismatch),
            "The host name did not match any of the valid hosts for this certificate");
  EXPECT_EQ(SslError::errorString(SslError::SelfSignedCertificate),
            "The certificate is self-signed, and untrusted");
  EXPECT_EQ(SslError::errorString(static_cast<SslError::Error>(999)), "Unknown error");
  EXPECT_STREQ(SslError::toString(SslError::CertificateExpired), "CertificateExpired");
  EXPECT_STREQ(SslError::toString(static_cast<SslError::Error>(999)), "Unknown");
}

TEST(SslErrorTest, DefaultIsNoErrorWithoutCertificate) {
  const SslError error;
  EXPECT_EQ(error.error(), SslError::NoError);
  EXPECT_TRUE(error.certificate().isNull());
  EXPECT_EQ(error.errorString(), "No error");
}

TEST(SslErrorTest, EqualityComparesCodeAndCertificate) {
  const Certificate server = loadServer();
  ASSERT_FALSE(server.isNull());
  EXPECT_EQ(SslError(SslError::CertificateExpired, server),
            SslError(SslError::CertificateExpired, server));
  EXPECT_NE(SslError(SslError::CertificateExpired, server), SslError(SslError::CertificateExpired));
  EXPECT_NE(SslError(SslError::CertificateExpired), SslError(SslError::CertificateRevoked));
  EXPECT_EQ(std::hash<SslError>()(SslError(SslError::CertificateExpired, server)),
            std::hash<SslError>()(SslError(SslError::CertificateExpired, server)));
}

TEST(SslErrorTest, CopyAndSwap) {
  SslError a(SslError::HostNameMismatch, loadServer());
  SslError b(SslError::NoPeerCertificate);
  const SslError copy = a;
  swap(a, b);
  EXPECT_EQ(a.error(), SslError::NoPeerCertificate);
  EXPECT_TRUE(a.certificate().isNull());
  EXPECT_EQ(b, copy);
}

TEST(SslErrorTest, X509VerifyCodesMapLikeQt) {
  const std::vector<std::pair<int, SslError::Error>> cases = {
      {X509_V_OK, SslError::NoError},
      {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, SslError::UnableToGetIssuerCertificate},
      {X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, SslError::UnableToDecryptCertificateSignature},
      {X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, SslError::UnableToDecodeIssuerPublicKey},
      {X509_V_ERR_CERT_SIGNATURE_FAILURE, SslError::CertificateSignatureFailed},
      {X509_V_ERR_CERT_NOT_YET_VALID, SslError::CertificateNotYetValid},
      {X509_V_ERR_CERT_HAS_EXPIRED, SslError::CertificateExpired},
      {X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, SslError::InvalidNotBeforeField},
      {X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, SslError::InvalidNotAfterField},
      {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, SslError::SelfSignedCertificate},
      {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, SslError::SelfSignedCertificateInChain},
      {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, SslError::UnableToGetLocalIssuerCertificate},
      {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, SslError::UnableToVerifyFirstCertificate},
      {X509_V_ERR_CERT_REVOKED, SslError::CertificateRevoked},
      {X509_V_ERR_INVALID_CA, SslError::InvalidCaCertificate},
      {X509_V_ERR_PATH_LENGTH_EXCEEDED, SslError::PathLengthExceeded},
      {X509_V_ERR_INVALID_PURPOSE, SslError::InvalidPurpose},
      {X509_V_ERR_CERT_UNTRUSTED, SslError::CertificateUntrusted},
      {X509_V_ERR_CERT_REJECTED, SslError::CertificateRejected},
      {X509_V_ERR_SUBJECT_ISSUER_MISMATCH, SslError::SubjectIssuerMismatch},
      {X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH, SslError::AuthorityIssuerSerialNumberMismatch},
      {X509_V_ERR_HOSTNAME_MISMATCH, SslError::HostNameMismatch},
      {X509_V_ERR_IP_ADDRESS_MISMATCH, SslError::HostNameMismatch},
      {X509_V_ERR_OUT_OF_MEM, SslError::UnspecifiedError},
      {-12345, SslError::UnspecifiedError},
  };
  for (const auto& [x509_code, expected] : cases) {
    EXPECT_EQ(errorFromX509VerifyCode(x509_code), expected) << x509_code;
  }
}

}  // namespace
}  // namespace dtls
