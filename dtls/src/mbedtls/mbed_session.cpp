// MbedtlsConnection: certificate verification errors and the session state of a finished
// handshake.
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/x509.h>

#include <array>

#include "configuration_access.h"
#include "mbed_connection.h"
#include "mbed_context.h"
#include "supported.h"

namespace dtls::detail {

namespace {

Certificate certificateOf(const mbedtls_x509_crt* crt) {
  const auto parsed = Certificate::fromData(
      ByteArray(reinterpret_cast<const char*>(crt->raw.p), crt->raw.len), EncodingFormat::Der);
  return parsed.empty() ? Certificate() : parsed.front();
}

bool selfSigned(const mbedtls_x509_crt* crt) {
  return crt->issuer_raw.len == crt->subject_raw.len &&
         std::equal(crt->issuer_raw.p, crt->issuer_raw.p + crt->issuer_raw.len,
                    crt->subject_raw.p);
}

// The SslError codes OpenSSL's X509 verification would report for mbedTLS's flags on one
// certificate. The name check is not among them: the shared half reports HostNameMismatch.
std::vector<SslError::Error> errorsOf(std::uint32_t flags, const mbedtls_x509_crt* crt,
                                      int depth) {
  std::vector<SslError::Error> errors;
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    // mbedTLS flags the last certificate it could chain: the one whose issuer is unknown.
    // OpenSSL adds "unable to verify the first certificate" when that is the leaf.
    if (!selfSigned(crt)) {
      errors.push_back(SslError::UnableToGetLocalIssuerCertificate);
      if (depth == 0) errors.push_back(SslError::UnableToVerifyFirstCertificate);
    } else {
      errors.push_back(depth == 0 ? SslError::SelfSignedCertificate
                                  : SslError::SelfSignedCertificateInChain);
    }
  }
  if (flags & MBEDTLS_X509_BADCERT_FUTURE) errors.push_back(SslError::CertificateNotYetValid);
  if (flags & MBEDTLS_X509_BADCERT_EXPIRED) errors.push_back(SslError::CertificateExpired);
  if (flags & MBEDTLS_X509_BADCERT_REVOKED) errors.push_back(SslError::CertificateRevoked);
  if (flags & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE |
               MBEDTLS_X509_BADCERT_NS_CERT_TYPE))
    errors.push_back(SslError::InvalidPurpose);
  if (flags & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK |
               MBEDTLS_X509_BADCERT_BAD_KEY | MBEDTLS_X509_BADCERT_OTHER))
    errors.push_back(SslError::UnspecifiedError);
  return errors;
}

SslProtocol protocolOf(const mbedtls_ssl_context* ssl) {
  switch (ssl->minor_ver) {
    case MBEDTLS_SSL_MINOR_VERSION_2: return SslProtocol::DtlsV1_0;
    case MBEDTLS_SSL_MINOR_VERSION_3: return SslProtocol::DtlsV1_2;
    default: return SslProtocol::UnknownProtocol;
  }
}

}  // namespace

int MbedtlsConnection::verifyCertificate(void* self, mbedtls_x509_crt* crt, int depth,
                                         std::uint32_t* flags) {
  auto* c = static_cast<MbedtlsConnection*>(self);
  const auto errors = errorsOf(*flags, crt, depth);
  // The errors are collected here and decided by the shared half; mbedTLS itself must not fail
  // on them (with MBEDTLS_SSL_VERIFY_REQUIRED, set only to make a missing certificate fatal).
  *flags = 0;
  if (errors.empty()) return 0;
  const Certificate certificate = certificateOf(crt);
  bool stop = false;
  for (SslError::Error error : errors) stop = c->noteVerificationError(SslError(error, certificate)) || stop;
  // Any error other than CERT_VERIFY_FAILED survives MBEDTLS_SSL_VERIFY_OPTIONAL: mbedTLS sends
  // an alert and fails the handshake, as OpenSSL does when its verify callback returns 0.
  return stop ? MBEDTLS_ERR_X509_FATAL_ERROR : 0;
}

void MbedtlsConnection::collectSessionState() {
  SessionState s;
  const mbedtls_ssl_context* ssl = &tls_->ssl;
  s.session_cipher = dtlsCipherOfSuiteId(
      static_cast<std::uint16_t>(mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(ssl))));
  s.session_protocol = protocolOf(ssl);
  for (const mbedtls_x509_crt* crt = mbedtls_ssl_get_peer_cert(ssl); crt != nullptr;
       crt = crt->next) {
    const Certificate certificate = certificateOf(crt);
    if (!certificate.isNull()) s.peer_certificate_chain.push_back(certificate);
  }
  if (!s.peer_certificate_chain.empty()) s.peer_certificate = s.peer_certificate_chain.front();
  s.ephemeral_server_key = ephemeral_server_key_;
  // mbedTLS checks the leaf's (extended) key usage after the verify callback
  // (mbedtls_ssl_check_cert_usage), so that error arrives only in the verify result.
  constexpr std::uint32_t kUsageFlags =
      MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;
  if (!s.peer_certificate.isNull() && (mbedtls_ssl_get_verify_result(ssl) & kUsageFlags) != 0)
    noteVerificationError(SslError(SslError::InvalidPurpose, s.peer_certificate));

  if (!configuration.allowedNextProtocols().empty()) {
    const char* alpn = mbedtls_ssl_get_alpn_protocol(ssl);
    if (alpn != nullptr) {
      s.next_negotiated_protocol = alpn;
      s.next_protocol_status = Configuration::NextProtocolNegotiationNegotiated;
    } else {
      s.next_protocol_status = Configuration::NextProtocolNegotiationUnsupported;
    }
  }

  s.session_ticket = configuration.sessionTicket();
  if (mode == SslMode::SslClientMode &&
      !configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence)) {
    // The session in mbedTLS's own serialization (mbedtls_ssl_session_save): a ticket from one
    // backend resumes only on the same backend.
    mbedtls_ssl_session session;
    mbedtls_ssl_session_init(&session);
    std::size_t bytes = 0;
    if (mbedtls_ssl_get_session(ssl, &session) == 0 &&
        mbedtls_ssl_session_save(&session, nullptr, 0, &bytes) ==
            MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL) {
      ByteArray saved(bytes, '\0');
      if (mbedtls_ssl_session_save(&session, reinterpret_cast<unsigned char*>(saved.data()),
                                   saved.size(), &bytes) == 0) {
        s.session_ticket = saved;
        s.session_ticket_lifetime_hint_s =
            session.ticket != nullptr ? static_cast<int>(session.ticket_lifetime) : -1;
      }
    }
    mbedtls_ssl_session_free(&session);
  }
  ConfigurationAccess::setSessionState(configuration, s);
}

}  // namespace dtls::detail
