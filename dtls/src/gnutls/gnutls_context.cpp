#include "gnutls_context.h"

#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include <algorithm>

#include "server_dh_parameters.h"

namespace dtls::detail {

namespace {

// Session tickets a server issues stay valid this long (Qt's default lifetime hint).
constexpr unsigned kTicketLifetimeS = 7200;
// lib/constate.h TICKET_MASTER_KEY_SIZE: what gnutls_session_ticket_key_generate makes.
constexpr std::size_t kTicketKeyBytes = 64;

gnutls_datum_t datum(const ByteArray& bytes) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())),
          static_cast<unsigned>(bytes.size())};
}

gnutls_certificate_request_t requestMode(PeerVerifyMode verify, bool missing_is_fatal) {
  // Verification errors are collected by the verify function and decided after the handshake
  // (as QDtls does); REQUIRE only makes a missing certificate fatal for a VerifyPeer server.
  if (verify == PeerVerifyMode::VerifyNone) return GNUTLS_CERT_IGNORE;
  return verify == PeerVerifyMode::VerifyPeer && missing_is_fatal ? GNUTLS_CERT_REQUIRE
                                                                  : GNUTLS_CERT_REQUEST;
}

}  // namespace

std::vector<unsigned char> deriveKey(const GeneratorParameters& params, const char* label,
                                     std::size_t bytes) {
  std::vector<unsigned char> key;
  for (std::uint32_t block = 0; key.size() < bytes; ++block) {
    std::string input = label;
    input.push_back(static_cast<char>(params.hash));
    for (int shift = 24; shift >= 0; shift -= 8)
      input.push_back(static_cast<char>((block >> shift) & 0xff));
    unsigned char digest[32];
    if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, params.secret.data(), params.secret.size(),
                         input.data(), input.size(), digest) != 0)
      return {};
    key.insert(key.end(), digest, digest + std::min(sizeof digest, bytes - key.size()));
  }
  return key;
}

GnutlsContext::~GnutlsContext() {
  if (session != nullptr) gnutls_deinit(session);
  if (priority_cache != nullptr) gnutls_priority_deinit(priority_cache);
  if (certificates != nullptr) gnutls_certificate_free_credentials(certificates);
  if (client_psk != nullptr) gnutls_psk_free_client_credentials(client_psk);
  if (server_psk != nullptr) gnutls_psk_free_server_credentials(server_psk);
  if (dh_params != nullptr) gnutls_dh_params_deinit(dh_params);
}

bool GnutlsContext::setUp(const Configuration& config, const GnutlsOptions& o,
                          std::string* error) {
  if (!gnutlsPriority(config, o.server, &priority, error)) return false;
  const char* error_at = nullptr;
  if (gnutls_priority_init(&priority_cache, priority.text.c_str(), &error_at) != 0) {
    *error = "gnutls rejected the priority string at '" +
             std::string(error_at != nullptr ? error_at : "?") + "'";
    return false;
  }
  unsigned flags = (o.server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_DATAGRAM | GNUTLS_NONBLOCK;
  if (config.testSslOption(SslOption::SslOptionDisableSessionTickets)) flags |= GNUTLS_NO_TICKETS;
  if (gnutls_init(&session, flags) != 0) {
    *error = "gnutls_init failed";
    return false;
  }
  gnutls_session_set_ptr(session, o.self);
  if (gnutls_priority_set(session, priority_cache) != 0) {
    *error = "gnutls_priority_set failed";
    return false;
  }
  if (!setCredentials(config, o, error) || !setAlpn(config, o.server, error) ||
      !setTickets(config, o, error))
    return false;
  gnutls_session_set_keylog_function(session, o.keylog);
  if (o.server) {
    gnutls_certificate_server_set_request(
        session, requestMode(o.verify, config.missingCertificateIsFatal()));
    // A CertificateRequest names no CAs, as OpenSSL's without SSL_CTX_set_client_CA_list: the
    // names of a system store's CAs would make it some 15 kB, 30 datagrams at the default MTU.
    gnutls_certificate_send_x509_rdn_sequence(session, 1);
  }
  return true;
}

bool GnutlsContext::setCredentials(const Configuration& config, const GnutlsOptions& o,
                                   std::string* error) {
  gnutls_certificate_allocate_credentials(&certificates);
  // Only the configuration's CAs: never gnutls_certificate_set_x509_system_trust, so the
  // machine's trust store stays out of a world. A CA GnuTLS cannot parse is left out (stricter).
  for (const Certificate& ca : config.caCertificates()) {
    const ByteArray der = ca.toDer();
    gnutls_datum_t d = datum(der);
    if (!der.empty()) gnutls_certificate_set_x509_trust_mem(certificates, &d, GNUTLS_X509_FMT_DER);
  }
  gnutls_certificate_set_verify_function(certificates, o.verify_callback);
  // The configured group (RFC 3526's 2048-bit MODP group unless set), as OpenSSL's servers
  // use it; a client that offers RFC 7919 groups still gets one of those (RFC 7919 §4).
  if (o.server) {
    if (!setDhParameters(config, error)) return false;
    gnutls_certificate_set_dh_params(certificates, dh_params);
  }

  const std::vector<Certificate> chain = config.localCertificateChain();
  const Key key = config.privateKey();
  if (!chain.empty() || !key.isNull()) {
    if (chain.empty()) {
      *error = "a private key without a local certificate";
      return false;
    }
    if (key.isNull()) {
      *error = "the local certificate '" + chain.front().subjectDisplayName() +
               "' has no private key";
      return false;
    }
    ByteArray chain_pem;
    for (const Certificate& certificate : chain) chain_pem += certificate.toPem();
    const ByteArray key_pem = key.toPem();
    gnutls_datum_t c = datum(chain_pem);
    gnutls_datum_t k = datum(key_pem);
    const int ret = gnutls_certificate_set_x509_key_mem2(certificates, &c, &k,
                                                         GNUTLS_X509_FMT_PEM, nullptr, 0);
    if (ret == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
      *error = "the private key does not match the local certificate '" +
               chain.front().subjectDisplayName() + "'";
      return false;
    }
    if (ret < 0) {
      *error = "gnutls refused the local certificate '" + chain.front().subjectDisplayName() +
               "' or its private key: " + gnutls_strerror(ret);
      return false;
    }
  }
  if (gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, certificates) != 0) {
    *error = "gnutls_credentials_set(CERTIFICATE) failed";
    return false;
  }
  if (!o.psk) return true;
  int ret = 0;
  if (o.server) {
    gnutls_psk_allocate_server_credentials(&server_psk);
    gnutls_psk_set_server_credentials_function2(server_psk, o.server_psk);
    const ByteArray hint = config.preSharedKeyIdentityHint();
    if (!hint.empty()) gnutls_psk_set_server_credentials_hint(server_psk, hint.c_str());
    gnutls_psk_set_server_dh_params(server_psk, dh_params);
    ret = gnutls_credentials_set(session, GNUTLS_CRD_PSK, server_psk);
  } else {
    gnutls_psk_allocate_client_credentials(&client_psk);
    gnutls_psk_set_client_credentials_function2(client_psk, o.client_psk);
    ret = gnutls_credentials_set(session, GNUTLS_CRD_PSK, client_psk);
  }
  if (ret != 0) {
    *error = "gnutls_credentials_set(PSK) failed";
    return false;
  }
  return true;
}

bool GnutlsContext::setDhParameters(const Configuration& config, std::string* error) {
  ByteArray der;
  if (!serverDhParameters(config, &der, error)) return false;
  gnutls_datum_t d = datum(der);
  if (gnutls_dh_params_init(&dh_params) != 0 ||
      gnutls_dh_params_import_pkcs3(dh_params, &d, GNUTLS_X509_FMT_DER) != 0) {
    *error = "gnutls refused the Diffie-Hellman parameters";
    return false;
  }
  return true;
}

bool GnutlsContext::setAlpn(const Configuration& config, bool server, std::string* error) {
  const std::vector<ByteArray> protocols = config.allowedNextProtocols();
  if (protocols.empty()) return true;
  std::vector<gnutls_datum_t> list;
  for (const ByteArray& protocol : protocols) {
    if (protocol.empty() || protocol.size() > 255) {
      *error = "ALPN protocol '" + protocol + "' must be 1 to 255 bytes long";  // RFC 7301 §3.1
      return false;
    }
    list.push_back(datum(protocol));
  }
  // Qt's server picks the first of its own protocols the client offers.
  if (gnutls_alpn_set_protocols(session, list.data(), static_cast<unsigned>(list.size()),
                                server ? GNUTLS_ALPN_SERVER_PRECEDENCE : 0) != 0) {
    *error = "gnutls refused the ALPN protocol list";
    return false;
  }
  return true;
}

bool GnutlsContext::setTickets(const Configuration& config, const GnutlsOptions& o,
                               std::string* error) {
  if (!o.server || config.testSslOption(SslOption::SslOptionDisableSessionTickets) ||
      o.cookie_params == nullptr || o.cookie_params->secret.empty())
    return true;
  // The ticket key derives from the cookie parameters, which every Connection of a server shares
  // with its ClientVerifier (as the OpenSSL backend derives its ticket keys), so a ticket one
  // connection issued resumes on the next.
  ticket_key = deriveKey(*o.cookie_params, "dtlsim gnutls ticket", kTicketKeyBytes);
  gnutls_datum_t key{ticket_key.data(), static_cast<unsigned>(ticket_key.size())};
  if (ticket_key.size() != kTicketKeyBytes || gnutls_session_ticket_enable_server(session, &key) != 0) {
    *error = "gnutls_session_ticket_enable_server failed";
    return false;
  }
  gnutls_db_set_cache_expiration(session, kTicketLifetimeS);
  return true;
}

}  // namespace dtls::detail
