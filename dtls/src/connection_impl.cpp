// ConnectionImpl: creating the SSL, driving the handshake and its retransmission timer.
#include "connection_impl.h"

#include <openssl/err.h>

#include <algorithm>

#include "configuration_access.h"
#include "short_records.h"
#include "dtls/openssl_context.h"
#include "dtls/wire/names.h"
#include "dtls/wire/record.h"

namespace dtls::detail {

namespace {

// The retransmission schedule (DESIGN.md §2): 1 s, doubled on each expiry, at most 60 s.
// OpenSSL calls this with 0 when a flight starts its timer and with the previous duration on
// each expiry; it resets the duration to 1 s by itself when the peer's flight arrives.
constexpr unsigned kInitialTimeoutUs = 1'000'000;
constexpr unsigned kMaxTimeoutUs = 60'000'000;

unsigned retransmissionSchedule(SSL* /*ssl*/, unsigned previous_us) {
  if (previous_us == 0) return kInitialTimeoutUs;
  return std::min(previous_us * 2, kMaxTimeoutUs);
}

// IP + UDP header bytes, subtracted from the link MTU to get what DTLS may put in a datagram.
constexpr std::uint16_t kIpv4UdpOverhead = 20 + 8;
constexpr std::uint16_t kIpv6UdpOverhead = 40 + 8;
// DTLS_set_link_mtu refuses less (dtls1_link_min_mtu in OpenSSL 3.0).
constexpr std::uint16_t kMinDatagramPayload = 256;

std::string alertText(int ret) {
  return std::string(SSL_alert_type_string_long(ret)) + " " + SSL_alert_desc_string_long(ret);
}

}  // namespace

ConnectionImpl::ConnectionImpl(SslMode ssl_mode, TimerService* timer_service)
    : mode(ssl_mode),
      timers(timer_service),
      libctx(currentLibraryContext()),
      configuration(Configuration::defaultDtlsConfiguration()),
      cookie_params(defaultGeneratorParameters(currentLibraryContext())) {
  cookie_peer.libctx = libctx;
  cookie_peer.params = &cookie_params;
}

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

void ConnectionImpl::clearError() {
  error = DtlsError::NoError;
  error_string.clear();
  dropped.why = DroppedDatagram::Why::kNone;
}

std::string ConnectionImpl::errorString() const {
  return dropped.why == DroppedDatagram::Why::kNone ? error_string : dropped.describe();
}

std::uint16_t ConnectionImpl::linkMtu(DatagramSocket* socket) const {
  if (mtu_hint != 0) return mtu_hint;
  if (auto path = socket->pathMtuBytes()) return *path;
  return kDefaultLinkMtuBytes;
}

bool ConnectionImpl::startTls(DatagramSocket* socket) {
  resetTls();
  const bool server = mode == SslMode::SslServerMode;
  std::string why;
  ctx_ = sharedTlsContext(configuration, server, libctx, &why);
  if (!ctx_) return fail(DtlsError::TlsInitializationError, "doHandshake: " + why);

  ssl_.reset(SSL_new(ctx_.get()));
  BIO* bio = ssl_ ? newDatagramBio(&channel) : nullptr;
  if (bio == nullptr) {
    resetTls();
    return fail(DtlsError::TlsInitializationError,
                "doHandshake: SSL_new failed: " + takeOpenSslError());
  }
  SSL_set_bio(ssl_.get(), bio, bio);
  attachHooks(ssl_.get(), this);
  attachCookiePeer(ssl_.get(), &cookie_peer);
  if (psk_callback) attachPskCallback(ssl_.get(), server);
  if (server) {
    ticket_params_ = cookie_params;
    ticket_keys_state_ = TicketKeys::kNotDerived;
  }
  DTLS_set_timer_cb(ssl_.get(), retransmissionSchedule);

  const std::uint16_t link_mtu = linkMtu(socket);
  const std::uint16_t overhead =
      channel.peer_address.protocol() == NetworkLayerProtocol::IPv6Protocol ? kIpv6UdpOverhead
                                                                   : kIpv4UdpOverhead;
  if (link_mtu < kMinDatagramPayload + overhead) {
    resetTls();
    return fail(DtlsError::TlsInitializationError,
                "doHandshake: MTU " + std::to_string(link_mtu) + " is below the minimum of " +
                    std::to_string(kMinDatagramPayload + overhead) + " bytes for this address");
  }
  DTLS_set_link_mtu(ssl_.get(), link_mtu - overhead);
  mtu_limits_writes_ = mtu_hint != 0 || socket->pathMtuBytes().has_value();

  if (mode == SslMode::SslServerMode) {
    SSL_set_accept_state(ssl_.get());
    listen_pending_ = configuration.dtlsCookieVerificationEnabled();
  } else {
    const bool sni = !configuration.testSslOption(SslOption::SslOptionDisableServerNameIndication);
    // SNI carries host names only (RFC 6066 §3): never an address literal.
    if (sni && !verification_name.empty() && HostAddress(verification_name).isNull())
      SSL_set_tlsext_host_name(ssl_.get(), verification_name.c_str());
    const ByteArray ticket = configuration.sessionTicket();
    if (!ticket.empty() &&
        !configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence)) {
      const auto* p = reinterpret_cast<const unsigned char*>(ticket.data());
      OsslPtr<SSL_SESSION> session(
          d2i_SSL_SESSION(nullptr, &p, static_cast<long>(ticket.size())));
      if (!session || SSL_set_session(ssl_.get(), session.get()) != 1) {
        resetTls();
        ERR_clear_error();
        return fail(DtlsError::TlsInitializationError,
                    "doHandshake: the session ticket is not a DER SSL session");
      }
    }
    SSL_set_connect_state(ssl_.get());
  }
  ConfigurationAccess::clearSessionState(configuration);
  verification_errors.clear();
  verification_interrupted_ = false;
  retransmissions = 0;
  replay_.reset(1);
  return true;
}

void ConnectionImpl::resetTls() {
  cancelTimer();
  listen_pending_ = false;
  ssl_.reset();
  ctx_.reset();
  last_alert_received_.clear();
  last_alert_sent_.clear();
  fatal_alert_received_ = false;
  new_session_der_.clear();
  new_session_lifetime_hint_s_ = -1;
  early_data.clear();
  early_records.clear();
}

bool ConnectionImpl::failHandshake(const std::string& message) {
  resetTls();
  state = Connection::HandshakeNotStarted;
  return fail(DtlsError::TlsFatalError, message);
}

std::string ConnectionImpl::describeFailure() {
  std::string why = takeOpenSslError();
  if (!last_alert_received_.empty())
    why += (why.empty() ? "" : "; ") + std::string("the peer sent ") + last_alert_received_;
  else if (!last_alert_sent_.empty())
    why += (why.empty() ? "" : "; ") + std::string("sent ") + last_alert_sent_;
  return why.empty() ? "unknown OpenSSL failure" : why;
}

bool ConnectionImpl::listenForVerifiedHello(DatagramSocket* socket, const ByteArray& datagram) {
  if (carriesFragmentedClientHello(datagram)) {
    resetTls();
    state = Connection::HandshakeNotStarted;
    return fail(DtlsError::InvalidInputParameters,
                "doHandshake: the first datagram carries a fragmented ClientHello, which a "
                "server with cookie verification drops (ClientVerifier never verifies one)");
  }
  OsslPtr<BIO_ADDR> client(BIO_ADDR_new());
  ERR_clear_error();
  channel.bind(socket, &datagram);
  const int ret = client ? DTLSv1_listen(ssl_.get(), client.get()) : -1;
  channel.unbind();
  if (ret > 0) {
    listen_pending_ = false;
    return true;
  }
  // Not a ClientHello with a valid cookie for this peer (DTLSv1_listen answered it with a
  // HelloVerifyRequest, or dropped it): this connection only continues verified handshakes.
  const std::string why = ret < 0 ? describeFailure() : std::string();
  resetTls();
  state = Connection::HandshakeNotStarted;
  return fail(ret < 0 ? DtlsError::TlsFatalError : DtlsError::InvalidInputParameters,
              ret < 0 ? "doHandshake: DTLSv1_listen failed: " + why
                      : "doHandshake: the first datagram is not a ClientHello with a valid "
                        "cookie for " + channel.peer_address.toString() + ":" +
                            std::to_string(channel.peer_port) +
                            " (pass ClientVerifier::verifiedHello(), with the same cookie "
                            "parameters)");
}

bool ConnectionImpl::continueHandshake(DatagramSocket* socket, const ByteArray& received) {
  // An epoch-1 record too short for the negotiated cipher would make OpenSSL fail the handshake
  // (short_records.h): drop it as DTLS drops any record that does not authenticate.
  ByteArray stripped;
  StrippedRecord short_record;
  const SSL_CIPHER* cipher = ssl_ ? SSL_get_pending_cipher(ssl_.get()) : nullptr;
  if (cipher == nullptr && ssl_) cipher = SSL_get_current_cipher(ssl_.get());
  const bool had_short =
      stripShortRecords(received, minEncryptedRecordBytes(cipher), &stripped, &short_record) > 0;
  const ByteArray& datagram = had_short ? stripped : received;
  wire::scanRecords(datagram, [this](const wire::Record& record) {
    constexpr auto kApplicationData =
        static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
    // As many as OpenSSL buffers (100): a peer cannot grow the list without bound.
    constexpr std::size_t kMaxEarlyRecords = 128;
    if (record.content_type == kApplicationData && record.epoch >= 1 &&
        early_records.size() < kMaxEarlyRecords)
      early_records.emplace_back(record.epoch, record.sequence_number);
  });
  const ByteArray* input = &datagram;
  if (listen_pending_) {
    if (!listenForVerifiedHello(socket, datagram)) return false;
    input = nullptr;  // DTLSv1_listen kept the ClientHello for SSL_do_handshake
  }
  ERR_clear_error();
  channel.bind(socket, input, DatagramChannel::FailedWrite::kRetryTransient);
  const int ret = SSL_do_handshake(ssl_.get());
  const int ssl_error = SSL_get_error(ssl_.get(), ret);
  channel.unbind();

  if (ret == 1) {
    cancelTimer();
    return finishHandshake(socket);
  }
  if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE) {
    rescheduleTimer();
    ERR_clear_error();
    if (channel.write_failed)
      return fail(DtlsError::UnderlyingSocketError,
                  "doHandshake: writing to the socket failed: " + channel.write_error);
    clearError();
    return true;
  }
  if (verification_interrupted_) {
    // handshakeMustInterruptOnError: the verify callback stopped OpenSSL at the first error
    // not ignored in advance. The TLS handshake is over; only abortHandshake() remains.
    ERR_clear_error();
    cancelTimer();
    state = Connection::PeerVerificationFailed;
    return fail(DtlsError::PeerVerificationError,
                "doHandshake: peer verification failed (interrupted at the first error): " +
                    (verification_errors.empty() ? std::string("?")
                                                 : verification_errors.front().errorString()));
  }
  return failHandshake("doHandshake: the handshake failed: " + describeFailure());
}

bool ConnectionImpl::handleTimeout(DatagramSocket* socket) {
  ERR_clear_error();
  channel.bind(socket, nullptr, DatagramChannel::FailedWrite::kRetryTransient);
  const int ret = DTLSv1_handle_timeout(ssl_.get());
  channel.unbind();
  if (ret < 0 && channel.write_failed && SSL_want_write(ssl_.get())) {
    // The retransmission hit a full send buffer (FailedWrite::kRetryTransient): OpenSSL keeps
    // the flight, and the next expiry tries again. Not the give-up below.
    rescheduleTimer();
    ++retransmissions;
    return fail(DtlsError::UnderlyingSocketError,
                "handleTimeout: writing to the socket failed: " + channel.write_error);
  }
  if (ret < 0) {
    // OpenSSL gives up after DTLS1_TMO_ALERT_COUNT (12) expiries without progress.
    return failHandshake("handleTimeout: the handshake timed out after " +
                         std::to_string(retransmissions) +
                         " retransmissions without an answer from the peer (" +
                         describeFailure() + ")");
  }
  rescheduleTimer();
  if (ret == 0) {
    clearError();
    return false;  // the timer had not expired: nothing was retransmitted
  }
  ++retransmissions;
  if (channel.write_failed)
    return fail(DtlsError::UnderlyingSocketError,
                "handleTimeout: writing to the socket failed: " + channel.write_error);
  clearError();
  return true;
}

void ConnectionImpl::sendCloseAndReset(DatagramSocket* socket) {
  if (ssl_ && SSL_is_init_finished(ssl_.get())) {
    channel.bind(socket, nullptr);
    SSL_shutdown(ssl_.get());
    channel.unbind();
    ERR_clear_error();
  }
  resetTls();
  state = Connection::HandshakeNotStarted;
}

// ---- Timer ----------------------------------------------------------------------------------

void ConnectionImpl::cancelTimer() {
  if (timers != nullptr && timer_ != TimerService::kInvalidTimerId) timers->cancel(timer_);
  timer_ = TimerService::kInvalidTimerId;
}

void ConnectionImpl::rescheduleTimer() {
  cancelTimer();
  if (timers == nullptr || !ssl_) return;
  timeval remaining{};
  if (DTLSv1_get_timeout(ssl_.get(), &remaining) != 1) return;  // no timer running
  const TimerService::Duration delay(static_cast<std::int64_t>(remaining.tv_sec) * 1'000'000 +
                                     remaining.tv_usec);
  timer_ = timers->schedule(delay, [this] { onTimerFired(); });
}

void ConnectionImpl::onTimerFired() {
  timer_ = TimerService::kInvalidTimerId;
  if (state != Connection::HandshakeInProgress) return;
  if (timeout_callback) {
    timeout_callback();  // may call handleTimeout(), which reschedules
  }
}

// ---- Callbacks ------------------------------------------------------------------------------

void ConnectionImpl::onInfo(int where, int ret) {
  // SSL_CB_READ_ALERT and SSL_CB_WRITE_ALERT share the SSL_CB_ALERT bit: test the direction
  // bit, or a locally sent alert would be reported as the peer's.
  if ((where & SSL_CB_ALERT) == 0) return;
  if (where & SSL_CB_READ) {
    last_alert_received_ = alertText(ret);
    fatal_alert_received_ = (ret >> 8) == SSL3_AL_FATAL;
  } else {
    last_alert_sent_ = alertText(ret);
  }
}

void ConnectionImpl::onKeyLog(const char* line) {
  if (keylog_callback && line != nullptr) keylog_callback(line);
}

const unsigned char* ConnectionImpl::sessionTicketKeys() {
  if (ticket_keys_state_ == TicketKeys::kNotDerived)
    ticket_keys_state_ = deriveTicketKeys(libctx, ticket_params_, ticket_keys_)
                             ? TicketKeys::kDerived
                             : TicketKeys::kUnavailable;
  return ticket_keys_state_ == TicketKeys::kDerived ? ticket_keys_ : nullptr;
}

void ConnectionImpl::onNewSession(SSL_SESSION* session) {
  const int len = i2d_SSL_SESSION(session, nullptr);
  if (len <= 0) return;
  new_session_der_.assign(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(new_session_der_.data());
  i2d_SSL_SESSION(session, &p);
  new_session_lifetime_hint_s_ =
      SSL_SESSION_has_ticket(session)
          ? static_cast<int>(SSL_SESSION_get_ticket_lifetime_hint(session))
          : -1;
}

unsigned ConnectionImpl::onPskClient(const char* hint, char* identity, unsigned max_identity_len,
                                     unsigned char* psk, unsigned max_psk_len) {
  if (!psk_callback || max_identity_len == 0) return 0;
  // OpenSSL's identity buffer has room for a terminating NUL.
  PreSharedKeyAuthenticator auth(hint ? ByteArray(hint) : ByteArray(),
                                 static_cast<int>(max_identity_len - 1),
                                 static_cast<int>(max_psk_len));
  psk_callback(&auth);
  // Longer values are cut to what OpenSSL can take, as psk_authenticator.h promises (and as
  // QDtls does), instead of failing the handshake.
  const ByteArray id = auth.identity().substr(0, max_identity_len - 1);
  const ByteArray key = auth.preSharedKey().substr(0, max_psk_len);
  if (key.empty()) return 0;
  std::copy(id.begin(), id.end(), identity);
  identity[id.size()] = '\0';
  std::copy(key.begin(), key.end(), psk);
  return static_cast<unsigned>(key.size());
}

unsigned ConnectionImpl::onPskServer(const char* identity, unsigned char* psk,
                                     unsigned max_psk_len) {
  if (!psk_callback) return 0;
  PreSharedKeyAuthenticator auth(configuration.preSharedKeyIdentityHint(), PSK_MAX_IDENTITY_LEN,
                                 static_cast<int>(max_psk_len));
  auth.setIdentity(identity ? ByteArray(identity) : ByteArray());
  psk_callback(&auth);
  const ByteArray key = auth.preSharedKey().substr(0, max_psk_len);
  if (key.empty()) return 0;
  std::copy(key.begin(), key.end(), psk);
  return static_cast<unsigned>(key.size());
}

}  // namespace dtls::detail
