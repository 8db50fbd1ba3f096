#include "mbed_context.h"

#include <mbedtls/dhm.h>
#include <mbedtls/ecp.h>
#include <mbedtls/ssl_ciphersuites.h>

#include <algorithm>

#include "mbed_curves.h"
#include "server_dh_parameters.h"
#include "supported.h"

namespace dtls::detail {

namespace {

// The retransmission schedule of DESIGN.md §2 starts at 1 s. mbedTLS gives up at the expiry
// whose timeout reached the maximum; with the timer clamped to 60 s by the connection
// (mbed_connection.cpp), a maximum of 2^12 s makes that the 13th expiry, after 12
// retransmissions, as OpenSSL's DTLS1_TMO_ALERT_COUNT does.
constexpr std::uint32_t kInitialTimeoutMs = 1000;
constexpr std::uint32_t kGiveUpTimeoutMs = kInitialTimeoutMs << 12;
// Session tickets a server issues stay valid this long (Qt's default lifetime hint).
constexpr std::uint32_t kTicketLifetimeS = 7200;

bool parseDer(mbedtls_x509_crt* chain, const Certificate& certificate) {
  const ByteArray der = certificate.toDer();
  return !der.empty() &&
         mbedtls_x509_crt_parse_der(chain, reinterpret_cast<const unsigned char*>(der.data()),
                                    der.size()) == 0;
}

bool applyProtocol(mbedtls_ssl_config* conf, SslProtocol protocol, std::string* error) {
  int min = MBEDTLS_SSL_MINOR_VERSION_3;  // DTLS 1.2 (RFC 6347 §4.1: 3.3 on the TLS scale)
  int max = MBEDTLS_SSL_MINOR_VERSION_3;
  switch (protocol) {
    case SslProtocol::DtlsV1_0: min = max = MBEDTLS_SSL_MINOR_VERSION_2; break;
    case SslProtocol::DtlsV1_0OrLater: min = MBEDTLS_SSL_MINOR_VERSION_2; break;
    case SslProtocol::DtlsV1_2:
    case SslProtocol::DtlsV1_2OrLater: break;
    default:
      *error = std::string("protocol ") + toString(protocol) + " is not a DTLS protocol";
      return false;
  }
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, min);
  mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, max);
  return true;
}

int authMode(PeerVerifyMode verify, bool missing_is_fatal) {
  // Verification errors are collected by the verify callback, which clears mbedTLS's flags, and
  // decided after the handshake (as QDtls does). REQUIRED then fails only a handshake without a
  // certificate: what missingCertificateIsFatal asks of a VerifyPeer server.
  if (verify == PeerVerifyMode::VerifyNone) return MBEDTLS_SSL_VERIFY_NONE;
  return verify == PeerVerifyMode::VerifyPeer && missing_is_fatal ? MBEDTLS_SSL_VERIFY_REQUIRED
                                                                  : MBEDTLS_SSL_VERIFY_OPTIONAL;
}

}  // namespace

MbedContext::MbedContext() {
  mbedtls_ssl_config_init(&conf);
  mbedtls_ssl_init(&ssl);
  mbedtls_x509_crt_init(&ca);
  mbedtls_x509_crt_init(&own_chain);
  mbedtls_pk_init(&own_key);
  mbedtls_ssl_ticket_init(&tickets);
}

MbedContext::~MbedContext() {
  mbedtls_ssl_free(&ssl);
  mbedtls_ssl_ticket_free(&tickets);
  mbedtls_pk_free(&own_key);
  mbedtls_x509_crt_free(&own_chain);
  mbedtls_x509_crt_free(&ca);
  mbedtls_ssl_config_free(&conf);
}

bool MbedContext::setUp(const Configuration& config, const MbedOptions& o, std::string* error) {
  if (mbedtls_ssl_config_defaults(&conf, o.server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                  MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
    *error = "mbedtls_ssl_config_defaults failed";
    return false;
  }
  if (!applyProtocol(&conf, config.protocol(), error)) return false;
  mbedtls_ssl_conf_rng(&conf, MbedRandom::generate, o.random);
  mbedtls_ssl_conf_authmode(&conf,
                            authMode(o.verify, o.server && config.missingCertificateIsFatal()));
  mbedtls_ssl_conf_verify(&conf, o.verify_callback, o.self);
  mbedtls_ssl_conf_export_keys_ext_cb(&conf, o.export_keys, o.self);
  mbedtls_ssl_conf_handshake_timeout(&conf, kInitialTimeoutMs, kGiveUpTimeoutMs);
  if (!setCredentials(config, error) || !setCiphersAndCurves(config, error) ||
      !setAlpn(config, error) || !setTickets(config, o, error) ||
      (o.server && !setDhParameters(config, error)))
    return false;

  if (o.server && o.psk_callback != nullptr) mbedtls_ssl_conf_psk_cb(&conf, o.psk_callback, o.self);
  if (!o.server && !o.psk_key.empty() &&
      mbedtls_ssl_conf_psk(&conf, reinterpret_cast<const unsigned char*>(o.psk_key.data()),
                           o.psk_key.size(),
                           reinterpret_cast<const unsigned char*>(o.psk_identity.data()),
                           o.psk_identity.size()) != 0) {
    *error = "mbedtls refused the pre-shared key or its identity";
    return false;
  }
  if (o.server) {
    // A CertificateRequest names no CAs, as OpenSSL's without SSL_CTX_set_client_CA_list: the
    // names of a system store's CAs would make it some 15 kB, 28 datagrams at the default MTU.
    mbedtls_ssl_conf_cert_req_ca_list(&conf, MBEDTLS_SSL_CERT_REQ_CA_LIST_DISABLED);
    if (config.dtlsCookieVerificationEnabled()) {
      cookie_key = std::make_unique<MbedCookieKey>(*o.cookie_params);
      if (!cookie_key->ok()) {
        *error = "the cookie parameters cannot key mbedtls_ssl_cookie";
        return false;
      }
      mbedtls_ssl_conf_dtls_cookies(&conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check,
                                    cookie_key->get());
    } else {
      mbedtls_ssl_conf_dtls_cookies(&conf, nullptr, nullptr, nullptr);
    }
  }
  if (mbedtls_ssl_setup(&ssl, &conf) != 0) {
    *error = "mbedtls_ssl_setup failed";
    return false;
  }
  return true;
}

bool MbedContext::setCredentials(const Configuration& config, std::string* error) {
  for (const Certificate& certificate : config.caCertificates()) {
    // A CA mbedTLS cannot parse cannot anchor a chain it verifies: leaving it out only makes
    // verification stricter, as OpenSSL's store does with certificates it cannot load.
    parseDer(&ca, certificate);
  }
  mbedtls_ssl_conf_ca_chain(&conf, &ca, nullptr);

  const std::vector<Certificate> chain = config.localCertificateChain();
  const Key key = config.privateKey();
  if (chain.empty() && key.isNull()) return true;
  if (chain.empty()) {
    *error = "a private key without a local certificate";
    return false;
  }
  if (key.isNull()) {
    *error = "the local certificate '" + chain.front().subjectDisplayName() +
             "' has no private key";
    return false;
  }
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (!parseDer(&own_chain, chain[i])) {
      *error = "mbedtls cannot parse local certificate " + std::to_string(i);
      return false;
    }
  }
  const ByteArray der = key.toDer();
  if (der.empty() ||
      mbedtls_pk_parse_key(&own_key, reinterpret_cast<const unsigned char*>(der.data()),
                           der.size(), nullptr, 0) != 0) {
    *error = "mbedtls cannot parse the private key";
    return false;
  }
  if (mbedtls_pk_check_pair(&own_chain.pk, &own_key) != 0) {
    *error = "the private key does not match the local certificate '" +
             chain.front().subjectDisplayName() + "'";
    return false;
  }
  if (mbedtls_ssl_conf_own_cert(&conf, &own_chain, &own_key) != 0) {
    *error = "mbedtls refused the local certificate";
    return false;
  }
  return true;
}

bool MbedContext::setCiphersAndCurves(const Configuration& config, std::string* error) {
  // Configuration names suites as OpenSSL does; mbedTLS takes IANA ids. A suite mbedTLS does not
  // implement is left out, as OpenSSL leaves out suites it cannot use; none left is an error.
  for (const Cipher& cipher : config.ciphers()) {
    const std::uint16_t id = dtlsCipherSuiteId(cipher);
    if (id != 0 && mbedtls_ssl_ciphersuite_from_id(id) != nullptr) ciphersuites.push_back(id);
  }
  if (ciphersuites.empty()) {
    *error = "no cipher suite of the configuration is implemented by mbedtls";
    return false;
  }
  ciphersuites.push_back(0);
  mbedtls_ssl_conf_ciphersuites(&conf, ciphersuites.data());

  const auto configured = config.ellipticCurves();
  if (configured.empty()) return true;
  for (const EllipticCurve& curve : configured) {
    const std::string name = curve.shortName();
    const auto group = mbedtlsCurve(name);
    if (!group) {
      *error = "mbedtls does not implement the elliptic curve " + name;
      return false;
    }
    curves.push_back(*group);
  }
  curves.push_back(MBEDTLS_ECP_DP_NONE);
  mbedtls_ssl_conf_curves(&conf, curves.data());
  return true;
}

bool MbedContext::setAlpn(const Configuration& config, std::string* error) {
  const std::vector<ByteArray> protocols = config.allowedNextProtocols();
  if (protocols.empty()) return true;
  for (const ByteArray& protocol : protocols) {
    if (protocol.empty() || protocol.size() > 255) {
      *error = "ALPN protocol '" + protocol + "' must be 1 to 255 bytes long";  // RFC 7301 §3.1
      return false;
    }
    // mbedTLS takes C strings; RFC 7301 allows any byte.
    if (protocol.find('\0') != ByteArray::npos) {
      *error = "ALPN protocol '" + protocol + "' has a NUL byte, which mbedtls cannot take";
      return false;
    }
    alpn.push_back(protocol);
  }
  for (const std::string& protocol : alpn) alpn_list.push_back(protocol.c_str());
  alpn_list.push_back(nullptr);
  if (mbedtls_ssl_conf_alpn_protocols(&conf, alpn_list.data()) != 0) {
    *error = "mbedtls refused the ALPN protocol list";
    return false;
  }
  return true;
}

bool MbedContext::setDhParameters(const Configuration& config, std::string* error) {
  ByteArray der;
  if (!serverDhParameters(config, &der, error)) return false;
  // mbedtls_ssl_conf_dh_param_ctx copies P and G into the configuration: the context is ours.
  mbedtls_dhm_context dhm;
  mbedtls_dhm_init(&dhm);
  const bool ok =
      mbedtls_dhm_parse_dhm(&dhm, reinterpret_cast<const unsigned char*>(der.data()),
                            der.size()) == 0 &&
      mbedtls_ssl_conf_dh_param_ctx(&conf, &dhm) == 0;
  mbedtls_dhm_free(&dhm);
  if (!ok) *error = "mbedtls refused the Diffie-Hellman parameters";
  return ok;
}

bool MbedContext::setTickets(const Configuration& config, const MbedOptions& o,
                             std::string* error) {
  const bool disabled = config.testSslOption(SslOption::SslOptionDisableSessionTickets);
  if (!o.server) {
    mbedtls_ssl_conf_session_tickets(
        &conf, disabled ? MBEDTLS_SSL_SESSION_TICKETS_DISABLED : MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
    return true;
  }
  if (disabled || o.cookie_params == nullptr || o.cookie_params->secret.empty()) return true;
  // The ticket keys derive from the cookie parameters, which every Connection of a server shares
  // with its ClientVerifier (as the OpenSSL backend derives its ticket keys); the per-ticket IVs
  // come from the connection's random source, so no IV repeats under the shared key.
  ticket_keys = std::make_unique<DerivedStream>(*o.cookie_params, "dtlsim mbedtls ticket",
                                                o.random);
  if (mbedtls_ssl_ticket_setup(&tickets, DerivedStream::generate, ticket_keys.get(),
                               MBEDTLS_CIPHER_AES_256_GCM, kTicketLifetimeS) != 0) {
    *error = "mbedtls_ssl_ticket_setup failed";
    return false;
  }
  ticket_keys->switchToRandom();
  mbedtls_ssl_conf_session_tickets_cb(&conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                      &tickets);
  return true;
}

}  // namespace dtls::detail
