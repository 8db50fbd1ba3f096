// Private: the GnuTLS objects of one handshake of a Connection (session, credentials,
// priority), built from a Configuration. One per handshake and connection, nothing shared, so
// two worlds on two threads never touch the same GnuTLS state.
#pragma once

#include <gnutls/gnutls.h>

#include <string>
#include <vector>

#include "dtls/configuration.h"
#include "dtls/cookie.h"
#include "gnutls_priority.h"

namespace dtls::detail {

// What setUp needs besides the Configuration: the mode, the shared half's decisions and the
// connection's callbacks. The session's pointer (gnutls_session_get_ptr) is `self`.
struct GnutlsOptions {
  bool server = false;
  PeerVerifyMode verify = PeerVerifyMode::VerifyNone;  // AutoVerifyPeer resolved
  bool psk = false;                                    // a PSK callback is set
  const GeneratorParameters* cookie_params = nullptr;  // servers: the ticket key derives from it
  void* self = nullptr;
  gnutls_certificate_verify_function* verify_callback = nullptr;
  gnutls_psk_client_credentials_function2* client_psk = nullptr;
  gnutls_psk_server_credentials_function2* server_psk = nullptr;
  gnutls_keylog_func keylog = nullptr;
};

struct GnutlsContext {
  GnutlsContext() = default;
  ~GnutlsContext();
  GnutlsContext(const GnutlsContext&) = delete;
  GnutlsContext& operator=(const GnutlsContext&) = delete;

  // Applies `config` and makes `session` (non-blocking datagram mode). False with `error`
  // saying which setting GnuTLS could not take.
  bool setUp(const Configuration& config, const GnutlsOptions& options, std::string* error);

  gnutls_session_t session = nullptr;
  gnutls_certificate_credentials_t certificates = nullptr;
  gnutls_psk_client_credentials_t client_psk = nullptr;
  gnutls_psk_server_credentials_t server_psk = nullptr;
  // Servers: the DHE group; the credentials above keep a pointer to it, not a copy.
  gnutls_dh_params_t dh_params = nullptr;
  gnutls_priority_t priority_cache = nullptr;
  GnutlsPriority priority;
  std::vector<unsigned char> ticket_key;

 private:
  bool setCredentials(const Configuration& config, const GnutlsOptions& o, std::string* error);
  bool setAlpn(const Configuration& config, bool server, std::string* error);
  bool setDhParameters(const Configuration& config, std::string* error);
  bool setTickets(const Configuration& config, const GnutlsOptions& o, std::string* error);
};

// `bytes` bytes derived from `params` under `label` (HMAC-SHA256(secret, label || hash || i)
// blocks), so every engine given the same GeneratorParameters builds the same cookie and
// ticket keys, as OpenSSL's derive from them.
std::vector<unsigned char> deriveKey(const GeneratorParameters& params, const char* label,
                                     std::size_t bytes);

}  // namespace dtls::detail
