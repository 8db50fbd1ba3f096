// Private: the GnuTLS 3.7 engine of a dtls::Connection: a non-blocking datagram session whose
// I/O, clock and randomness are this object's (DESIGN.md §9). The shared half (errors, timer
// contract, verification decisions, replay accounting) is ConnectionImpl.
#pragma once

#include <gnutls/gnutls.h>

#include <cstdint>
#include <memory>
#include <string>

#include "connection_impl.h"
#include "dtls/key.h"
#include "dtls/random_source.h"
#include "gnutls_global.h"
#include "gnutls_random.h"

namespace dtls::detail {

struct GnutlsContext;  // gnutls_context.h

class GnutlsConnection : public ConnectionImpl {
 public:
  // Draws from the thread's RandomSource (random_source.h) for its whole life.
  GnutlsConnection(SslMode mode, TimerService* timers);
  ~GnutlsConnection() override;

  const char* backendName() const override { return "gnutls"; }
  bool startTls(DatagramSocket* socket) override;
  bool continueHandshake(DatagramSocket* socket, const ByteArray& datagram) override;
  bool handleTimeout(DatagramSocket* socket) override;
  std::int64_t writeEncrypted(DatagramSocket* socket, std::string_view datagram) override;
  void decrypt(DatagramSocket* socket, std::string_view datagram, ByteArray* plaintext) override;
  bool sendCloseAndReset(DatagramSocket* socket, std::string* write_error) override;
  std::size_t dataRoomBytes() const override;

 protected:
  void collectSessionState() override;
  void collectEarlyData(DatagramSocket* socket) override;
  void resetTls() override;

 private:
  GnutlsConnection(SslMode mode, TimerService* timers, RandomSource* random);

  // Around every GnuTLS call: the connection's randomness and clock (gnutls_random.h,
  // gnutls_global.h).
  struct CallScope {
    explicit CallScope(const GnutlsConnection* c) : random(c->random_), clock(c->timers) {}
    GnutlsRandomScope random;
    GnutlsClockScope clock;
  };

  // GnuTLS callbacks; the transport pointer / session pointer is this connection.
  static ssize_t push(gnutls_transport_ptr_t self, const void* data, size_t bytes);
  static ssize_t pull(gnutls_transport_ptr_t self, void* buffer, size_t bytes);
  static int pullTimeout(gnutls_transport_ptr_t self, unsigned int ms);
  static int verifyPeer(gnutls_session_t session);
  static int clientPsk(gnutls_session_t session, gnutls_datum_t* identity, gnutls_datum_t* key);
  static int serverPsk(gnutls_session_t session, const gnutls_datum_t* identity,
                       gnutls_datum_t* key);
  static int keylog(gnutls_session_t session, const char* label, const gnutls_datum_t* secret);
  // A client's view of the server's messages that GnuTLS 3.7 reads and keeps to itself: the
  // ECDHE key of the ServerKeyExchange and the NewSessionTicket's lifetime hint.
  static int peekServerMessage(gnutls_session_t session, unsigned type, unsigned when,
                               unsigned incoming, const gnutls_datum_t* message);

  // Binds `socket` and the datagram the next pull() hands GnuTLS (none if null).
  void bind(DatagramSocket* socket, const ByteArray* datagram);
  void unbind();
  // One gnutls_handshake() step, then the timer or the outcome.
  bool handshakeStep(DatagramSocket* socket, const char* call);
  bool afterHandshakeStep(int ret, DatagramSocket* socket, const char* call);
  // A server with cookie verification: checks the first datagram's cookie with GnuTLS's
  // gnutls_dtls_cookie_verify and hands its sequence numbers to the session.
  bool acceptVerifiedHello(const ByteArray& datagram);
  void scheduleFromGnutls();
  TimerService::Duration now() const;
  // GnuTLS's reason for `ret`, with the alert the peer sent if any.
  std::string describe(int ret) const;

  RandomSource* const random_;
  std::unique_ptr<GnutlsContext> tls_;

  DatagramSocket* socket_ = nullptr;
  // The datagram GnuTLS reads, one record per read (pull), from incoming_offset_; null once
  // every record was read.
  const ByteArray* incoming_ = nullptr;
  std::size_t incoming_offset_ = 0;
  // The records of a handshake datagram after the one that completed the handshake (the
  // client's first application data, say): collectEarlyData hands them to GnuTLS.
  ByteArray after_handshake_;
  bool write_failed_ = false;
  std::string write_error_;
  std::size_t writes_ = 0;  // datagrams pushed during the current call
  bool sent_any_ = false;   // this handshake has a flight out (GnuTLS's timer runs)
  bool tls_done_ = false;   // GnuTLS finished the handshake (verification may still fail it)
  bool first_datagram_ = true;
  // Timer expiries since the handshake last made progress: GnuTLS gives up only on a total
  // time, so the connection counts (DESIGN.md §2: 12 retransmissions, as OpenSSL).
  int expiries_without_progress_ = 0;
  int last_in_ = -1;
  // The timer while GnuTLS has no flight to retransmit (scheduleFromGnutls), and the deadline
  // the TimerService timer was set for.
  unsigned idle_backoff_ms_ = 1000;
  // GnuTLS was called with its window passed and sent nothing: it holds no flight (finding 002).
  // Until then an expired window means a retransmission is still owed (scheduleFromGnutls).
  bool holds_no_flight_ = false;
  TimerService::Duration deadline_{0};
  ByteArray server_key_exchange_;  // its body, from peekServerMessage
  int ticket_lifetime_hint_s_ = -1;
};

}  // namespace dtls::detail
