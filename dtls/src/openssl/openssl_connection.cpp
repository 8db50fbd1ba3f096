// OpensslConnection: creating the SSL, driving the handshake and its retransmission timer.
#include "openssl_connection.h"

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

std::string alertText(int ret) {
  return std::string(SSL_alert_type_string_long(ret)) + " " + SSL_alert_desc_string_long(ret);
}

}  // namespace

OpensslConnection::OpensslConnection(SslMode ssl_mode, TimerService* timer_service)
    : ConnectionImpl(ssl_mode, timer_service, defaultGeneratorParameters(currentLibraryContext())),
      libctx(currentLibraryContext()) {
  cookie_peer.libctx = libctx;
  cookie_peer.params = &cookie_params;
}

OpensslConnection::~OpensslConnection() = default;

bool OpensslConnection::startTls(DatagramSocket* socket) {
  resetTls();
  channel.peer_address = peer_address;
  channel.peer_port = peer_port;
  cookie_peer.address = peer_address;
  cookie_peer.port = peer_port;
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

  const std::uint16_t payload = datagramPayloadBytes(socket);
  if (payload == 0) {
    resetTls();
    return false;
  }
  DTLS_set_link_mtu(ssl_.get(), payload);

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
  forgetLastHandshake();
  return true;
}

void OpensslConnection::resetTls() {
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

std::string OpensslConnection::describeFailure() {
  std::string why = takeOpenSslError();
  if (!last_alert_received_.empty())
    why += (why.empty() ? "" : "; ") + std::string("the peer sent ") + last_alert_received_;
  else if (!last_alert_sent_.empty())
    why += (why.empty() ? "" : "; ") + std::string("sent ") + last_alert_sent_;
  return why.empty() ? "unknown OpenSSL failure" : why;
}

bool OpensslConnection::listenForVerifiedHello(DatagramSocket* socket, const ByteArray& datagram) {
  if (carriesFragmentedClientHello(datagram)) return failFragmentedHello();
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
  if (ret == 0) return failUnverifiedHello();
  const std::string why = describeFailure();
  resetTls();
  state = Connection::HandshakeNotStarted;
  return fail(DtlsError::TlsFatalError, "doHandshake: DTLSv1_listen failed: " + why);
}

bool OpensslConnection::continueHandshake(DatagramSocket* socket, const ByteArray& received) {
  // An epoch-1 record too short for the negotiated cipher would make OpenSSL fail the handshake
  // (short_records.h): drop it as DTLS drops any record that does not authenticate.
  ByteArray stripped;
  StrippedRecord short_record;
  const SSL_CIPHER* cipher = ssl_ ? SSL_get_pending_cipher(ssl_.get()) : nullptr;
  if (cipher == nullptr && ssl_) cipher = SSL_get_current_cipher(ssl_.get());
  const bool had_short =
      stripShortRecords(received, minEncryptedRecordBytes(cipher), &stripped, &short_record) > 0;
  const ByteArray& datagram = had_short ? stripped : received;
  noteEarlyRecords(datagram);
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

bool OpensslConnection::handleTimeout(DatagramSocket* socket) {
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

bool OpensslConnection::sendCloseAndReset(DatagramSocket* socket, std::string* write_error) {
  if (ssl_ && SSL_is_init_finished(ssl_.get())) {
    channel.bind(socket, nullptr);
    SSL_shutdown(ssl_.get());
    channel.unbind();
    ERR_clear_error();
  }
  resetTls();
  state = Connection::HandshakeNotStarted;
  if (!channel.write_failed) return true;
  *write_error = channel.write_error;
  return false;
}

// ---- Timer ----------------------------------------------------------------------------------

std::size_t OpensslConnection::dataRoomBytes() const { return DTLS_get_data_mtu(ssl_.get()); }

void OpensslConnection::rescheduleTimer() {
  cancelTimer();
  if (timers == nullptr || !ssl_) return;
  timeval remaining{};
  if (DTLSv1_get_timeout(ssl_.get(), &remaining) != 1) return;  // no timer running
  const TimerService::Duration delay(static_cast<std::int64_t>(remaining.tv_sec) * 1'000'000 +
                                     remaining.tv_usec);
  scheduleTimer(delay);
}

// ---- Callbacks ------------------------------------------------------------------------------

void OpensslConnection::onInfo(int where, int ret) {
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

void OpensslConnection::onKeyLog(const char* line) {
  if (keylog_callback && line != nullptr) keylog_callback(line);
}

const unsigned char* OpensslConnection::sessionTicketKeys() {
  if (ticket_keys_state_ == TicketKeys::kNotDerived)
    ticket_keys_state_ = deriveTicketKeys(libctx, ticket_params_, ticket_keys_)
                             ? TicketKeys::kDerived
                             : TicketKeys::kUnavailable;
  return ticket_keys_state_ == TicketKeys::kDerived ? ticket_keys_ : nullptr;
}

void OpensslConnection::onNewSession(SSL_SESSION* session) {
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

unsigned OpensslConnection::onPskClient(const char* hint, char* identity, unsigned max_identity_len,
                                        unsigned char* psk, unsigned max_psk_len) {
  if (max_identity_len == 0) return 0;
  ByteArray id;
  ByteArray key;
  // OpenSSL's identity buffer has room for a terminating NUL.
  if (!askClientPsk(hint ? ByteArray(hint) : ByteArray(), max_identity_len - 1, max_psk_len, &id,
                    &key))
    return 0;
  std::copy(id.begin(), id.end(), identity);
  identity[id.size()] = '\0';
  std::copy(key.begin(), key.end(), psk);
  return static_cast<unsigned>(key.size());
}

unsigned OpensslConnection::onPskServer(const char* identity, unsigned char* psk,
                                        unsigned max_psk_len) {
  ByteArray key;
  if (!askServerPsk(identity ? ByteArray(identity) : ByteArray(), PSK_MAX_IDENTITY_LEN,
                    max_psk_len, &key))
    return 0;
  std::copy(key.begin(), key.end(), psk);
  return static_cast<unsigned>(key.size());
}

}  // namespace dtls::detail
