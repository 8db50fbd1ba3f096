// Private: the mbedTLS objects of one handshake of a Connection, built from a Configuration.
// One per handshake and connection: unlike OpenSSL's shared SSL_CTX, nothing is shared, so two
// worlds on two threads never touch the same mbedTLS state.
#pragma once

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include <memory>
#include <string>
#include <vector>

#include "dtls/configuration.h"
#include "mbed_cookie.h"
#include "mbed_random.h"

namespace dtls::detail {

// What setUp needs besides the Configuration: the mode, the decisions the shared half made, and
// the connection's callbacks (`self` is passed back to each).
struct MbedOptions {
  bool server = false;
  PeerVerifyMode verify = PeerVerifyMode::VerifyNone;  // AutoVerifyPeer resolved
  MbedRandom* random = nullptr;
  const GeneratorParameters* cookie_params = nullptr;  // servers: cookies and ticket keys
  void* self = nullptr;
  int (*verify_callback)(void*, mbedtls_x509_crt*, int, std::uint32_t*) = nullptr;
  int (*psk_callback)(void*, mbedtls_ssl_context*, const unsigned char*, std::size_t) = nullptr;
  mbedtls_ssl_export_keys_ext_t* export_keys = nullptr;
  // Clients with a PSK callback: the identity and key it gave (mbedTLS 2.28 clients take them
  // before the ClientHello).
  ByteArray psk_identity;
  ByteArray psk_key;
};

struct MbedContext {
  MbedContext();
  ~MbedContext();
  MbedContext(const MbedContext&) = delete;
  MbedContext& operator=(const MbedContext&) = delete;

  // Applies `config` and sets up `ssl`. False with `error` saying which setting mbedTLS could
  // not take, e.g. "protocol TlsV1_2 is not a DTLS protocol".
  bool setUp(const Configuration& config, const MbedOptions& options, std::string* error);

  mbedtls_ssl_config conf;
  mbedtls_ssl_context ssl;
  mbedtls_x509_crt ca;
  mbedtls_x509_crt own_chain;
  mbedtls_pk_context own_key;
  mbedtls_ssl_ticket_context tickets;
  std::vector<int> ciphersuites;               // 0-terminated
  std::vector<mbedtls_ecp_group_id> curves;    // MBEDTLS_ECP_DP_NONE-terminated
  std::vector<std::string> alpn;
  std::vector<const char*> alpn_list;          // null-terminated, into alpn
  std::unique_ptr<MbedCookieKey> cookie_key;
  std::unique_ptr<DerivedStream> ticket_keys;

 private:
  bool setCredentials(const Configuration& config, std::string* error);
  bool setCiphersAndCurves(const Configuration& config, std::string* error);
  bool setAlpn(const Configuration& config, std::string* error);
  bool setDhParameters(const Configuration& config, std::string* error);
  bool setTickets(const Configuration& config, const MbedOptions& options, std::string* error);
};

}  // namespace dtls::detail
