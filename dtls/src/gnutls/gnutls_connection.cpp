// GnutlsConnection: the GnuTLS session, the handshake, its timer and its datagram I/O.
#include "gnutls_connection.h"

#include <gnutls/dtls.h>
#include <openssl/ssl.h>

#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "first_hello.h"
#include "fragmented_hello.h"
#include "gnutls_context.h"
#include "gnutls_cookie.h"
#include "gnutls_global.h"
#include "gnutls_random.h"
#include "dtls/wire/record.h"

namespace dtls::detail {

namespace {

// DESIGN.md §2: the first retransmission after 1 s. GnuTLS doubles the window itself, but modulo
// 60 s instead of up to it (lib/dtls.c UPDATE_TIMER: `actual_retrans_timeout_ms %=
// MAX_DTLS_TIMEOUT`), so after 32 s it waits 4 s, not 60 s (a finding; RFC 6347 §4.2.4.1 asks
// for at least 60 s). The connection follows GnuTLS's window: a timer of its own would
// disagree with when GnuTLS retransmits on its own.
constexpr unsigned kInitialTimeoutMs = 1000;
// GnuTLS gives up on a total time since the handshake started (gnutls_dtls_set_timeouts), not
// on a number of expiries, and GNUTLS_INDEFINITE_TIMEOUT there means 0 ms (it gives up at
// once). The connection counts instead: give up at the 13th expiry without progress, after 12
// retransmissions, as OpenSSL's DTLS1_TMO_ALERT_COUNT does; GnuTLS's total is set out of reach
// (10^9 ms, 11.6 days: handshake.c handshake_remaining_time returns the rest as an int).
constexpr int kMaxRetransmissions = 12;
constexpr unsigned kMaxTimeoutMs = 60'000;
constexpr unsigned kNeverMs = 1'000'000'000;
// The largest link MTU GnuTLS takes (DEFAULT_MAX_RECORD_SIZE caps gnutls_dtls_set_mtu).
constexpr unsigned kUnlimitedMtu = 16384;
// OpenSSL 3.0's limits (PSK_MAX_IDENTITY_LEN less the NUL it keeps room for, PSK_MAX_PSK_LEN),
// so the callback sees the same limits whichever backend asks.
constexpr std::size_t kMaxPskIdentityBytes = 255;
constexpr std::size_t kMaxPskBytes = 512;

// The bytes of the record at `offset` of `datagram`, header and fragment; the rest of the
// datagram when its framing is broken there (GnuTLS drops what it cannot frame).
std::size_t recordBytesAt(const ByteArray& datagram, std::size_t offset) {
  std::size_t position = offset;
  wire::Record record;
  if (!wire::readRecordFraming(datagram, &position, 1, &record).empty())
    return datagram.size() - offset;
  return position - offset;
}

GnutlsConnection* connectionOf(gnutls_session_t session) {
  return static_cast<GnutlsConnection*>(gnutls_session_get_ptr(session));
}

// A copy GnuTLS frees with gnutls_free (the PSK callbacks hand over ownership).
void copyTo(gnutls_datum_t* out, const ByteArray& bytes) {
  out->data = static_cast<unsigned char*>(gnutls_malloc(bytes.size() + 1));
  std::memcpy(out->data, bytes.data(), bytes.size());
  out->size = static_cast<unsigned>(bytes.size());
}

}  // namespace

GnutlsConnection::GnutlsConnection(SslMode ssl_mode, TimerService* timer_service)
    : GnutlsConnection(ssl_mode, timer_service, currentRandomSource()) {}

GnutlsConnection::GnutlsConnection(SslMode ssl_mode, TimerService* timer_service,
                                   RandomSource* random)
    : ConnectionImpl(ssl_mode, timer_service,
                     [random] {
                       ensureGnutlsInitialized();
                       GeneratorParameters params;
                       params.secret.resize(16);
                       fillGnutlsRandom(random,
                                        reinterpret_cast<unsigned char*>(params.secret.data()),
                                        params.secret.size());
                       return params;
                     }()),
      random_(random) {}

GnutlsConnection::~GnutlsConnection() { resetTls(); }

// ---- Handshake ------------------------------------------------------------------------------

bool GnutlsConnection::startTls(DatagramSocket* socket) {
  resetTls();
  const std::uint16_t payload = datagramPayloadBytes(socket);
  if (payload == 0) return false;
  const CallScope scope(this);
  const bool server = mode == SslMode::SslServerMode;

  GnutlsOptions options;
  options.server = server;
  options.verify = effectiveVerifyMode();
  options.psk = static_cast<bool>(psk_callback);
  options.cookie_params = &cookie_params;
  options.self = this;
  options.verify_callback = verifyPeer;
  options.client_psk = clientPsk;
  options.server_psk = serverPsk;
  options.keylog = keylog;

  tls_ = std::make_unique<GnutlsContext>();
  std::string why;
  if (!tls_->setUp(configuration, options, &why)) {
    resetTls();
    return fail(DtlsError::TlsInitializationError, "doHandshake: " + why);
  }
  gnutls_session_t session = tls_->session;
  gnutls_transport_set_ptr(session, this);
  gnutls_transport_set_push_function(session, push);
  gnutls_transport_set_pull_function(session, pull);
  gnutls_transport_set_pull_timeout_function(session, pullTimeout);
  gnutls_dtls_set_mtu(session, payload);
  gnutls_dtls_set_timeouts(session, kInitialTimeoutMs, kNeverMs);
  if (!server) {
    const bool sni = !configuration.testSslOption(SslOption::SslOptionDisableServerNameIndication);
    // SNI carries host names only (RFC 6066 §3), never an address literal.
    if (sni && !verification_name.empty() && HostAddress(verification_name).isNull())
      gnutls_server_name_set(session, GNUTLS_NAME_DNS, verification_name.data(),
                             verification_name.size());
    gnutls_handshake_set_hook_function(session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST,
                                       peekServerMessage);
    const ByteArray ticket = configuration.sessionTicket();
    if (!ticket.empty() &&
        !configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence) &&
        gnutls_session_set_data(session, ticket.data(), ticket.size()) != 0) {
      resetTls();
      return fail(DtlsError::TlsInitializationError,
                  "doHandshake: the session ticket is not a gnutls session");
    }
  }
  forgetLastHandshake();
  return true;
}

void GnutlsConnection::resetTls() {
  cancelTimer();
  tls_.reset();
  incoming_ = nullptr;
  after_handshake_.clear();
  tls_done_ = false;
  first_datagram_ = true;
  sent_any_ = false;
  idle_backoff_ms_ = kInitialTimeoutMs;
  holds_no_flight_ = false;
  deadline_ = TimerService::Duration(0);
  expiries_without_progress_ = 0;
  last_in_ = -1;
  server_key_exchange_.clear();
  ticket_lifetime_hint_s_ = -1;
  early_data.clear();
  early_records.clear();
}

bool GnutlsConnection::continueHandshake(DatagramSocket* socket, const ByteArray& datagram) {
  const CallScope scope(this);
  const bool first = first_datagram_ && !datagram.empty();
  if (first) first_datagram_ = false;
  if (first && mode == SslMode::SslServerMode && configuration.dtlsCookieVerificationEnabled()) {
    if (carriesFragmentedClientHello(datagram)) return failFragmentedHello();
    if (!acceptVerifiedHello(datagram)) return failUnverifiedHello();
  }
  noteEarlyRecords(datagram);
  // GnuTLS retransmits by itself when a datagram arrives after its window passed.
  const bool was_due = sent_any_ && gnutls_dtls_get_timeout(tls_->session) == 0;
  bind(socket, datagram.empty() ? nullptr : &datagram);
  // GnuTLS 3.7.9 takes one record per call when that record completes no handshake message (a
  // retransmitted copy it discards, a fragment) and returns GNUTLS_E_AGAIN with the rest of the
  // datagram unread (lib/buffers.c get_last_packet). Read that way, a retransmitted flight in
  // one datagram held the next flight back for seconds (catalog lost-finished, GnuTLS client x
  // mbedTLS server: 5.06 s instead of 1.06 s). pull hands GnuTLS one record at a time, so the
  // connection knows what is left and calls again while a call takes a record.
  int ret;
  for (;;) {
    const std::size_t offset_before = incoming_offset_;
    ret = gnutls_handshake(tls_->session);
    if (ret != GNUTLS_E_AGAIN || incoming_ == nullptr || incoming_offset_ == offset_before) break;
  }
  if (ret == GNUTLS_E_SUCCESS && incoming_ != nullptr)
    after_handshake_ = incoming_->substr(incoming_offset_);
  unbind();
  const int last_in = static_cast<int>(gnutls_handshake_get_last_in(tls_->session));
  if (last_in != last_in_) {
    last_in_ = last_in;
    expiries_without_progress_ = 0;
    idle_backoff_ms_ = kInitialTimeoutMs;
  } else if (was_due && writes_ > 0) {
    ++retransmissions;
  }
  return afterHandshakeStep(ret, socket, "doHandshake");
}

bool GnutlsConnection::acceptVerifiedHello(const ByteArray& datagram) {
  std::vector<unsigned char> key_bytes = gnutlsCookieKey(cookie_params);
  if (key_bytes.empty()) return false;
  gnutls_datum_t key{key_bytes.data(), static_cast<unsigned>(key_bytes.size())};
  auto id = transportId(peer_address, peer_port);
  gnutls_dtls_prestate_st prestate{};
  if (gnutls_dtls_cookie_verify(&key, id.data(), id.size(), const_cast<char*>(datagram.data()),
                                datagram.size(), &prestate) != 0)
    return false;
  gnutls_dtls_prestate_set(tls_->session, &prestate);
  return true;
}

bool GnutlsConnection::afterHandshakeStep(int ret, DatagramSocket* socket, const char* call) {
  if (ret == GNUTLS_E_SUCCESS) {
    cancelTimer();
    tls_done_ = true;
    // Application writes are not limited by the default MTU: like OpenSSL, a record may exceed
    // it (the network fragments it) unless the application or the socket gave an MTU.
    if (!mtu_limits_writes_) gnutls_dtls_set_mtu(tls_->session, kUnlimitedMtu);
    const std::uint16_t suite = negotiatedSuiteId(tls_->session);
    const auto& listed = tls_->priority.suites;
    if (std::find(listed.begin(), listed.end(), suite) == listed.end()) {
      // gnutls_priority.h: the priority string enables a cross product of the listed suites.
      bind(socket, nullptr);
      gnutls_alert_send(tls_->session, GNUTLS_AL_FATAL, GNUTLS_A_HANDSHAKE_FAILURE);
      unbind();
      return failHandshake(std::string(call) + ": gnutls negotiated " +
                           gnutls_cipher_suite_get_name(gnutls_kx_get(tls_->session),
                                                        gnutls_cipher_get(tls_->session),
                                                        gnutls_mac_get(tls_->session)) +
                           ", which the configuration does not list");
    }
    return finishHandshake(socket);
  }
  if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED ||
      ret == GNUTLS_E_WARNING_ALERT_RECEIVED) {
    // The timer runs even when the write failed: retransmission repairs a lost datagram.
    scheduleFromGnutls();
    if (write_failed_)
      return fail(DtlsError::UnderlyingSocketError,
                  std::string(call) + ": writing to the socket failed: " + write_error_);
    clearError();
    return true;
  }
  if (verification_interrupted_) {
    // handshakeMustInterruptOnError: the verify function stopped GnuTLS at the first error not
    // ignored in advance. The TLS handshake is over; only abortHandshake() remains. The peer
    // hears of it, as from OpenSSL and mbedTLS (GnuTLS leaves the alert to the application).
    bind(socket, nullptr);
    gnutls_alert_send_appropriate(tls_->session, ret);
    unbind();
    cancelTimer();
    state = Connection::PeerVerificationFailed;
    return fail(DtlsError::PeerVerificationError,
                "doHandshake: peer verification failed (interrupted at the first error): " +
                    (verification_errors.empty() ? std::string("?")
                                                 : verification_errors.front().errorString()));
  }
  if (ret != GNUTLS_E_FATAL_ALERT_RECEIVED && ret != GNUTLS_E_TIMEDOUT) {
    // GnuTLS leaves the alert to the application (gnutls_alert_send_appropriate); OpenSSL always
    // sends one, and a silent failure leaves the peer retransmitting (RFC 5246 §7.2.2).
    bind(socket, nullptr);
    gnutls_alert_send_appropriate(tls_->session, ret);
    unbind();
  }
  return failHandshake(std::string(call) + ": the handshake failed: " + describe(ret));
}

void GnutlsConnection::scheduleFromGnutls() {
  if (!sent_any_) return;  // nothing in flight to retransmit
  if (writes_ > 0) {
    idle_backoff_ms_ = kInitialTimeoutMs;
    holds_no_flight_ = false;
  }
  unsigned ms = gnutls_dtls_get_timeout(tls_->session);
  if (ms == 0 && !holds_no_flight_) {
    // The window passed and GnuTLS did not retransmit: a datagram that arrived after the window
    // but that GnuTLS discarded (a duplicate record, an old epoch) returns from lib/dtls.c
    // _dtls_transmit through nb_timeout before the retransmission. The flight is still owed:
    // ask again at once. Waiting longer delayed it by seconds under duplication (catalog
    // duplication-storm, mbedTLS client x GnuTLS server seed 16: 3 s instead of 1 s).
  } else if (ms == 0) {
    // GnuTLS forgot its flight: it ends a flight as soon as any message of the next one
    // arrives, even when the first is missing (lib/dtls.c is_next_hpacket_expected), and then
    // waits for the peer to retransmit. Its window stays expired, so the timer keeps to the
    // contract's doubling (DESIGN.md §2) while it waits, and counts towards giving up.
    ms = idle_backoff_ms_;
    idle_backoff_ms_ = std::min(idle_backoff_ms_ * 2, kMaxTimeoutMs);
  }
  deadline_ = now() + std::chrono::milliseconds(ms);
  scheduleTimer(std::chrono::milliseconds(ms));
}

TimerService::Duration GnutlsConnection::now() const {
  if (timers != nullptr) return timers->now();
  // Without a TimerService the deadline is on the clock GnuTLS's timer reads (gnutls_global.h).
  timeval tv{};
  gettimeofday(&tv, nullptr);
  return TimerService::Duration(static_cast<std::int64_t>(tv.tv_sec) * 1'000'000 + tv.tv_usec);
}

bool GnutlsConnection::handleTimeout(DatagramSocket* socket) {
  const CallScope scope(this);
  if (!tls_ || tls_done_ || gnutls_dtls_get_timeout(tls_->session) > 0 || now() < deadline_) {
    clearError();
    return false;  // the timer had not expired: nothing was retransmitted
  }
  if (expiries_without_progress_ >= kMaxRetransmissions)
    return failHandshake("handleTimeout: the handshake timed out after " +
                         std::to_string(retransmissions) +
                         " retransmissions without an answer from the peer");
  ++expiries_without_progress_;
  bind(socket, nullptr);
  const int ret = gnutls_handshake(tls_->session);
  unbind();
  const bool retransmitted = writes_ > 0;
  if (retransmitted) ++retransmissions;
  else holds_no_flight_ = true;
  if (!afterHandshakeStep(ret, socket, "handleTimeout")) return false;
  return retransmitted;
}

bool GnutlsConnection::sendCloseAndReset(DatagramSocket* socket, std::string* write_error) {
  if (tls_ && tls_done_) {
    const CallScope scope(this);
    bind(socket, nullptr);
    gnutls_bye(tls_->session, GNUTLS_SHUT_WR);
    unbind();
  }
  resetTls();
  state = Connection::HandshakeNotStarted;
  if (!write_failed_) return true;
  *write_error = write_error_;
  return false;
}

std::size_t GnutlsConnection::dataRoomBytes() const {
  return tls_ ? gnutls_dtls_get_data_mtu(tls_->session) : 0;
}

std::string GnutlsConnection::describe(int ret) const {
  std::string why = std::string("gnutls: ") + gnutls_strerror(ret);
  // OpenSSL's long alert names, so an error text reads the same whichever backend saw it.
  if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED && tls_)
    why += std::string("; the peer sent fatal ") +
           SSL_alert_desc_string_long(static_cast<int>(gnutls_alert_get(tls_->session)));
  if (ret == GNUTLS_E_NO_CERTIFICATE_FOUND || ret == GNUTLS_E_CERTIFICATE_REQUIRED)
    why += " (missingCertificateIsFatal: the client sent no certificate)";
  return why;
}

// ---- I/O ------------------------------------------------------------------------------------

void GnutlsConnection::bind(DatagramSocket* socket, const ByteArray* datagram) {
  socket_ = socket;
  incoming_ = datagram;
  incoming_offset_ = 0;
  write_failed_ = false;
  write_error_.clear();
  writes_ = 0;
}

void GnutlsConnection::unbind() {
  socket_ = nullptr;
  incoming_ = nullptr;
}

ssize_t GnutlsConnection::push(gnutls_transport_ptr_t self, const void* data, size_t bytes) {
  auto* c = static_cast<GnutlsConnection*>(self);
  ++c->writes_;
  c->sent_any_ = true;
  // A failed write is reported to GnuTLS as sent: to a datagram protocol a write that failed
  // is a datagram lost, which retransmission repairs. The caller reports it instead.
  if (c->socket_ == nullptr) {
    c->write_failed_ = true;
    c->write_error_ = "no socket to write to";
  } else if (c->socket_->writeDatagram(std::string_view(static_cast<const char*>(data), bytes),
                                       c->peer_address, c->peer_port) < 0) {
    c->write_failed_ = true;
    c->write_error_ = c->socket_->errorString();
  }
  return static_cast<ssize_t>(bytes);
}

ssize_t GnutlsConnection::pull(gnutls_transport_ptr_t self, void* buffer, size_t bytes) {
  auto* c = static_cast<GnutlsConnection*>(self);
  if (c->incoming_ == nullptr) {
    gnutls_transport_set_errno(c->tls_->session, EAGAIN);
    return -1;
  }
  const ByteArray& datagram = *c->incoming_;
  const std::size_t record = recordBytesAt(datagram, c->incoming_offset_);
  // A record larger than GnuTLS's buffer is not one it accepts: hand it the head, which its
  // length check then drops.
  const std::size_t n = std::min(bytes, record);
  std::memcpy(buffer, datagram.data() + c->incoming_offset_, n);
  c->incoming_offset_ += record;
  if (c->incoming_offset_ >= datagram.size()) c->incoming_ = nullptr;
  return static_cast<ssize_t>(n);
}

int GnutlsConnection::pullTimeout(gnutls_transport_ptr_t self, unsigned int /*ms*/) {
  // Non-blocking: GnuTLS asks with 0 ms whether a datagram is waiting; it never waits here.
  return static_cast<GnutlsConnection*>(self)->incoming_ != nullptr ? 1 : 0;
}

// ---- Callbacks ------------------------------------------------------------------------------

int GnutlsConnection::clientPsk(gnutls_session_t session, gnutls_datum_t* identity,
                                gnutls_datum_t* key) {
  GnutlsConnection* c = connectionOf(session);
  const char* hint = gnutls_psk_client_get_hint(session);
  ByteArray id, psk;
  if (!c->askClientPsk(hint != nullptr ? ByteArray(hint) : ByteArray(), kMaxPskIdentityBytes,
                       kMaxPskBytes, &id, &psk))
    return -1;  // GnuTLS fails the handshake
  copyTo(identity, id);
  copyTo(key, psk);
  return 0;
}

int GnutlsConnection::serverPsk(gnutls_session_t session, const gnutls_datum_t* identity,
                                gnutls_datum_t* key) {
  GnutlsConnection* c = connectionOf(session);
  ByteArray psk;
  if (!c->askServerPsk(ByteArray(reinterpret_cast<const char*>(identity->data), identity->size),
                       kMaxPskIdentityBytes, kMaxPskBytes, &psk))
    return -1;  // GnuTLS answers unknown_psk_identity (RFC 4279 §2)
  copyTo(key, psk);
  return 0;
}

int GnutlsConnection::peekServerMessage(gnutls_session_t session, unsigned type,
                                        unsigned /*when*/, unsigned incoming,
                                        const gnutls_datum_t* message) {
  if (!incoming || message == nullptr) return 0;
  GnutlsConnection* c = connectionOf(session);
  const auto* p = message->data;
  if (type == GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE) {
    c->server_key_exchange_.assign(reinterpret_cast<const char*>(p), message->size);
  } else if (type == GNUTLS_HANDSHAKE_NEW_SESSION_TICKET && message->size >= 4) {
    // ticket_lifetime_hint, seconds (RFC 5077 §3.3).
    const std::uint32_t hint = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                               std::uint32_t{p[2]} << 8 | p[3];
    c->ticket_lifetime_hint_s_ = static_cast<int>(std::min<std::uint32_t>(hint, INT32_MAX));
  }
  return 0;
}

int GnutlsConnection::keylog(gnutls_session_t session, const char* label,
                             const gnutls_datum_t* secret) {
  GnutlsConnection* c = connectionOf(session);
  if (!c->keylog_callback) return 0;
  // NSS key log format: LABEL <client random> <secret>; DTLS 1.2 gives CLIENT_RANDOM with the
  // master secret.
  gnutls_datum_t client_random{}, server_random{};
  gnutls_session_get_random(session, &client_random, &server_random);
  static constexpr char kHex[] = "0123456789abcdef";
  auto hex = [](const gnutls_datum_t& d) {
    std::string out;
    for (unsigned i = 0; i < d.size; ++i) {
      out.push_back(kHex[d.data[i] >> 4]);
      out.push_back(kHex[d.data[i] & 15]);
    }
    return out;
  };
  c->keylog_callback(std::string(label) + " " + hex(client_random) + " " + hex(*secret));
  return 0;
}

}  // namespace dtls::detail
