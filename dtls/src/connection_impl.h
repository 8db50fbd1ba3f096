// Private: the state of a dtls::Connection and the half of its work that is the same on every
// backend. connection.cpp checks arguments and states (the public contract); this class keeps
// the errors, the configuration and session state, runs the handshake timer on the
// TimerService, decides peer verification and keeps the replay accounting. A backend derives
// from it and implements the engine: the pure virtual members, which drive its DTLS stack.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "dtls/connection.h"
#include "dtls/wire/record.h"
#include "link_mtu.h"
#include "short_records.h"

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
// the DTLS stacks drop both without saying which.
class ReplayWindow {
 public:
  void reset(std::uint16_t epoch);
  // Records that (epoch, seq) decrypted.
  void accept(std::uint16_t epoch, std::uint64_t seq);
  // True if (epoch, seq) decrypted before (or is too old for the window to know).
  bool seen(std::uint16_t epoch, std::uint64_t seq) const;
  std::uint16_t epoch() const { return epoch_; }

  using Number = std::pair<std::uint16_t, std::uint64_t>;  // (epoch, sequence number)
  // Notes the application records of `batch` (handed to the stack together) that `reads` reads
  // decrypted. The stack does not say which record a read came from. Only records the window
  // has not seen can have decrypted (the stack's own window drops the others), each number
  // once; when there were as many reads as such records, all of them did and all are noted.
  // Otherwise none is: one of them failed authentication, and noting it would let the same
  // forgery pass as a replay later. `batch` is reordered.
  void acceptIfAllRead(std::vector<Number>* batch, std::size_t reads);

 private:
  std::uint16_t epoch_ = 1;
  bool any_ = false;
  std::uint64_t highest_ = 0;
  std::uint64_t bitmap_ = 0;  // bit i: highest_ - i was accepted
};

// CertificateBlacklisted for each certificate of `chain` on Qt's list of known-fraudulent
// certificates (Certificate::isBlacklisted), in chain order. The stacks know nothing of that
// list, so a blacklisted certificate may verify; QDtls still refuses it.
std::vector<SslError> blacklistErrors(const std::vector<Certificate>& chain);

// SSL3_RT_MAX_PLAIN_LENGTH (RFC 6347 §4.1.1): no record carries more plaintext.
inline constexpr std::size_t kMaxRecordPlaintext = 16384;

class ConnectionImpl {
 public:
  ConnectionImpl(SslMode mode, TimerService* timers, GeneratorParameters cookie_defaults);
  virtual ~ConnectionImpl();
  ConnectionImpl(const ConnectionImpl&) = delete;
  ConnectionImpl& operator=(const ConnectionImpl&) = delete;

  // ---- The engine: what each backend implements ----------------------------------------------

  // The name of the backend (backend.h), for Connection::backend() and error texts.
  virtual const char* backendName() const = 0;
  // Builds the stack's state for a new handshake. Fails with TlsInitializationError (naming the
  // backend and the feature for a setting the backend lacks).
  virtual bool startTls(DatagramSocket* socket) = 0;
  virtual bool continueHandshake(DatagramSocket* socket, const ByteArray& datagram) = 0;
  // Retransmits if the stack's deadline passed (true), or not yet (false, NoError).
  virtual bool handleTimeout(DatagramSocket* socket) = 0;
  virtual std::int64_t writeEncrypted(DatagramSocket* socket, std::string_view datagram) = 0;
  // Appends the plaintext of `datagram` to `*plaintext` (which the caller cleared).
  virtual void decrypt(DatagramSocket* socket, std::string_view datagram, ByteArray* plaintext) = 0;
  // Sends close_notify if the TLS layer allows it, then forgets the stack's state (state
  // NotStarted). Returns false, with `write_error` saying why, if the socket refused the alert.
  virtual bool sendCloseAndReset(DatagramSocket* socket, std::string* write_error) = 0;
  // The plaintext bytes one record may carry within the MTU of this session; 0 if unknown.
  virtual std::size_t dataRoomBytes() const = 0;

  // ---- Shared ---------------------------------------------------------------------------------

  // Sets the error and returns false (so callers can `return fail(...)`).
  bool fail(DtlsError code, std::string message);
  // TlsNonFatalError for a datagram decryptDatagram dropped.
  void failDropped(const DroppedDatagram& why);
  void clearError();
  // dtlsErrorString(): the message, or the dropped datagram's reason.
  std::string errorString() const;
  bool resumeAfterVerification(DatagramSocket* socket);
  // writeDatagramEncrypted's size check: the record limit, and with an MTU hint or a known
  // path MTU, what fits one datagram. InvalidInputParameters; the connection stays usable.
  bool checkWriteSize(std::size_t bytes);

  // ---- State (read by connection.cpp) ----
  const SslMode mode;
  TimerService* const timers;

  Configuration configuration;
  Connection::HandshakeState state = Connection::HandshakeNotStarted;
  HostAddress peer_address;
  std::uint16_t peer_port = 0;
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
  int retransmissions = 0;
  // Application records that arrived before the handshake completed (takePendingDatagrams),
  // and the (epoch, sequence) of every application record handed to the stack during the
  // handshake: once early records come out, these enter the replay window, so a later replay
  // of one is silent instead of reported as a forgery.
  std::deque<ByteArray> early_data;
  std::vector<ReplayWindow::Number> early_records;

 protected:
  // Fills the configuration's session state (SessionState) from the finished handshake.
  virtual void collectSessionState() = 0;
  // Moves the application records the stack buffered during the handshake into early_data.
  virtual void collectEarlyData(DatagramSocket* socket) = 0;
  // Forgets the stack's state of the handshake or session; cancels the timer.
  virtual void resetTls() = 0;

  // The end of startTls: the session state, verification errors, retransmission count and
  // replay window of the last handshake are forgotten.
  void forgetLastHandshake();
  // After the stack finished the TLS exchange: collects the session state and decides between
  // HandshakeComplete and PeerVerificationFailed (as QDtls does, for every backend).
  bool finishHandshake(DatagramSocket* socket);
  bool failHandshake(const std::string& message);
  // The configured PeerVerifyMode with AutoVerifyPeer resolved for this side.
  PeerVerifyMode effectiveVerifyMode() const;
  std::vector<SslError> remainingErrors() const;
  bool isIgnored(const SslError& error) const;
  // Adds a verification error the stack reported, once. Returns true if the handshake must
  // stop at it (handshakeMustInterruptOnError under VerifyPeer, and not ignored in advance).
  bool noteVerificationError(const SslError& error);
  // The link MTU: the hint, else the socket's path MTU, else kDefaultLinkMtuBytes.
  std::uint16_t linkMtu(DatagramSocket* socket) const;
  std::uint16_t ipUdpOverhead() const;
  // What DTLS may put in one datagram: the link MTU less the IP and UDP headers. Sets
  // mtu_limits_writes_. 0 with TlsInitializationError when that is below the minimum of 256
  // bytes (OpenSSL's dtls1_link_min_mtu; no backend goes lower).
  std::uint16_t datagramPayloadBytes(DatagramSocket* socket);
  // A server with cookie verification continues only the ClientHello its verifier accepted:
  // these end the handshake (state NotStarted) with InvalidInputParameters.
  bool failFragmentedHello();
  bool failUnverifiedHello();
  // Notes the application records of a handshake datagram (early_records).
  void noteEarlyRecords(const ByteArray& datagram);

  // ---- decrypt()'s frame, the same for every stack (RFC 6347 §4.1) ----
  // One record of the incoming datagram, as numbers (the vector keeps its capacity).
  struct IncomingRecord {
    std::size_t offset = 0;  // of the header
    std::size_t bytes = 0;   // header and fragment
    std::uint8_t content_type = 0;
    std::uint16_t epoch = 0;
    std::uint64_t sequence = 0;
  };
  // Readies `input` for the stack: removes the records stripShortRecords removes (of another
  // `version` when not 0; epoch >= 1 records shorter than `min_record_bytes`), then splits the
  // rest into incoming_records_. Bytes that are not DTLS records never reach a stack, which
  // would drop them silently (RFC 6347 §4.1.2.7). False, with failDropped called, when nothing
  // is left for the stack.
  bool frameIncoming(std::string_view input, std::size_t min_record_bytes, std::uint16_t version);
  // The datagram frameIncoming readied: `input`, or its copy without the removed records.
  std::string_view incomingDatagram(std::string_view input) const {
    return incoming_had_stripped_ ? std::string_view(incoming_kept_) : input;
  }
  // After the stack took one application record by itself: a record that decrypted enters the
  // replay window; the first that gave nothing and that the window has not seen failed
  // authentication; the others are replays (silent). The stacks drop both alike.
  void noteIncomingRecord(const IncomingRecord& record, bool decrypted);
  // writeEncrypted()'s outcome, the same for every stack: `written` bytes, or (negative) the
  // stack refused the record: as larger than it can send when `room` is not 0 (the connection
  // stays usable; the caller learns the room, as for an MTU), else for `stack_error`. Then a
  // write to the socket that failed.
  std::int64_t finishWrite(std::int64_t written, std::size_t bytes, std::size_t room,
                           const std::string& stack_error, bool write_failed,
                           const std::string& write_error);
  // decrypt()'s outcome once the stack read on to "want read". A failed answer to a
  // retransmission comes first: what was dropped is gone either way, while the caller can act
  // on its socket. For a datagram that gave no plaintext, then, the forgery, else the removed
  // records; a datagram that gave plaintext is no error.
  void finishIncoming(bool gave_plaintext, bool write_failed, const std::string& write_error);
  // The peer's close_notify or fatal alert ended the session: the stack's state is forgotten.
  void endedByPeer(DtlsError code, const std::string& message);

  std::vector<IncomingRecord> incoming_records_;

  // The handshake timer contract: one TimerService timer at the stack's next deadline; when it
  // fires in HandshakeInProgress, the handshake-timeout callback (which calls handleTimeout).
  void scheduleTimer(TimerService::Duration delay);
  void cancelTimer();

  // The PSK callback (RFC 4279), the same for every stack. The client's identity and key are
  // cut to what the stack takes (as psk_authenticator.h promises, and as QDtls does). False
  // without a callback or when it left the key empty: the handshake must fail.
  bool askClientPsk(const ByteArray& hint, std::size_t max_identity_bytes,
                    std::size_t max_psk_bytes, ByteArray* identity, ByteArray* key);
  bool askServerPsk(const ByteArray& identity, std::size_t max_identity_bytes,
                    std::size_t max_psk_bytes, ByteArray* key);

  bool verification_interrupted_ = false;
  // Set by startTls: an MTU hint or a path MTU limits writes (else the stack fragments).
  bool mtu_limits_writes_ = false;
  ReplayWindow replay_;

 private:
  void onTimerFired();
  // frameIncoming's and noteIncomingRecord's findings for the current datagram.
  ByteArray incoming_kept_;
  bool incoming_had_stripped_ = false;
  DroppedDatagram incoming_stripped_;
  DroppedDatagram incoming_forgery_;
  TimerService::TimerId timer_ = TimerService::kInvalidTimerId;
};

}  // namespace dtls::detail
