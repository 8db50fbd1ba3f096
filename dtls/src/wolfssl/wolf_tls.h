// Private: the wolfSSL 5.5.4 objects of one handshake (a WOLFSSL_CTX and its WOLFSSL), behind an
// interface free of wolfSSL's and OpenSSL's headers.
//
// Why the wall: Debian's libwolfssl is built with OPENSSL_EXTRA, so <wolfssl/ssl.h> pulls in its
// OpenSSL compatibility headers, whose typedefs (X509, EVP_PKEY, ...) conflict with OpenSSL's,
// which dtls/certificate.h and dtls/key.h declare. Only the files that implement this header
// (wolf_tls*.cpp, wolf_random.cpp, wolf_cookie_hmac.cpp) include wolfSSL; the engine
// (wolf_connection*.cpp) sees dtls types only. Nothing here is shared between objects, so two
// worlds on two threads never touch the same wolfSSL state (the session cache is kept out:
// wolf_tls.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dtls/random_source.h"
#include "dtls/ssl.h"

namespace dtls::detail::wolf {

// What wolfSSL calls back into; the engine implements it.
class TlsHooks {
 public:
  virtual ~TlsHooks() = default;
  // One datagram out; returns `bytes` (a failed write is a lost datagram to DTLS).
  virtual void send(const unsigned char* data, std::size_t bytes) = 0;
  // The datagram to hand wolfSSL, at most `bytes` of it; -1 when there is none.
  virtual int receive(unsigned char* buffer, std::size_t bytes) = 0;
  // One certificate of the peer's chain: `x509_error` is an X509_V_ERR_* value (0: none; wolfSSL
  // reports OpenSSL's codes under OPENSSL_EXTRA), `der` the certificate. False stops the
  // handshake.
  virtual bool verify(int x509_error, int depth, const ByteArray& der) = 0;
  // RFC 4279: fill identity and key; empty key: no PSK.
  virtual bool pskClient(const ByteArray& hint, std::size_t max_identity_bytes,
                         std::size_t max_key_bytes, ByteArray* identity, ByteArray* key) = 0;
  virtual bool pskServer(const ByteArray& identity, std::size_t max_key_bytes, ByteArray* key) = 0;
};

enum class Verify { kNone, kOptional, kRequired };

struct TlsSettings {
  bool server = false;
  bool allow_dtls10 = false;  // DTLS 1.0 as well as 1.2
  bool only_dtls10 = false;
  Verify verify = Verify::kNone;
  int verify_depth = 0;  // intermediate CAs admitted below the trust anchor; 0: wolfSSL's limit
  std::vector<ByteArray> ca_der;
  std::vector<ByteArray> chain_der;  // leaf first
  ByteArray key_der;
  std::vector<std::uint16_t> suites;  // IANA ids, preference order
  bool client_order = false;          // servers: choose by the client's order, not `suites`
  std::vector<std::uint16_t> groups;  // IANA named groups; empty: wolfSSL's defaults
  ByteArray dh_der;                   // servers: PKCS#3 DHParameter of the DHE suites, if any
  std::vector<ByteArray> alpn;
  bool psk = false;
  ByteArray psk_hint;      // servers
  bool tickets = true;
  ByteArray ticket_key;    // servers: 32 bytes keying tickets; empty: no tickets issued
  ByteArray cookie_key;    // servers: wolfSSL's cookie secret (cookieKey)
  ByteArray peer_id;       // servers: the peer's transport id (peerId)
  ByteArray session;       // clients: a session to resume (sessionBytes of an earlier Tls)
  std::string sni;         // clients: a host name, or empty
  unsigned initial_timeout_s = 1;
  unsigned max_timeout_s = 64;
};

class Tls {
 public:
  // `hooks` and `random` (may be null: system entropy) must outlive the Tls. False with `error`.
  static std::unique_ptr<Tls> create(const TlsSettings& settings, TlsHooks* hooks,
                                     RandomSource* random, std::string* error);
  virtual ~Tls() = default;

  enum class Result { kDone, kWantRead, kFailed, kClosed, kFatalAlert };
  virtual Result handshake() = 0;
  // One call of wolfSSL_read: kDone with *bytes (>= 0) read, or kWantRead, kClosed, ...
  virtual Result read(unsigned char* buffer, std::size_t size, int* bytes) = 0;
  // Bytes written, or -1 (lastError says why; tooLarge() if it exceeded the datagram).
  virtual int write(const unsigned char* data, std::size_t bytes) = 0;
  virtual bool lastWriteTooLarge() const = 0;
  // wolfSSL_dtls_got_timeout: retransmits; false when wolfSSL gave up.
  virtual bool retransmit() = 0;
  // wolfSSL_dtls_get_current_timeout, in seconds.
  virtual int currentTimeoutS() const = 0;
  virtual void sendCloseNotify() = 0;
  virtual void sendFatalHandshakeFailure() = 0;
  virtual bool handshakeDone() const = 0;
  // The plaintext one record may carry (wolfSSL_GetMaxOutputSize); 0 if unknown.
  virtual std::size_t maxPlaintext() const = 0;
  // wolfSSL's reason for the last failure, with the alert the peer sent if any.
  virtual std::string lastError() const = 0;
  virtual bool peerSentFatalAlert() const = 0;

  // ---- Session state, after the handshake ----
  virtual std::uint16_t cipherSuite() const = 0;  // IANA id
  virtual bool isDtls10() const = 0;
  virtual std::vector<ByteArray> peerChainDer() const = 0;
  virtual std::optional<ByteArray> negotiatedAlpn() const = 0;
  // wolfSSL's serialization of the session (wolfSSL_i2d_SSL_SESSION), and the ticket's lifetime
  // hint in seconds (-1: no ticket).
  virtual ByteArray sessionBytes(int* lifetime_hint_s) const = 0;
  // NSS key log line "CLIENT_RANDOM <random> <master secret>", or empty.
  virtual std::string keyLogLine() const = 0;
};

// Fills `out` from `source` through wolfSSL's RNG device (wolf_random.h), or from the system's
// entropy when `source` is null.
void fillRandom(RandomSource* source, unsigned char* out, std::size_t bytes);

// "wolfSSL 5.5.4", from the library at run time.
std::string libraryVersion();

// The cookie secret a ClientVerifier and a server Connection given the same parameters share:
// HMAC-SHA256(secret, "dtlsim wolfssl cookie" || hash), 32 bytes; empty for an empty secret.
ByteArray cookieKey(const ByteArray& secret, int hash);
// The session-ticket key derived the same way ("dtlsim wolfssl ticket").
ByteArray ticketKey(const ByteArray& secret, int hash);
// The bytes wolfSSL's cookie covers for the peer: the sockaddr_in/sockaddr_in6 given to
// wolfSSL_dtls_set_peer (zeroed padding). `ipv6` selects the form; `address` is 4 or 16 bytes.
ByteArray peerId(bool ipv6, const unsigned char* address, std::uint16_t port);

// The cookie a wolfSSL 5.5.4 server expects in a ClientHello (src/dtls.c CreateDtlsCookie):
// HMAC-SHA256(key, peer_id || client_version || random || session_id || cipher_suites ||
// compression_methods), 32 bytes.
ByteArray helloCookie(const ByteArray& key, const ByteArray& peer_id,
                      std::uint16_t client_version, std::string_view random,
                      std::string_view session_id, std::string_view cipher_suites,
                      std::string_view compression_methods);

}  // namespace dtls::detail::wolf
