// GnutlsConnection: certificate verification errors and the session state of a finished
// handshake.
#include <gnutls/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "configuration_access.h"
#include "ephemeral_key.h"
#include "gnutls_connection.h"
#include "gnutls_context.h"
#include "supported.h"

namespace dtls::detail {

namespace {

std::vector<Certificate> peerChain(gnutls_session_t session) {
  unsigned count = 0;
  const gnutls_datum_t* raw = gnutls_certificate_get_peers(session, &count);
  std::vector<Certificate> chain;
  for (unsigned i = 0; raw != nullptr && i < count; ++i) {
    const auto parsed = Certificate::fromData(
        ByteArray(reinterpret_cast<const char*>(raw[i].data), raw[i].size), EncodingFormat::Der);
    if (!parsed.empty()) chain.push_back(parsed.front());
  }
  return chain;
}

bool selfSigned(const Certificate& certificate) {
  return certificate.handle() != nullptr &&
         X509_check_issued(certificate.handle(), certificate.handle()) == X509_V_OK;
}

using Noted = std::vector<SslError>;

// The SslErrors OpenSSL's X509 verification would report for GnuTLS's status of the chain.
// GnuTLS gives one status for the whole chain; the certificate each error names is found as
// OpenSSL would: validity per certificate against the (virtual) time, the missing issuer at
// the end of the chain, everything else at the leaf. The name check is not among them: the
// shared half reports HostNameMismatch.
Noted errorsOf(unsigned status, const std::vector<Certificate>& chain) {
  Noted errors;
  if (chain.empty()) return errors;
  const Certificate& leaf = chain.front();
  const Certificate& last = chain.back();
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
    if (!selfSigned(last)) {
      errors.emplace_back(SslError::UnableToGetLocalIssuerCertificate, last);
      if (chain.size() == 1) errors.emplace_back(SslError::UnableToVerifyFirstCertificate, leaf);
    } else {
      errors.emplace_back(chain.size() == 1 ? SslError::SelfSignedCertificate
                                            : SslError::SelfSignedCertificateInChain,
                          last);
    }
  }
  if (status & (GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_EXPIRED)) {
    const auto now = std::chrono::system_clock::from_time_t(std::time(nullptr));
    for (const Certificate& c : chain) {
      if (now < c.effectiveDate()) errors.emplace_back(SslError::CertificateNotYetValid, c);
      if (now > c.expiryDate()) errors.emplace_back(SslError::CertificateExpired, c);
    }
  }
  if (status & GNUTLS_CERT_REVOKED) errors.emplace_back(SslError::CertificateRevoked, leaf);
  if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
    errors.emplace_back(SslError::CertificateSignatureFailed, leaf);
  if (status & GNUTLS_CERT_SIGNER_NOT_CA) errors.emplace_back(SslError::InvalidCaCertificate, last);
  if (status & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE)
    errors.emplace_back(SslError::PathLengthExceeded, last);
  if (status & GNUTLS_CERT_PURPOSE_MISMATCH) errors.emplace_back(SslError::InvalidPurpose, leaf);
  if (errors.empty() && (status & GNUTLS_CERT_INVALID) != 0)
    errors.emplace_back(SslError::UnspecifiedError, leaf);
  return errors;
}

SslProtocol protocolOf(gnutls_session_t session) {
  switch (gnutls_protocol_get_version(session)) {
    case GNUTLS_DTLS1_0: return SslProtocol::DtlsV1_0;
    case GNUTLS_DTLS1_2: return SslProtocol::DtlsV1_2;
    default: return SslProtocol::UnknownProtocol;
  }
}

}  // namespace

int GnutlsConnection::verifyPeer(gnutls_session_t session) {
  auto* c = static_cast<GnutlsConnection*>(gnutls_session_get_ptr(session));
  // The purpose OpenSSL checks for Qt (X509_PURPOSE_SSL_SERVER / _CLIENT); no host name: the
  // shared half checks the name.
  gnutls_typed_vdata_st purpose{};
  purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
  purpose.data = reinterpret_cast<unsigned char*>(const_cast<char*>(
      c->mode == SslMode::SslClientMode ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT));
  unsigned status = 0;
  if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) < 0) return 0;
  const std::vector<Certificate> chain = peerChain(session);
  bool stop = false;
  for (const SslError& error : errorsOf(status, chain))
    stop = c->noteVerificationError(error) || stop;
  // Non-zero makes GnuTLS send an alert and fail the handshake, as OpenSSL does when its verify
  // callback returns 0 (handshakeMustInterruptOnError).
  return stop ? GNUTLS_E_CERTIFICATE_ERROR : 0;
}

void GnutlsConnection::collectSessionState() {
  SessionState s;
  gnutls_session_t session = tls_->session;
  s.session_cipher = dtlsCipherOfSuiteId(negotiatedSuiteId(session));
  s.session_protocol = protocolOf(session);
  s.peer_certificate_chain = peerChain(session);
  if (!s.peer_certificate_chain.empty()) s.peer_certificate = s.peer_certificate_chain.front();
  s.ephemeral_server_key = ephemeralKeyFromServerKeyExchange(
      server_key_exchange_, s.session_cipher.keyExchangeMethod());

  if (!configuration.allowedNextProtocols().empty()) {
    gnutls_datum_t alpn{};
    if (gnutls_alpn_get_selected_protocol(session, &alpn) == 0) {
      s.next_negotiated_protocol.assign(reinterpret_cast<const char*>(alpn.data), alpn.size);
      s.next_protocol_status = Configuration::NextProtocolNegotiationNegotiated;
    } else {
      s.next_protocol_status = Configuration::NextProtocolNegotiationUnsupported;
    }
  }

  s.session_ticket = configuration.sessionTicket();
  if (mode == SslMode::SslClientMode &&
      !configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence)) {
    // The session in GnuTLS's own serialization (gnutls_session_get_data2), which holds the
    // ticket: a ticket from one backend resumes only on the same backend.
    gnutls_datum_t data{};
    if (gnutls_session_get_data2(session, &data) == 0) {
      s.session_ticket.assign(reinterpret_cast<const char*>(data.data), data.size);
      gnutls_free(data.data);
      // GnuTLS 3.7 reads and drops the NewSessionTicket's lifetime hint (lib/ext/
      // session_ticket.c); peekServerMessage kept it.
      s.session_ticket_lifetime_hint_s = ticket_lifetime_hint_s_;
    }
  }
  ConfigurationAccess::setSessionState(configuration, s);
}

}  // namespace dtls::detail
