#include <dtls/ssl_error.h>

#include "ssl_error_map.h"

#include <openssl/x509_vfy.h>

#include <functional>
#include <utility>

namespace dtls {
namespace {

struct ErrorText {
  SslError::Error error;
  const char* name;
  const char* text;
};

// One row per code; the messages are ours, in the spirit of the reference's.
constexpr ErrorText kErrorTexts[] = {
    {SslError::NoError, "NoError", "No error"},
    {SslError::UnableToGetIssuerCertificate, "UnableToGetIssuerCertificate",
     "The issuer certificate could not be found"},
    {SslError::UnableToDecryptCertificateSignature, "UnableToDecryptCertificateSignature",
     "The certificate signature could not be decrypted"},
    {SslError::UnableToDecodeIssuerPublicKey, "UnableToDecodeIssuerPublicKey",
     "The public key in the issuer certificate could not be read"},
    {SslError::CertificateSignatureFailed, "CertificateSignatureFailed",
     "The signature of the certificate is invalid"},
    {SslError::CertificateNotYetValid, "CertificateNotYetValid",
     "The certificate is not yet valid"},
    {SslError::CertificateExpired, "CertificateExpired", "The certificate has expired"},
    {SslError::InvalidNotBeforeField, "InvalidNotBeforeField",
     "The certificate's notBefore field contains an invalid time"},
    {SslError::InvalidNotAfterField, "InvalidNotAfterField",
     "The certificate's notAfter field contains an invalid time"},
    {SslError::SelfSignedCertificate, "SelfSignedCertificate",
     "The certificate is self-signed, and untrusted"},
    {SslError::SelfSignedCertificateInChain, "SelfSignedCertificateInChain",
     "The root certificate of the certificate chain is self-signed, and untrusted"},
    {SslError::UnableToGetLocalIssuerCertificate, "UnableToGetLocalIssuerCertificate",
     "The issuer certificate of a locally looked up certificate could not be found"},
    {SslError::UnableToVerifyFirstCertificate, "UnableToVerifyFirstCertificate",
     "No certificates could be verified"},
    {SslError::CertificateRevoked, "CertificateRevoked", "The certificate has been revoked"},
    {SslError::InvalidCaCertificate, "InvalidCaCertificate",
     "One of the CA certificates is invalid"},
    {SslError::PathLengthExceeded, "PathLengthExceeded",
     "The basicConstraints path length parameter has been exceeded"},
    {SslError::InvalidPurpose, "InvalidPurpose",
     "The supplied certificate is unsuitable for this purpose"},
    {SslError::CertificateUntrusted, "CertificateUntrusted",
     "The root CA certificate is not trusted for this purpose"},
    {SslError::CertificateRejected, "CertificateRejected",
     "The root CA certificate is marked to reject the specified purpose"},
    {SslError::SubjectIssuerMismatch, "SubjectIssuerMismatch",
     "The current candidate issuer certificate was rejected because its subject name did not "
     "match the issuer name of the current certificate"},
    {SslError::AuthorityIssuerSerialNumberMismatch, "AuthorityIssuerSerialNumberMismatch",
     "The current candidate issuer certificate was rejected because its issuer name and serial "
     "number was present and did not match the authority key identifier of the current "
     "certificate"},
    {SslError::NoPeerCertificate, "NoPeerCertificate",
     "The peer did not present any certificate"},
    {SslError::HostNameMismatch, "HostNameMismatch",
     "The host name did not match any of the valid hosts for this certificate"},
    {SslError::NoSslSupport, "NoSslSupport", "The peer does not support TLS or DTLS"},
    {SslError::CertificateBlacklisted, "CertificateBlacklisted",
     "The peer certificate is blacklisted"},
    {SslError::CertificateStatusUnknown, "CertificateStatusUnknown",
     "The status of this certificate is unknown"},
    {SslError::OcspNoResponseFound, "OcspNoResponseFound", "No OCSP status response found"},
    {SslError::OcspMalformedRequest, "OcspMalformedRequest",
     "The OCSP status request had invalid syntax"},
    {SslError::OcspMalformedResponse, "OcspMalformedResponse",
     "The OCSP response could not be parsed"},
    {SslError::OcspInternalError, "OcspInternalError",
     "The OCSP responder reached an inconsistent internal state"},
    {SslError::OcspTryLater, "OcspTryLater",
     "The OCSP responder was unable to return a status for the requested certificate"},
    {SslError::OcspSigRequred, "OcspSigRequred",
     "The OCSP responder requires the client to sign the request"},
    {SslError::OcspUnauthorized, "OcspUnauthorized",
     "The client is not authorized to request the OCSP status from this responder"},
    {SslError::OcspResponseCannotBeTrusted, "OcspResponseCannotBeTrusted",
     "The OCSP responder's identity cannot be verified"},
    {SslError::OcspResponseCertIdUnknown, "OcspResponseCertIdUnknown",
     "The identity of a certificate in an OCSP response cannot be established"},
    {SslError::OcspResponseExpired, "OcspResponseExpired",
     "The OCSP response is not within the validity period its update times give"},
    {SslError::OcspStatusUnknown, "OcspStatusUnknown",
     "The OCSP responder does not know the certificate's status"},
    {SslError::UnspecifiedError, "UnspecifiedError", "An unknown error occurred"},
};

const ErrorText* findText(SslError::Error error) {
  for (const ErrorText& row : kErrorTexts) {
    if (row.error == error) return &row;
  }
  return nullptr;
}

}  // namespace

SslError::SslError() = default;

SslError::SslError(Error error) : error_(error) {}

SslError::SslError(Error error, const Certificate& certificate)
    : error_(error), certificate_(certificate) {}

std::string SslError::errorString() const { return errorString(error_); }

std::string SslError::errorString(Error error) {
  const ErrorText* row = findText(error);
  return row != nullptr ? row->text : "Unknown error";
}

const char* SslError::toString(Error error) {
  const ErrorText* row = findText(error);
  return row != nullptr ? row->name : "Unknown";
}

void SslError::swap(SslError& other) noexcept {
  std::swap(error_, other.error_);
  certificate_.swap(other.certificate_);
}

bool SslError::operator==(const SslError& other) const {
  return error_ == other.error_ && certificate_ == other.certificate_;
}

// Qt's OpenSSL backend maps the first eighteen codes (qsslsocket_openssl.cpp,
// _q_OpenSSL_to_QSslError); the mismatch codes come from checks Qt does itself.
SslError::Error errorFromX509VerifyCode(int x509_v_err) {
  switch (x509_v_err) {
    case X509_V_OK: return SslError::NoError;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: return SslError::UnableToGetIssuerCertificate;
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
      return SslError::UnableToDecryptCertificateSignature;
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
      return SslError::UnableToDecodeIssuerPublicKey;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE: return SslError::CertificateSignatureFailed;
    case X509_V_ERR_CERT_NOT_YET_VALID: return SslError::CertificateNotYetValid;
    case X509_V_ERR_CERT_HAS_EXPIRED: return SslError::CertificateExpired;
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD: return SslError::InvalidNotBeforeField;
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: return SslError::InvalidNotAfterField;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: return SslError::SelfSignedCertificate;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: return SslError::SelfSignedCertificateInChain;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      return SslError::UnableToGetLocalIssuerCertificate;
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return SslError::UnableToVerifyFirstCertificate;
    case X509_V_ERR_CERT_REVOKED: return SslError::CertificateRevoked;
    case X509_V_ERR_INVALID_CA: return SslError::InvalidCaCertificate;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED: return SslError::PathLengthExceeded;
    case X509_V_ERR_INVALID_PURPOSE: return SslError::InvalidPurpose;
    case X509_V_ERR_CERT_UNTRUSTED: return SslError::CertificateUntrusted;
    case X509_V_ERR_CERT_REJECTED: return SslError::CertificateRejected;
    case X509_V_ERR_SUBJECT_ISSUER_MISMATCH: return SslError::SubjectIssuerMismatch;
    case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
      return SslError::AuthorityIssuerSerialNumberMismatch;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return SslError::HostNameMismatch;
    default: return SslError::UnspecifiedError;
  }
}

}  // namespace dtls

std::size_t std::hash<dtls::SslError>::operator()(const dtls::SslError& error) const noexcept {
  const std::size_t code = std::hash<int>()(static_cast<int>(error.error()));
  const std::size_t cert = std::hash<dtls::Certificate>()(error.certificate());
  return code ^ (cert + 0x9e3779b97f4a7c15ULL + (code << 6) + (code >> 2));
}
