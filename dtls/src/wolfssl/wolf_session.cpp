// WolfsslConnection: certificate verification errors, pre-shared keys and the session state of
// a finished handshake.
#include "configuration_access.h"
#include "ssl_error_map.h"
#include "supported.h"
#include "wolf_connection.h"

namespace dtls::detail {

namespace {

// wolfSSL's MAX_PSK_ID_LEN (internal.h).
constexpr std::size_t kMaxPskIdentityBytes = 128;

Certificate certificateOf(const ByteArray& der) {
  const auto parsed = Certificate::fromData(der, EncodingFormat::Der);
  return parsed.empty() ? Certificate() : parsed.front();
}

}  // namespace

bool WolfsslConnection::verify(int x509_error, int depth, const ByteArray& der) {
  // Under OPENSSL_EXTRA wolfSSL reports OpenSSL's X509_V_ERR_* codes (x509_str.c GetX509Error),
  // so the OpenSSL backend's table maps them, after two corrections to say what OpenSSL says.
  constexpr int kErrorInNotBefore = 13, kErrorInNotAfter = 14;  // X509_V_ERR_ERROR_IN_CERT_*
  constexpr int kNotYetValid = 9, kExpired = 10;                // X509_V_ERR_CERT_*
  constexpr int kNoLocalIssuer = 20;  // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
  if (depth > 0 && !chain_above_leaf_) {
    chain_above_leaf_ = true;
    chain_top_der_ = der;
  }
  if (x509_error == 0) return true;
  // GetX509Error gives the "error in field" codes for ASN_BEFORE_DATE_E / ASN_AFTER_DATE_E,
  // which are date checks that failed, not malformed fields.
  if (x509_error == kErrorInNotBefore) x509_error = kNotYetValid;
  if (x509_error == kErrorInNotAfter) x509_error = kExpired;
  // wolfSSL's own codes GetX509Error passes through: a leaf whose extended key usage does not
  // allow the role it plays.
  constexpr int kWolfExtKeyUsage = -386;  // EXTKEYUSE_AUTH_E (wolfssl/error-ssl.h)
  constexpr int kInvalidPurpose = 26;     // X509_V_ERR_INVALID_PURPOSE
  if (x509_error == kWolfExtKeyUsage) x509_error = kInvalidPurpose;
  // wolfSSL calls back for every certificate it was sent (WOLFSSL_VERIFY_CB_ALL_CERTS), from
  // the top. It passes the certificates above the leaf it cannot anchor and blames the leaf;
  // OpenSSL blames the top of the chain, whose issuer is the one missing, and so does this.
  const bool blame_top = x509_error == kNoLocalIssuer && depth == 0 && chain_above_leaf_;
  const Certificate certificate = certificateOf(blame_top ? chain_top_der_ : der);
  bool stop = noteVerificationError(SslError(errorFromX509VerifyCode(x509_error), certificate));
  // OpenSSL adds "unable to verify the first certificate" when the peer sent the leaf alone and
  // its issuer is unknown.
  if (x509_error == kNoLocalIssuer && depth == 0 && !chain_above_leaf_)
    stop = noteVerificationError(SslError(SslError::UnableToVerifyFirstCertificate, certificate)) ||
           stop;
  return !stop;
}

bool WolfsslConnection::pskClient(const ByteArray& hint, std::size_t max_identity_bytes,
                                  std::size_t max_key_bytes, ByteArray* identity, ByteArray* key) {
  return askClientPsk(hint, std::min(max_identity_bytes, kMaxPskIdentityBytes), max_key_bytes,
                      identity, key);
}

bool WolfsslConnection::pskServer(const ByteArray& identity, std::size_t max_key_bytes,
                                  ByteArray* key) {
  return askServerPsk(identity, kMaxPskIdentityBytes, max_key_bytes, key);
}

void WolfsslConnection::collectSessionState() {
  SessionState s;
  s.session_cipher = dtlsCipherOfSuiteId(tls_->cipherSuite());
  s.session_protocol = tls_->isDtls10() ? SslProtocol::DtlsV1_0 : SslProtocol::DtlsV1_2;
  for (const ByteArray& der : tls_->peerChainDer()) {
    const Certificate certificate = certificateOf(der);
    if (!certificate.isNull()) s.peer_certificate_chain.push_back(certificate);
  }
  if (!s.peer_certificate_chain.empty()) s.peer_certificate = s.peer_certificate_chain.front();
  if (mode == SslMode::SslClientMode) s.ephemeral_server_key = server_key_exchange_.key(s.session_cipher.keyExchangeMethod());

  if (!configuration.allowedNextProtocols().empty()) {
    if (const auto alpn = tls_->negotiatedAlpn()) {
      s.next_negotiated_protocol = *alpn;
      s.next_protocol_status = Configuration::NextProtocolNegotiationNegotiated;
    } else {
      s.next_protocol_status = Configuration::NextProtocolNegotiationUnsupported;
    }
  }

  s.session_ticket = configuration.sessionTicket();
  if (mode == SslMode::SslClientMode &&
      !configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence)) {
    // The session in wolfSSL's own serialization (wolfSSL_i2d_SSL_SESSION): a ticket from one
    // backend resumes only on the same backend.
    int lifetime_hint_s = -1;
    const ByteArray saved = tls_->sessionBytes(&lifetime_hint_s);
    if (!saved.empty()) {
      s.session_ticket = saved;
      s.session_ticket_lifetime_hint_s = lifetime_hint_s;
    }
  }
  ConfigurationAccess::setSessionState(configuration, s);
}

}  // namespace dtls::detail
