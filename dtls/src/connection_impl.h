// Private: the state and the OpenSSL plumbing of a dtls::Connection. connection.cpp checks
// arguments and states (the public contract); the ConnectionImpl members do the work.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "cookie.h"
#include "datagram_bio.h"
#include "dtls/connection.h"
#include "dtls/wire/record.h"
#include "ossl_ptr.h"
#include "short_records.h"
#include "tls_context.h"

namespace dtls::detail {

// Why decryptDatagram dropped a datagram (TlsNonFatalError), as numbers until someone asks:
// garbage can arrive at line rate and most callers never read the reason (formatting it was a
// tenth of fuzz_decrypt's time). describe() gives dtlsErrorString()'s text.
struct DroppedDatagram {
  enum class Why : std::uint8_t { kNone, kNotDtls, kStripped, kForged };
  Why why = Why::kNone;
  std::size_t bytes = 0;        // kNotDtls: the datagram's size
  wire::DecodeProblem framing;  // kNotDtls
  StrippedRecord stripped;      // kStripped: the first record removed
  std::uint16_t epoch = 0;      // kForged: the first record that failed authentication
  std::uint64_t sequence = 0;
  std::string describe() const;
};

// RFC 6347 §4.1.2.6-style replay window over the application-data records this connection
// decrypted, so decryptDatagram can tell a replay (silently empty) from a forgery (an error):
// OpenSSL drops both without saying which.
class ReplayWindow {
 public:
  void reset(std::uint16_t epoch);
  // Records that (epoch, seq) decrypted.
  void accept(std::uint16_t epoch, std::uint64_t seq);
  // True if (epoch, seq) decrypted before (or is too old for the window to know).
  bool seen(std::uint16_t epoch, std::uint64_t seq) const;
  std::uint16_t epoch() const { return epoch_; }

  using Number = std::pair<std::uint16_t, std::uint64_t>;  // (epoch, sequence number)
  // Notes the application records of `batch` (handed to OpenSSL together) that `reads` reads
  // decrypted. OpenSSL does not say which record a read came from. Only records the window has
  // not seen can have decrypted (OpenSSL's own window drops the others), each number once; when
  // there were as many reads as such records, all of them did and all are noted. Otherwise
  // none is: one of them failed authentication, and noting it would let the same forgery pass
  // as a replay later. `batch` is reordered.
  void acceptIfAllRead(std::vector<Number>* batch, std::size_t reads);

 private:
  std::uint16_t epoch_ = 1;
  bool any_ = false;
  std::uint64_t highest_ = 0;
  std::uint64_t bitmap_ = 0;  // bit i: highest_ - i was accepted
};

// CertificateBlacklisted for each certificate of `chain` on Qt's list of known-fraudulent
// certificates (Certificate::isBlacklisted), in chain order. OpenSSL knows nothing of that
// list, so a blacklisted certificate may verify; QDtls still refuses it.
std::vector<SslError> blacklistErrors(const std::vector<Certificate>& chain);

class ConnectionImpl : public TlsHooks {
 public:
  ConnectionImpl(SslMode mode, TimerService* timers);
  ~ConnectionImpl() override;

  // Sets the error and returns false (so callers can `return fail(...)`).
  bool fail(DtlsError code, std::string message);
  // TlsNonFatalError for a datagram decryptDatagram dropped.
  void failDropped(const DroppedDatagram& why);
  void clearError();
  // dtlsErrorString(): the message, or the dropped datagram's reason.
  std::string errorString() const;

  // Builds the SSL_CTX and SSL for a new handshake. Fails with TlsInitializationError.
  bool startTls(DatagramSocket* socket);
  bool continueHandshake(DatagramSocket* socket, const ByteArray& datagram);
  bool handleTimeout(DatagramSocket* socket);
  bool resumeAfterVerification(DatagramSocket* socket);
  std::int64_t writeEncrypted(DatagramSocket* socket, const ByteArray& datagram);
  ByteArray decrypt(DatagramSocket* socket, const ByteArray& datagram);
  // Moves the application records OpenSSL buffered during the handshake into early_data.
  void collectEarlyData(DatagramSocket* socket);
  // Sends close_notify if the TLS layer allows it, then forgets the SSL (state NotStarted).
  void sendCloseAndReset(DatagramSocket* socket);

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

  // ---- State (read by connection.cpp) ----
  const SslMode mode;
  TimerService* const timers;
  OSSL_LIB_CTX* const libctx;

  Configuration configuration;
  Connection::HandshakeState state = Connection::HandshakeNotStarted;
  std::string verification_name;
  GeneratorParameters cookie_params;
  std::uint16_t mtu_hint = 0;
  Connection::HandshakeTimeoutCallback timeout_callback;
  Connection::PskRequiredCallback psk_callback;
  Connection::KeyLogCallback keylog_callback;

  std::vector<SslError> verification_errors;
  std::vector<SslError> errors_to_ignore;
  DtlsError error = DtlsError::NoError;
  std::string error_string;
  DroppedDatagram dropped;  // set by failDropped; why == kNone otherwise
  // decrypt()'s minEncryptedRecordBytes of the last cipher it saw.
  const SSL_CIPHER* min_record_cipher_ = nullptr;
  std::size_t min_record_bytes_ = 0;
  int retransmissions = 0;
  // Application records that arrived before the handshake completed (takePendingDatagrams),
  // and the (epoch, sequence) of every application record handed to OpenSSL during the
  // handshake: once early records come out, these enter the replay window, so a later replay
  // of one is silent instead of reported as a forgery.
  std::deque<ByteArray> early_data;
  std::vector<ReplayWindow::Number> early_records;
  // decrypt()'s records of the current datagram, in order (kept for its capacity).
  struct RecordSpan {
    std::size_t offset = 0;  // of the header
    std::size_t bytes = 0;   // header and fragment
    std::uint8_t content_type = 0;
    std::uint16_t epoch = 0;
    std::uint64_t sequence = 0;
  };
  std::vector<RecordSpan> datagram_records_;

  DatagramChannel channel;
  CookiePeer cookie_peer;

 private:
  void resetTls();
  // After SSL_do_handshake finished the TLS exchange: collects the session state and decides
  // between HandshakeComplete and PeerVerificationFailed.
  bool finishHandshake(DatagramSocket* socket);
  void collectSessionState();
  // The configured PeerVerifyMode with AutoVerifyPeer resolved for this side.
  PeerVerifyMode effectiveVerifyMode() const;
  std::vector<SslError> remainingErrors() const;
  bool isIgnored(const SslError& error) const;
  // Keeps the TimerService in step with OpenSSL's retransmission deadline.
  void rescheduleTimer();
  void cancelTimer();
  void onTimerFired();
  // The error text for a failed SSL call: the alert involved and OpenSSL's reason.
  std::string describeFailure();
  bool failHandshake(const std::string& message);
  bool listenForVerifiedHello(DatagramSocket* socket, const ByteArray& datagram);
  std::uint16_t linkMtu(DatagramSocket* socket) const;

  SharedSslCtx ctx_;  // shared with the other connections of this configuration data
  OsslPtr<SSL> ssl_;
  // Servers: the session-ticket keys, derived at the first ticket from the cookie parameters
  // the handshake started with.
  GeneratorParameters ticket_params_;
  unsigned char ticket_keys_[kTicketKeyBytes] = {};
  enum class TicketKeys { kNotDerived, kDerived, kUnavailable } ticket_keys_state_ =
      TicketKeys::kNotDerived;
  TimerService::TimerId timer_ = TimerService::kInvalidTimerId;
  bool mtu_limits_writes_ = false;
  bool verification_interrupted_ = false;
  // A server with cookie verification first runs DTLSv1_listen on its own SSL: that re-checks
  // the cookie and sets the message and record sequence numbers that the verified ClientHello
  // (message_seq 1) implies, which SSL_do_handshake alone would treat as out of order.
  bool listen_pending_ = false;
  std::string last_alert_received_;
  bool fatal_alert_received_ = false;
  std::string last_alert_sent_;
  ByteArray new_session_der_;
  int new_session_lifetime_hint_s_ = -1;
  ReplayWindow replay_;
};

}  // namespace dtls::detail
