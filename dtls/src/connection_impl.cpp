// ConnectionImpl: errors, the handshake timer and the PSK callback, the same on every backend.
#include "connection_impl.h"

#include <algorithm>

#include "configuration_access.h"
#include "dtls/wire/names.h"

namespace dtls::detail {

ConnectionImpl::ConnectionImpl(SslMode ssl_mode, TimerService* timer_service,
                               GeneratorParameters cookie_defaults)
    : mode(ssl_mode),
      timers(timer_service),
      configuration(Configuration::defaultDtlsConfiguration()),
      cookie_params(std::move(cookie_defaults)) {}

ConnectionImpl::~ConnectionImpl() { cancelTimer(); }

bool ConnectionImpl::fail(DtlsError code, std::string message) {
  error = code;
  error_string = std::move(message);
  dropped.why = DroppedDatagram::Why::kNone;
  return false;
}

void ConnectionImpl::failDropped(const DroppedDatagram& why) {
  error = DtlsError::TlsNonFatalError;
  error_string.clear();
  dropped = why;
}

bool ConnectionImpl::frameIncoming(std::string_view input, std::size_t min_record_bytes,
                                   std::uint16_t version) {
  incoming_forgery_.why = DroppedDatagram::Why::kNone;
  incoming_stripped_.why = DroppedDatagram::Why::kStripped;
  incoming_had_stripped_ = stripShortRecords(input, min_record_bytes, &incoming_kept_,
                                             &incoming_stripped_.stripped, version) > 0;
  const std::string_view datagram = incomingDatagram(input);
  if (incoming_had_stripped_ && datagram.empty()) {
    if (!incoming_stripped_.stripped.all_handshake_leftovers) failDropped(incoming_stripped_);
    return false;
  }
  incoming_records_.clear();
  const wire::DecodeProblem framing_error =
      wire::scanRecords(datagram, [this](const wire::Record& record) {
        incoming_records_.push_back({record.offset, wire::kRecordHeaderBytes + record.length(),
                                     record.content_type, record.epoch, record.sequence_number});
      });
  if (framing_error.empty()) return true;
  DroppedDatagram not_dtls;
  not_dtls.why = DroppedDatagram::Why::kNotDtls;
  not_dtls.bytes = datagram.size();
  not_dtls.framing = framing_error;
  failDropped(not_dtls);
  return false;
}

void ConnectionImpl::noteIncomingRecord(const IncomingRecord& record, bool decrypted) {
  if (decrypted) {
    replay_.accept(record.epoch, record.sequence);
  } else if (incoming_forgery_.why == DroppedDatagram::Why::kNone &&
             !replay_.seen(record.epoch, record.sequence)) {
    incoming_forgery_.why = DroppedDatagram::Why::kForged;
    incoming_forgery_.epoch = record.epoch;
    incoming_forgery_.sequence = record.sequence;
  }
}

std::int64_t ConnectionImpl::finishWrite(std::int64_t written, std::size_t bytes,
                                         std::size_t room, const std::string& stack_error,
                                         bool write_failed, const std::string& write_error) {
  if (written < 0 && room > 0) {
    fail(DtlsError::InvalidInputParameters,
         "writeDatagramEncrypted: a " + std::to_string(bytes) + "-byte datagram does not fit one " +
             backendName() + " record: it takes " + std::to_string(room) + " bytes");
    return -1;
  }
  if (written < 0) {
    fail(DtlsError::TlsFatalError, "writeDatagramEncrypted: " + stack_error);
    return -1;
  }
  if (write_failed) {
    fail(DtlsError::UnderlyingSocketError,
         "writeDatagramEncrypted: writing to the socket failed: " + write_error);
    return -1;
  }
  clearError();
  return written;
}

void ConnectionImpl::finishIncoming(bool gave_plaintext, bool write_failed,
                                    const std::string& write_error) {
  if (write_failed) {
    fail(DtlsError::UnderlyingSocketError,
         "decryptDatagram: answering a retransmission failed: " + write_error);
  } else if (!gave_plaintext && incoming_forgery_.why == DroppedDatagram::Why::kForged) {
    failDropped(incoming_forgery_);
  } else if (!gave_plaintext && incoming_had_stripped_ &&
             !incoming_stripped_.stripped.all_handshake_leftovers) {
    failDropped(incoming_stripped_);
  }
}

void ConnectionImpl::forgetLastHandshake() {
  ConfigurationAccess::clearSessionState(configuration);
  verification_errors.clear();
  verification_interrupted_ = false;
  retransmissions = 0;
  replay_.reset(1);
}

void ConnectionImpl::endedByPeer(DtlsError code, const std::string& message) {
  resetTls();
  state = Connection::HandshakeNotStarted;
  fail(code, message);
}

void ConnectionImpl::clearError() {
  error = DtlsError::NoError;
  error_string.clear();
  dropped.why = DroppedDatagram::Why::kNone;
}

std::string ConnectionImpl::errorString() const {
  return dropped.why == DroppedDatagram::Why::kNone ? error_string : dropped.describe();
}

bool ConnectionImpl::failHandshake(const std::string& message) {
  resetTls();
  state = Connection::HandshakeNotStarted;
  return fail(DtlsError::TlsFatalError, message);
}

std::uint16_t ConnectionImpl::linkMtu(DatagramSocket* socket) const {
  if (mtu_hint != 0) return mtu_hint;
  if (auto path = socket->pathMtuBytes()) return *path;
  return kDefaultLinkMtuBytes;
}

std::uint16_t ConnectionImpl::ipUdpOverhead() const {
  return peer_address.protocol() == NetworkLayerProtocol::IPv6Protocol ? kIpv6UdpOverhead
                                                                       : kIpv4UdpOverhead;
}

bool ConnectionImpl::checkWriteSize(std::size_t bytes) {
  if (bytes > kMaxRecordPlaintext)
    return fail(DtlsError::InvalidInputParameters,
                "writeDatagramEncrypted: a " + std::to_string(bytes) +
                    "-byte datagram exceeds the " + std::to_string(kMaxRecordPlaintext) +
                    "-byte record limit");
  if (!mtu_limits_writes_) return true;
  const std::size_t room = dataRoomBytes();
  if (room > 0 && bytes > room)
    return fail(DtlsError::InvalidInputParameters,
                "writeDatagramEncrypted: a " + std::to_string(bytes) +
                    "-byte datagram does not fit one datagram: the MTU leaves " +
                    std::to_string(room) + " bytes for data");
  return true;
}

std::uint16_t ConnectionImpl::datagramPayloadBytes(DatagramSocket* socket) {
  constexpr std::uint16_t kMinDatagramPayload = 256;
  const std::uint16_t link_mtu = linkMtu(socket);
  const std::uint16_t overhead = ipUdpOverhead();
  if (link_mtu < kMinDatagramPayload + overhead) {
    fail(DtlsError::TlsInitializationError,
         "doHandshake: MTU " + std::to_string(link_mtu) + " is below the minimum of " +
             std::to_string(kMinDatagramPayload + overhead) + " bytes for this address");
    return 0;
  }
  mtu_limits_writes_ = mtu_hint != 0 || socket->pathMtuBytes().has_value();
  return static_cast<std::uint16_t>(link_mtu - overhead);
}

bool ConnectionImpl::failFragmentedHello() {
  resetTls();
  state = Connection::HandshakeNotStarted;
  return fail(DtlsError::InvalidInputParameters,
              "doHandshake: the first datagram carries a fragmented ClientHello, which a "
              "server with cookie verification drops (ClientVerifier never verifies one)");
}

bool ConnectionImpl::failUnverifiedHello() {
  resetTls();
  state = Connection::HandshakeNotStarted;
  return fail(DtlsError::InvalidInputParameters,
              "doHandshake: the first datagram is not a ClientHello with a valid cookie for " +
                  peer_address.toString() + ":" + std::to_string(peer_port) +
                  " (pass ClientVerifier::verifiedHello(), with the same cookie parameters)");
}

void ConnectionImpl::noteEarlyRecords(const ByteArray& datagram) {
  wire::scanRecords(datagram, [this](const wire::Record& record) {
    constexpr auto kApplicationData =
        static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
    // As many as OpenSSL buffers (100): a peer cannot grow the list without bound.
    constexpr std::size_t kMaxEarlyRecords = 128;
    if (record.content_type == kApplicationData && record.epoch >= 1 &&
        early_records.size() < kMaxEarlyRecords)
      early_records.emplace_back(record.epoch, record.sequence_number);
  });
}

// ---- Timer ----------------------------------------------------------------------------------

void ConnectionImpl::cancelTimer() {
  if (timers != nullptr && timer_ != TimerService::kInvalidTimerId) timers->cancel(timer_);
  timer_ = TimerService::kInvalidTimerId;
}

void ConnectionImpl::scheduleTimer(TimerService::Duration delay) {
  cancelTimer();
  if (timers == nullptr) return;
  timer_ = timers->schedule(delay, [this] { onTimerFired(); });
}

void ConnectionImpl::onTimerFired() {
  timer_ = TimerService::kInvalidTimerId;
  if (state != Connection::HandshakeInProgress) return;
  if (timeout_callback) {
    timeout_callback();  // may call handleTimeout(), which reschedules
  }
}

// ---- Pre-shared keys ------------------------------------------------------------------------

bool ConnectionImpl::askClientPsk(const ByteArray& hint, std::size_t max_identity_bytes,
                                  std::size_t max_psk_bytes, ByteArray* identity,
                                  ByteArray* key) {
  if (!psk_callback) return false;
  PreSharedKeyAuthenticator auth(hint, static_cast<int>(max_identity_bytes),
                                 static_cast<int>(max_psk_bytes));
  psk_callback(&auth);
  // Longer values are cut to what the stack can take, as psk_authenticator.h promises (and as
  // QDtls does), instead of failing the handshake.
  *identity = auth.identity().substr(0, max_identity_bytes);
  *key = auth.preSharedKey().substr(0, max_psk_bytes);
  return !key->empty();
}

bool ConnectionImpl::askServerPsk(const ByteArray& identity, std::size_t max_identity_bytes,
                                  std::size_t max_psk_bytes, ByteArray* key) {
  if (!psk_callback) return false;
  PreSharedKeyAuthenticator auth(configuration.preSharedKeyIdentityHint(),
                                 static_cast<int>(max_identity_bytes),
                                 static_cast<int>(max_psk_bytes));
  auth.setIdentity(identity);
  psk_callback(&auth);
  *key = auth.preSharedKey().substr(0, max_psk_bytes);
  return !key->empty();
}

}  // namespace dtls::detail
