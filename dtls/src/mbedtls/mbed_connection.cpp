// MbedtlsConnection: the mbedTLS context, the handshake, its timer and its datagram I/O.
#include "mbed_connection.h"

#include <mbedtls/error.h>
#include <mbedtls/ssl_ciphersuites.h>
// mbedtls_ssl_handshake_params, for the server's ECDHE point: internal, but installed by Debian.
#include <mbedtls/ssl_internal.h>
#include <sys/time.h>

#include <algorithm>
#include <cstdio>

#include "configuration_access.h"
#include "fragmented_hello.h"
#include "mbed_context.h"
#include "mbed_ephemeral_key.h"

namespace dtls::detail {

namespace {

// mbedTLS doubles its timeout without a ceiling below the give-up point (mbed_context.cpp);
// the timer the application sees stops at 60 s (DESIGN.md §2).
constexpr std::uint32_t kMaxTimeoutMs = 60'000;
constexpr std::size_t kMaxPskIdentityBytes = 128;

// OpenSSL's long names of the alerts (SSL_alert_desc_string_long), so an error text reads the
// same whichever backend saw the alert (RFC 5246 §7.2, RFC 7301 §3.2).
std::string alertName(unsigned char description) {
  switch (description) {
    case MBEDTLS_SSL_ALERT_MSG_CLOSE_NOTIFY: return "close notify";
    case MBEDTLS_SSL_ALERT_MSG_UNEXPECTED_MESSAGE: return "unexpected_message";
    case MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC: return "bad record mac";
    case MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE: return "handshake failure";
    case MBEDTLS_SSL_ALERT_MSG_NO_CERT: return "no certificate";
    case MBEDTLS_SSL_ALERT_MSG_BAD_CERT: return "bad certificate";
    case MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT: return "unsupported certificate";
    case MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED: return "certificate revoked";
    case MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED: return "certificate expired";
    case MBEDTLS_SSL_ALERT_MSG_CERT_UNKNOWN: return "certificate unknown";
    case MBEDTLS_SSL_ALERT_MSG_ILLEGAL_PARAMETER: return "illegal parameter";
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA: return "unknown CA";
    case MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED: return "access denied";
    case MBEDTLS_SSL_ALERT_MSG_DECODE_ERROR: return "decode error";
    case MBEDTLS_SSL_ALERT_MSG_DECRYPT_ERROR: return "decrypt error";
    case MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION: return "protocol version";
    case MBEDTLS_SSL_ALERT_MSG_INSUFFICIENT_SECURITY: return "insufficient security";
    case MBEDTLS_SSL_ALERT_MSG_INTERNAL_ERROR: return "internal error";
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_PSK_IDENTITY: return "unknown PSK identity";
    case MBEDTLS_SSL_ALERT_MSG_NO_APPLICATION_PROTOCOL: return "no application protocol";
    default: return "alert " + std::to_string(description);
  }
}

GeneratorParameters cookieDefaults(MbedRandom& random) {
  constexpr std::size_t kCookieSecretBytes = 16;
  GeneratorParameters params;
  params.secret.resize(kCookieSecretBytes);
  if (MbedRandom::generate(&random, reinterpret_cast<unsigned char*>(params.secret.data()),
                           params.secret.size()) != 0)
    params.secret.clear();
  return params;
}

}  // namespace

MbedtlsConnection::MbedtlsConnection(SslMode ssl_mode, TimerService* timer_service)
    : MbedtlsConnection(ssl_mode, timer_service, std::make_unique<MbedRandom>()) {}

MbedtlsConnection::MbedtlsConnection(SslMode ssl_mode, TimerService* timer_service,
                                     std::unique_ptr<MbedRandom> random)
    : ConnectionImpl(ssl_mode, timer_service, cookieDefaults(*random)),
      random_(std::move(random)) {}

MbedtlsConnection::~MbedtlsConnection() = default;

// ---- Handshake ------------------------------------------------------------------------------

bool MbedtlsConnection::startTls(DatagramSocket* socket) {
  resetTls();
  const std::uint16_t payload = datagramPayloadBytes(socket);
  if (payload == 0) return false;
  const bool server = mode == SslMode::SslServerMode;

  MbedOptions options;
  options.server = server;
  options.verify = effectiveVerifyMode();
  options.random = random_.get();
  options.cookie_params = &cookie_params;
  options.self = this;
  options.verify_callback = verifyCertificate;
  options.export_keys = exportKeys;
  if (psk_callback && server) options.psk_callback = serverPsk;
  // mbedTLS 2.28 clients take the PSK before the ClientHello and ignore the server's identity
  // hint (ssl_parse_server_psk_hint): the application is asked now, with an empty hint. Without
  // a key the client offers no PSK suite, as an OpenSSL client whose callback gives none ends
  // up with none (the handshake fails only if nothing else is in common).
  if (psk_callback && !server) {
    options.psk_identity.clear();
    if (!askClientPsk({}, kMaxPskIdentityBytes, MBEDTLS_PSK_MAX_LEN, &options.psk_identity,
                      &options.psk_key))
      options.psk_key.clear();
  }

  tls_ = std::make_unique<MbedContext>();
  std::string why;
  if (!tls_->setUp(configuration, options, &why)) {
    resetTls();
    return fail(DtlsError::TlsInitializationError, "doHandshake: " + why);
  }
  mbedtls_ssl_context* ssl = &tls_->ssl;
  mbedtls_ssl_set_bio(ssl, this, send, receive, nullptr);
  mbedtls_ssl_set_timer_cb(ssl, this, setTimer, getTimer);
  mbedtls_ssl_set_mtu(ssl, payload);
  if (server && configuration.dtlsCookieVerificationEnabled()) {
    const auto id = transportId(peer_address, peer_port);
    mbedtls_ssl_set_client_transport_id(ssl, id.data(), id.size());
  }
  if (!server) {
    const bool sni = !configuration.testSslOption(SslOption::SslOptionDisableServerNameIndication);
    // SNI carries host names only (RFC 6066 §3): never an address literal. The name check
    // mbedTLS makes with it is ignored: the shared half checks the name (HostNameMismatch).
    if (sni && !verification_name.empty() && HostAddress(verification_name).isNull())
      mbedtls_ssl_set_hostname(ssl, verification_name.c_str());
    const ByteArray ticket = configuration.sessionTicket();
    if (!ticket.empty() &&
        !configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence)) {
      mbedtls_ssl_session session;
      mbedtls_ssl_session_init(&session);
      const bool loaded =
          mbedtls_ssl_session_load(&session, reinterpret_cast<const unsigned char*>(ticket.data()),
                                   ticket.size()) == 0 &&
          mbedtls_ssl_set_session(ssl, &session) == 0;
      mbedtls_ssl_session_free(&session);
      if (!loaded) {
        resetTls();
        return fail(DtlsError::TlsInitializationError,
                    "doHandshake: the session ticket is not an mbedtls session");
      }
    }
  }
  forgetLastHandshake();
  return true;
}

void MbedtlsConnection::resetTls() {
  cancelTimer();
  final_ms_ = 0;
  tls_.reset();
  incoming_ = nullptr;
  ephemeral_server_key_ = Key();
  early_data.clear();
  early_records.clear();
}

bool MbedtlsConnection::continueHandshake(DatagramSocket* socket, const ByteArray& datagram) {
  const bool first_server_datagram = mode == SslMode::SslServerMode &&
                                     tls_->ssl.state == MBEDTLS_SSL_HELLO_REQUEST;
  if (first_server_datagram && configuration.dtlsCookieVerificationEnabled() &&
      carriesFragmentedClientHello(datagram))
    return failFragmentedHello();
  noteEarlyRecords(datagram);
  bind(socket, datagram.empty() ? nullptr : &datagram);
  int ret = mbedtls_ssl_handshake(&tls_->ssl);
  // mbedTLS checks its timer before reading: an expired timer retransmits and leaves the
  // datagram unread, so read it now that the timer runs again.
  if (ret == MBEDTLS_ERR_SSL_WANT_READ && incoming_ != nullptr) {
    ++retransmissions;
    ret = mbedtls_ssl_handshake(&tls_->ssl);
  }
  unbind();
  return afterHandshakeStep(ret, socket, "doHandshake");
}

bool MbedtlsConnection::afterHandshakeStep(int ret, DatagramSocket* socket, const char* call) {
  if (ret == 0) {
    cancelTimer();
    // Application writes are not limited by the default MTU: like OpenSSL, a record may exceed
    // it (the network fragments it) unless the application or the socket gave an MTU.
    if (!mtu_limits_writes_) mbedtls_ssl_set_mtu(&tls_->ssl, 0);
    return finishHandshake(socket);
  }
  if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
    if (write_failed_)
      return fail(DtlsError::UnderlyingSocketError,
                  std::string(call) + ": writing to the socket failed: " + write_error_);
    clearError();
    return true;
  }
  if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) return failUnverifiedHello();
  if (verification_interrupted_) {
    // handshakeMustInterruptOnError: the verify callback stopped mbedTLS at the first error not
    // ignored in advance. The TLS handshake is over; only abortHandshake() remains.
    cancelTimer();
    state = Connection::PeerVerificationFailed;
    return fail(DtlsError::PeerVerificationError,
                "doHandshake: peer verification failed (interrupted at the first error): " +
                    (verification_errors.empty() ? std::string("?")
                                                 : verification_errors.front().errorString()));
  }
  if (ret != MBEDTLS_ERR_SSL_TIMEOUT && ret != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && !alert_sent_) {
    // Some of mbedTLS's failures end the handshake without a word (a server that requires a
    // client certificate and got none): tell the peer, as OpenSSL always does, instead of
    // leaving it to retransmit until it gives up (RFC 5246 §7.2.2, §7.4.6).
    bind(socket, nullptr);
    mbedtls_ssl_send_alert_message(&tls_->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                   MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE);
    unbind();
  }
  if (ret == MBEDTLS_ERR_SSL_TIMEOUT)
    return failHandshake(std::string(call) + ": the handshake timed out after " +
                         std::to_string(retransmissions) +
                         " retransmissions without an answer from the peer (" + describe(ret) +
                         ")");
  return failHandshake(std::string(call) + ": the handshake failed: " + describe(ret));
}

bool MbedtlsConnection::handleTimeout(DatagramSocket* socket) {
  if (timerState() != 2) {
    clearError();
    return false;  // the timer had not expired: nothing was retransmitted
  }
  bind(socket, nullptr);
  const int ret = mbedtls_ssl_handshake(&tls_->ssl);
  unbind();
  if (ret == MBEDTLS_ERR_SSL_WANT_READ) ++retransmissions;
  if (!afterHandshakeStep(ret, socket, "handleTimeout")) return false;
  return ret == MBEDTLS_ERR_SSL_WANT_READ;
}

bool MbedtlsConnection::sendCloseAndReset(DatagramSocket* socket, std::string* write_error) {
  if (tls_ && tls_->ssl.state == MBEDTLS_SSL_HANDSHAKE_OVER) {
    bind(socket, nullptr);
    mbedtls_ssl_close_notify(&tls_->ssl);
    unbind();
  }
  resetTls();
  state = Connection::HandshakeNotStarted;
  if (!write_failed_) return true;
  *write_error = write_error_;
  return false;
}

std::size_t MbedtlsConnection::dataRoomBytes() const {
  const int room = tls_ ? mbedtls_ssl_get_max_out_record_payload(&tls_->ssl) : 0;
  return room > 0 ? static_cast<std::size_t>(room) : 0;
}

std::string MbedtlsConnection::describe(int ret) const {
  char text[160];
  mbedtls_strerror(ret, text, sizeof text);
  std::string why = "mbedtls: " + std::string(text);
  // mbedTLS's own text says "certification"; say what the application configured against.
  if (ret == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE)
    why += " (missingCertificateIsFatal: the client sent no certificate)";
  if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && tls_ && tls_->ssl.in_msg != nullptr)
    why += "; the peer sent fatal " + alertName(tls_->ssl.in_msg[1]);
  return why;
}

// ---- I/O ------------------------------------------------------------------------------------

void MbedtlsConnection::bind(DatagramSocket* socket, const ByteArray* datagram) {
  socket_ = socket;
  alert_sent_ = false;
  incoming_ = datagram;
  write_failed_ = false;
  write_error_.clear();
}

void MbedtlsConnection::unbind() {
  socket_ = nullptr;
  incoming_ = nullptr;
}

int MbedtlsConnection::send(void* self, const unsigned char* data, std::size_t bytes) {
  auto* c = static_cast<MbedtlsConnection*>(self);
  constexpr unsigned char kAlert = 21;  // RFC 5246 §6.2.1 ContentType, readable in any epoch
  if (bytes > 0 && data[0] == kAlert) c->alert_sent_ = true;
  // A failed write is reported to mbedTLS as sent: to a datagram protocol a write that failed
  // is a datagram lost, which retransmission repairs. The caller reports it instead.
  if (c->socket_ == nullptr) {
    c->write_failed_ = true;
    c->write_error_ = "no socket to write to";
  } else if (c->socket_->writeDatagram(std::string_view(reinterpret_cast<const char*>(data), bytes),
                                       c->peer_address, c->peer_port) < 0) {
    c->write_failed_ = true;
    c->write_error_ = c->socket_->errorString();
  }
  return static_cast<int>(bytes);
}

int MbedtlsConnection::receive(void* self, unsigned char* buffer, std::size_t bytes) {
  auto* c = static_cast<MbedtlsConnection*>(self);
  if (c->incoming_ == nullptr) return MBEDTLS_ERR_SSL_WANT_READ;
  // A datagram larger than mbedTLS's input buffer cannot be a record it accepts: hand it the
  // head, which its length check then drops.
  const std::size_t n = std::min(bytes, c->incoming_->size());
  std::copy_n(c->incoming_->data(), n, buffer);
  c->incoming_ = nullptr;
  return static_cast<int>(n);
}

// ---- Timer ----------------------------------------------------------------------------------

TimerService::Duration MbedtlsConnection::now() const {
  if (timers != nullptr) return timers->now();
  // Without a TimerService the deadline is on the clock OpenSSL's DTLS timer reads
  // (gettimeofday, which a simulation interposes: dtls/wall_clock.h).
  timeval tv{};
  gettimeofday(&tv, nullptr);
  return TimerService::Duration(static_cast<std::int64_t>(tv.tv_sec) * 1'000'000 + tv.tv_usec);
}

void MbedtlsConnection::setTimer(void* self, std::uint32_t intermediate_ms,
                                 std::uint32_t final_ms) {
  auto* c = static_cast<MbedtlsConnection*>(self);
  c->cancelTimer();
  c->final_ms_ = std::min(final_ms, kMaxTimeoutMs);
  c->intermediate_ms_ = std::min(intermediate_ms, c->final_ms_);
  if (c->final_ms_ == 0) return;  // cancelled
  c->timer_start_ = c->now();
  c->scheduleTimer(std::chrono::milliseconds(c->final_ms_));
}

int MbedtlsConnection::getTimer(void* self) {
  return static_cast<const MbedtlsConnection*>(self)->timerState();
}

int MbedtlsConnection::timerState() const {
  if (final_ms_ == 0) return -1;
  const auto elapsed = now() - timer_start_;
  if (elapsed >= std::chrono::milliseconds(final_ms_)) return 2;
  if (elapsed >= std::chrono::milliseconds(intermediate_ms_)) return 1;
  return 0;
}

// ---- Callbacks ------------------------------------------------------------------------------

int MbedtlsConnection::serverPsk(void* self, mbedtls_ssl_context* ssl,
                                 const unsigned char* identity, std::size_t identity_bytes) {
  auto* c = static_cast<MbedtlsConnection*>(self);
  ByteArray key;
  if (!c->askServerPsk(ByteArray(reinterpret_cast<const char*>(identity), identity_bytes),
                       kMaxPskIdentityBytes, MBEDTLS_PSK_MAX_LEN, &key))
    return -1;  // mbedTLS answers unknown_psk_identity (RFC 4279 §2)
  return mbedtls_ssl_set_hs_psk(ssl, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
}

int MbedtlsConnection::exportKeys(void* self, const unsigned char* master_secret,
                                  const unsigned char* /*key_block*/, std::size_t /*mac_bytes*/,
                                  std::size_t /*key_bytes*/, std::size_t /*iv_bytes*/,
                                  const unsigned char client_random[32],
                                  const unsigned char /*server_random*/[32],
                                  mbedtls_tls_prf_types /*prf*/) {
  auto* c = static_cast<MbedtlsConnection*>(self);
  // Keys are derived once the ServerKeyExchange was processed: its public value is still there.
  if (c->mode == SslMode::SslClientMode && c->tls_ && c->tls_->ssl.handshake != nullptr)
    c->ephemeral_server_key_ = ephemeralPeerKey(*c->tls_->ssl.handshake);
  if (!c->keylog_callback) return 0;
  // NSS key log format: CLIENT_RANDOM <32-byte client random> <48-byte master secret>.
  std::string line = "CLIENT_RANDOM ";
  char hex[3];
  for (int i = 0; i < 32; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", client_random[i]);
    line += hex;
  }
  line += ' ';
  for (int i = 0; i < 48; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", master_secret[i]);
    line += hex;
  }
  c->keylog_callback(line);
  return 0;
}

}  // namespace dtls::detail
