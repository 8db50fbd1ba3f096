// Private: turns a Configuration into an OpenSSL SSL_CTX for one DTLS connection, and routes
// OpenSSL's per-connection callbacks (certificate verification, PSK, ALPN, session tickets,
// alerts) to the object attached to each SSL.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "dtls/configuration.h"
#include "dtls/cookie.h"
#include "ossl_ptr.h"

namespace dtls::detail {

// What OpenSSL's callbacks reach. Implemented by the connection; attached with attachHooks().
class TlsHooks {
 public:
  virtual ~TlsHooks() = default;
  // X509 verification callback: returns what OpenSSL should do (1 continue, 0 abort).
  virtual int onVerify(int preverify_ok, X509_STORE_CTX* store) = 0;
  // PSK (RFC 4279). Return the key length written, 0 to fail the handshake.
  virtual unsigned onPskClient(const char* hint, char* identity, unsigned max_identity_len,
                               unsigned char* psk, unsigned max_psk_len) = 0;
  virtual unsigned onPskServer(const char* identity, unsigned char* psk, unsigned max_psk_len) = 0;
  // A new session to keep for resumption (client side).
  virtual void onNewSession(SSL_SESSION* session) = 0;
  // SSL_set_info_callback events (alerts read and written, handshake progress).
  virtual void onInfo(int where, int ret) = 0;
  // One NSS key log line (SSL_CTX_set_keylog_callback).
  virtual void onKeyLog(const char* line) = 0;
};

void attachHooks(SSL* ssl, TlsHooks* hooks);

struct ContextOptions {
  bool server = false;
  OSSL_LIB_CTX* libctx = nullptr;
  // The server's cookie parameters: cookies are checked with them, and session-ticket keys are
  // derived from them so every Connection of one server can resume the others' sessions.
  const GeneratorParameters* cookie_params = nullptr;
  bool psk_callback_set = false;  // offer PSK suites only when the application can answer
};

// Builds the SSL_CTX. Returns null with `error` saying which setting OpenSSL refused, e.g.
// "protocol TlsV1_2 is not a DTLS protocol" or "the private key does not match the local
// certificate". Never leaves errors on OpenSSL's queue.
OsslPtr<SSL_CTX> buildTlsContext(const Configuration& config, const ContextOptions& options,
                                 std::string* error);

// The ALPN wire format (RFC 7301 §3.1): each protocol prefixed by its length. Protocols that
// are empty or longer than 255 bytes cannot be encoded: returns false naming the first one.
bool encodeAlpn(const std::vector<ByteArray>& protocols, std::string* wire, std::string* error);

}  // namespace dtls::detail
