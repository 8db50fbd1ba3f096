// dtls/ssl_error.h — one certificate-verification problem (the role of QSslError): a code and
// the certificate it is about.
//
// A value type: copies are cheap (the certificate inside is shared). Connection reports a
// handshake's verification errors as a std::vector<SslError>; Certificate::verify returns one.
#pragma once

#include <dtls/certificate.h>

#include <cstddef>
#include <string>

namespace dtls {

class SslError {
 public:
  // Qt's QSslError::SslError codes with Qt's numeric values (stable: they may be stored or
  // logged). The OCSP codes exist for mapping; dtlsim does not do OCSP stapling.
  enum Error : int {
    NoError = 0,
    UnableToGetIssuerCertificate = 1,
    UnableToDecryptCertificateSignature = 2,
    UnableToDecodeIssuerPublicKey = 3,
    CertificateSignatureFailed = 4,
    CertificateNotYetValid = 5,
    CertificateExpired = 6,
    InvalidNotBeforeField = 7,
    InvalidNotAfterField = 8,
    SelfSignedCertificate = 9,
    SelfSignedCertificateInChain = 10,
    UnableToGetLocalIssuerCertificate = 11,
    UnableToVerifyFirstCertificate = 12,
    CertificateRevoked = 13,
    InvalidCaCertificate = 14,
    PathLengthExceeded = 15,
    InvalidPurpose = 16,
    CertificateUntrusted = 17,
    CertificateRejected = 18,
    SubjectIssuerMismatch = 19,
    AuthorityIssuerSerialNumberMismatch = 20,
    NoPeerCertificate = 21,
    HostNameMismatch = 22,
    NoSslSupport = 23,
    CertificateBlacklisted = 24,
    CertificateStatusUnknown = 25,
    OcspNoResponseFound = 26,
    OcspMalformedRequest = 27,
    OcspMalformedResponse = 28,
    OcspInternalError = 29,
    OcspTryLater = 30,
    OcspSigRequred = 31,  // sic: Qt's spelling
    OcspUnauthorized = 32,
    OcspResponseCannotBeTrusted = 33,
    OcspResponseCertIdUnknown = 34,
    OcspResponseExpired = 35,
    OcspStatusUnknown = 36,
    UnspecifiedError = -1,
  };

  // NoError with a null certificate.
  SslError();
  explicit SslError(Error error);
  SslError(Error error, const Certificate& certificate);

  SslError(const SslError&) = default;
  SslError(SslError&&) noexcept = default;
  SslError& operator=(const SslError&) = default;
  SslError& operator=(SslError&&) noexcept = default;
  ~SslError() = default;

  Error error() const { return error_; }
  // A one-sentence English description of error() ("The certificate has expired"). A value
  // outside the enum gives "Unknown error".
  std::string errorString() const;
  // The certificate the error is about; null when the error is not about one.
  Certificate certificate() const { return certificate_; }

  void swap(SslError& other) noexcept;

  // Same code and same certificate.
  bool operator==(const SslError& other) const;
  bool operator!=(const SslError& other) const { return !(*this == other); }

  // The description of `error` without building an SslError.
  static std::string errorString(Error error);
  // The enumerator's name ("CertificateExpired"), for traces; "Unknown" outside the enum.
  static const char* toString(Error error);

 private:
  Error error_ = NoError;
  Certificate certificate_;
};

inline void swap(SslError& a, SslError& b) noexcept { a.swap(b); }

}  // namespace dtls

// Combines the code and the certificate's hash.
template <> struct std::hash<dtls::SslError> {
  std::size_t operator()(const dtls::SslError& error) const noexcept;
};
