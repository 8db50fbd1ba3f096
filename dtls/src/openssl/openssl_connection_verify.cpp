// OpensslConnection: the verify callback and the session state of a finished handshake.
#include <openssl/err.h>

#include "configuration_access.h"
#include "openssl_connection.h"
#include "ssl_error_map.h"
#include "supported.h"

namespace dtls::detail {

namespace {

SslProtocol protocolOf(const SSL* ssl) {
  switch (SSL_version(ssl)) {
    case DTLS1_VERSION: return SslProtocol::DtlsV1_0;
    case DTLS1_2_VERSION: return SslProtocol::DtlsV1_2;
    default: return SslProtocol::UnknownProtocol;
  }
}

}  // namespace

int OpensslConnection::onVerify(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok == 1) return 1;
  const int code = X509_STORE_CTX_get_error(store);
  const SslError found(errorFromX509VerifyCode(code),
                       Certificate::fromHandle(X509_STORE_CTX_get_current_cert(store)));
  // Stopping makes OpenSSL send the matching alert and end the handshake.
  return noteVerificationError(found) ? 0 : 1;
}

void OpensslConnection::collectSessionState() {
  SessionState s;
  SSL* ssl = ssl_.get();
  s.session_cipher = cipherFromSsl(SSL_get_current_cipher(ssl));
  s.session_protocol = protocolOf(ssl);

  if (X509* peer = SSL_get0_peer_certificate(ssl)) s.peer_certificate = Certificate::fromHandle(peer);
  // A client's chain starts with the server's leaf; a server's chain omits the client's leaf.
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
    for (int i = 0; i < sk_X509_num(chain); ++i)
      s.peer_certificate_chain.push_back(Certificate::fromHandle(sk_X509_value(chain, i)));
  }
  if (!s.peer_certificate.isNull() &&
      (s.peer_certificate_chain.empty() || s.peer_certificate_chain.front() != s.peer_certificate))
    s.peer_certificate_chain.insert(s.peer_certificate_chain.begin(), s.peer_certificate);

  if (mode == SslMode::SslClientMode) {
    EVP_PKEY* key = nullptr;
    if (SSL_get_peer_tmp_key(ssl, &key) == 1) {
      s.ephemeral_server_key = Key::fromHandle(key, KeyType::PublicKey);
      EVP_PKEY_free(key);
    }
  }

  if (!configuration.allowedNextProtocols().empty()) {
    const unsigned char* alpn = nullptr;
    unsigned alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    if (alpn_len > 0) {
      s.next_negotiated_protocol.assign(reinterpret_cast<const char*>(alpn), alpn_len);
      s.next_protocol_status = Configuration::NextProtocolNegotiationNegotiated;
    } else {
      s.next_protocol_status = Configuration::NextProtocolNegotiationUnsupported;
    }
  }

  s.session_ticket = configuration.sessionTicket();
  if (!new_session_der_.empty()) {
    s.session_ticket = new_session_der_;
    s.session_ticket_lifetime_hint_s = new_session_lifetime_hint_s_;
  }
  ConfigurationAccess::setSessionState(configuration, s);
  ERR_clear_error();
}

}  // namespace dtls::detail
