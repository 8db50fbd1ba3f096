// Private: the OpenSSL 3.0 engine of a dtls::Connection (an SSL over a DatagramChannel BIO).
// The shared half (errors, timer contract, verification decisions) is ConnectionImpl.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "connection_impl.h"
#include "cookie.h"
#include "datagram_bio.h"
#include "ossl_ptr.h"
#include "tls_context.h"

namespace dtls::detail {

class OpensslConnection : public ConnectionImpl, public TlsHooks {
 public:
  // Uses the OpenSSL library context current on this thread (openssl_context.h).
  OpensslConnection(SslMode mode, TimerService* timers);
  ~OpensslConnection() override;

  const char* backendName() const override { return "openssl"; }
  bool startTls(DatagramSocket* socket) override;
  bool continueHandshake(DatagramSocket* socket, const ByteArray& datagram) override;
  bool handleTimeout(DatagramSocket* socket) override;
  std::int64_t writeEncrypted(DatagramSocket* socket, std::string_view datagram) override;
  void decrypt(DatagramSocket* socket, std::string_view datagram, ByteArray* plaintext) override;
  bool sendCloseAndReset(DatagramSocket* socket, std::string* write_error) override;
  std::size_t dataRoomBytes() const override;

  // TlsHooks.
  int onVerify(int preverify_ok, X509_STORE_CTX* store) override;
  unsigned onPskClient(const char* hint, char* identity, unsigned max_identity_len,
                       unsigned char* psk, unsigned max_psk_len) override;
  unsigned onPskServer(const char* identity, unsigned char* psk, unsigned max_psk_len) override;
  void onNewSession(SSL_SESSION* session) override;
  void onInfo(int where, int ret) override;
  void onKeyLog(const char* line) override;
  const unsigned char* sessionTicketKeys() override;
  OSSL_LIB_CTX* libraryContext() const override { return libctx; }

  OSSL_LIB_CTX* const libctx;

 protected:
  void collectSessionState() override;
  void collectEarlyData(DatagramSocket* socket) override;
  void resetTls() override;

 private:
  // Keeps the TimerService in step with OpenSSL's retransmission deadline.
  void rescheduleTimer();
  // The error text for a failed SSL call: the alert involved and OpenSSL's reason.
  std::string describeFailure();
  bool listenForVerifiedHello(DatagramSocket* socket, const ByteArray& datagram);

  // decrypt()'s minEncryptedRecordBytes of the last cipher it saw.
  const SSL_CIPHER* min_record_cipher_ = nullptr;
  std::size_t min_record_bytes_ = 0;

  DatagramChannel channel;
  CookiePeer cookie_peer;

  SharedSslCtx ctx_;  // shared with the other connections of this configuration data
  OsslPtr<SSL> ssl_;
  // Servers: the session-ticket keys, derived at the first ticket from the cookie parameters
  // the handshake started with.
  GeneratorParameters ticket_params_;
  unsigned char ticket_keys_[kTicketKeyBytes] = {};
  enum class TicketKeys { kNotDerived, kDerived, kUnavailable } ticket_keys_state_ =
      TicketKeys::kNotDerived;
  // A server with cookie verification first runs DTLSv1_listen on its own SSL: that re-checks
  // the cookie and sets the message and record sequence numbers that the verified ClientHello
  // (message_seq 1) implies, which SSL_do_handshake alone would treat as out of order.
  bool listen_pending_ = false;
  std::string last_alert_received_;
  bool fatal_alert_received_ = false;
  std::string last_alert_sent_;
  ByteArray new_session_der_;
  int new_session_lifetime_hint_s_ = -1;
};

}  // namespace dtls::detail
