// WolfsslConnection: the handshake, its retransmission timer and its datagram I/O.
#include "wolf_connection.h"

#include <sys/time.h>

#include <algorithm>

#include "fragmented_hello.h"
#include "server_dh_parameters.h"
#include "supported.h"
#include "wolf_cookie.h"

namespace dtls::detail {

namespace {

// wolfSSL doubles its timeout (DtlsMsgPoolTimeout) and gives up at the expiry whose timeout
// reached the maximum. With the timer clamped to 60 s here (DESIGN.md §2), a maximum of 2^12 s
// makes that the 13th expiry, after 12 retransmissions, as OpenSSL's DTLS1_TMO_ALERT_COUNT does.
constexpr unsigned kInitialTimeoutS = 1;
constexpr unsigned kGiveUpTimeoutS = kInitialTimeoutS << 12;
constexpr int kMaxTimerS = 60;
// Debian's build has no WOLFSSL_DTLS_MTU (no wolfSSL_dtls_set_mtu): wolfSSL fits its records
// into WOLFSSL_MAX_MTU (internal.h), whatever the link.
constexpr std::uint16_t kWolfDatagramBytes = 1400;

// IANA named groups (RFC 8422 §5.1.1, RFC 7027, RFC 7748) of the curves Configuration names as
// OpenSSL does; wolfSSL's WOLFSSL_ECC_* values are these numbers.
std::optional<std::uint16_t> namedGroup(const std::string& openssl_name) {
  static const std::pair<const char*, std::uint16_t> kGroups[] = {
      {"secp256k1", 22}, {"prime256v1", 23},      {"secp384r1", 24},
      {"secp521r1", 25}, {"brainpoolP256r1", 26}, {"brainpoolP384r1", 27},
      {"brainpoolP512r1", 28}, {"X25519", 29},    {"X448", 30}};
  for (const auto& [name, id] : kGroups)
    if (openssl_name == name) return id;
  return std::nullopt;
}

}  // namespace

WolfsslConnection::WolfsslConnection(SslMode ssl_mode, TimerService* timer_service)
    : WolfsslConnection(ssl_mode, timer_service, currentRandomSource()) {}

WolfsslConnection::WolfsslConnection(SslMode ssl_mode, TimerService* timer_service,
                                     RandomSource* random)
    : ConnectionImpl(ssl_mode, timer_service, wolfDefaultParameters(random)), random_(random) {}

WolfsslConnection::~WolfsslConnection() = default;

// ---- Handshake ------------------------------------------------------------------------------

bool WolfsslConnection::settingsFor(wolf::TlsSettings* s, std::string* why) {
  const bool server = mode == SslMode::SslServerMode;
  s->server = server;
  switch (configuration.protocol()) {
    case SslProtocol::DtlsV1_0: s->only_dtls10 = true; break;
    case SslProtocol::DtlsV1_0OrLater: s->allow_dtls10 = true; break;
    case SslProtocol::DtlsV1_2:
    case SslProtocol::DtlsV1_2OrLater: break;
    default:
      *why = std::string("protocol ") + toString(configuration.protocol()) +
               " is not a DTLS protocol";
      return false;
  }
  const PeerVerifyMode verify = effectiveVerifyMode();
  // Verification errors are collected by the verify hook and decided after the handshake (as
  // QDtls does); kRequired only makes a missing certificate fatal on a VerifyPeer server.
  s->verify = verify == PeerVerifyMode::VerifyNone ? wolf::Verify::kNone
              : server && verify == PeerVerifyMode::VerifyPeer &&
                      configuration.missingCertificateIsFatal()
                  ? wolf::Verify::kRequired
                  : wolf::Verify::kOptional;
  s->verify_depth = configuration.peerVerifyDepth();
  for (const Certificate& ca : configuration.caCertificates()) s->ca_der.push_back(ca.toDer());

  const std::vector<Certificate> chain = configuration.localCertificateChain();
  const Key key = configuration.privateKey();
  if (!chain.empty() && key.isNull()) {
    *why = "the local certificate '" + chain.front().subjectDisplayName() +
             "' has no private key";
    return false;
  }
  if (chain.empty() && !key.isNull()) {
    *why = "a private key without a local certificate";
    return false;
  }
  for (const Certificate& c : chain) s->chain_der.push_back(c.toDer());
  if (!key.isNull()) s->key_der = key.toDer();

  bool dhe_possible = false;  // a DHE suite this server could choose (its key and PSK allow)
  for (const Cipher& cipher : configuration.ciphers()) {
    // A server without a PSK callback cannot serve a PSK suite: wolfSSL would still choose one
    // and then fail without an alert (internal.c DoClientKeyExchange "No server PSK callback
    // set"). Left out, the client learns of no shared suite, as from OpenSSL.
    if (server && !psk_callback && cipher.authenticationMethod() == "PSK") continue;
    const std::uint16_t id = dtlsCipherSuiteId(cipher);
    if (id == 0) continue;
    s->suites.push_back(id);
    dhe_possible = dhe_possible || cipher.keyExchangeMethod() == "DHEPSK" ||
                   (cipher.keyExchangeMethod() == "DH" && cipher.authenticationMethod() == "RSA" &&
                    key.algorithm() == KeyAlgorithm::Rsa);
  }
  s->client_order =
      server && configuration.testSslOption(SslOption::SslOptionDisableServerCipherPreference);
  for (const EllipticCurve& curve : configuration.ellipticCurves()) {
    const auto group = namedGroup(curve.shortName());
    if (!group) {
      *why = "wolfssl does not implement the elliptic curve " + curve.shortName();
      return false;
    }
    s->groups.push_back(*group);
  }
  // wolfSSL tests the group's prime on every context it is given (wolfSSL_CTX_SetTmpDH: 110-118
  // ms for a 2048-bit group on the 2-core machine) and this backend makes a context per
  // connection: only a server that can choose a DHE suite pays for it (an ECDSA server with
  // ECDHE and PSK suites, the catalog's usual one, never uses the group).
  if (server) {
    ByteArray dh;
    if (!serverDhParameters(configuration, &dh, why)) return false;
    if (dhe_possible) s->dh_der = std::move(dh);
  }
  for (const ByteArray& protocol : configuration.allowedNextProtocols()) {
    if (protocol.empty() || protocol.size() > 255) {
      *why = "ALPN protocol '" + protocol + "' must be 1 to 255 bytes long";  // RFC 7301 §3.1
      return false;
    }
    s->alpn.push_back(protocol);
  }
  s->psk = static_cast<bool>(psk_callback);
  s->psk_hint = configuration.preSharedKeyIdentityHint();
  s->tickets = !configuration.testSslOption(SslOption::SslOptionDisableSessionTickets);
  if (server) {
    const int hash = static_cast<int>(cookie_params.hash);
    s->cookie_key = wolf::cookieKey(cookie_params.secret, hash);
    s->ticket_key = wolf::ticketKey(cookie_params.secret, hash);
    s->peer_id = wolfPeerId(peer_address, peer_port);
    if (s->cookie_key.empty()) {
      *why = "the cookie parameters have an empty secret";
      return false;
    }
  } else {
    const bool sni = !configuration.testSslOption(SslOption::SslOptionDisableServerNameIndication);
    // SNI carries host names only (RFC 6066 §3): never an address literal.
    if (sni && !verification_name.empty() && HostAddress(verification_name).isNull())
      s->sni = verification_name;
    if (!configuration.testSslOption(SslOption::SslOptionDisableSessionPersistence))
      s->session = configuration.sessionTicket();
  }
  s->initial_timeout_s = kInitialTimeoutS;
  s->max_timeout_s = kGiveUpTimeoutS;
  return true;
}

bool WolfsslConnection::startTls(DatagramSocket* socket) {
  resetTls();
  const std::uint16_t payload = datagramPayloadBytes(socket);
  if (payload == 0) return false;
  if (mtu_limits_writes_ && payload < kWolfDatagramBytes)
    return fail(DtlsError::TlsInitializationError,
                "doHandshake: the wolfssl backend lacks " +
                    std::string(toString(SupportedFeature::MtuControl)) + ", which an MTU of " +
                    std::to_string(linkMtu(socket)) + " bytes needs (Debian's wolfSSL 5.5.4 has no wolfSSL_dtls_set_mtu and "
                    "sends datagrams of up to 1400 bytes)");
  wolf::TlsSettings settings;
  std::string why;
  if (!settingsFor(&settings, &why) ||
      !(tls_ = wolf::Tls::create(settings, this, random_, &why))) {
    resetTls();
    return fail(DtlsError::TlsInitializationError, "doHandshake: " + why);
  }
  forgetLastHandshake();
  return true;
}

void WolfsslConnection::resetTls() {
  cancelTimer();
  timer_armed_ = false;
  tls_.reset();
  started_ = false;
  chain_above_leaf_ = false;
  chain_top_der_.clear();
  server_key_exchange_.reset();
  incoming_ = nullptr;
  early_data.clear();
  early_records.clear();
}

bool WolfsslConnection::continueHandshake(DatagramSocket* socket, const ByteArray& datagram) {
  const bool first_server_datagram = mode == SslMode::SslServerMode && !started_;
  if (first_server_datagram && configuration.dtlsCookieVerificationEnabled()) {
    if (carriesFragmentedClientHello(datagram)) return failFragmentedHello();
    // wolfSSL would answer a hello without the cookie with a HelloVerifyRequest of its own; a
    // server Connection takes only what its ClientVerifier verified, as on every backend.
    const std::optional<FirstHello> hello = firstHello(datagram);
    if (!hello || hello->cookie.empty() ||
        hello->cookie != wolfExpectedCookie(*hello, cookie_params, peer_address, peer_port))
      return failUnverifiedHello();
  }
  if (!datagram.empty()) started_ = true;
  noteEarlyRecords(datagram);
  if (mode == SslMode::SslClientMode && !datagram.empty()) server_key_exchange_.take(datagram);
  bind(socket, datagram.empty() ? nullptr : &datagram);
  const wolf::Tls::Result result = tls_->handshake();
  const bool sent = sent_;
  unbind();
  if (sent && result == wolf::Tls::Result::kWantRead) armTimer();
  return afterHandshakeStep(result, socket, "doHandshake");
}

// Once per secret, as soon as wolfSSL has derived it: the other backends log from a callback at
// that moment too, and a handshake that never completes still gets its line.
void WolfsslConnection::logKeys() {
  if (!keylog_callback) return;
  std::string line = tls_->keyLogLine();
  if (line.empty() || line == logged_keylog_line_) return;
  logged_keylog_line_ = std::move(line);
  keylog_callback(logged_keylog_line_);
}

bool WolfsslConnection::afterHandshakeStep(wolf::Tls::Result result, DatagramSocket* socket,
                                           const char* call) {
  using Result = wolf::Tls::Result;
  if (result == Result::kDone || result == Result::kWantRead) logKeys();
  if (result == Result::kDone) {
    cancelTimer();
    timer_armed_ = false;
    return finishHandshake(socket);
  }
  if (result == Result::kWantRead) {
    if (write_failed_)
      return fail(DtlsError::UnderlyingSocketError,
                  std::string(call) + ": writing to the socket failed: " + write_error_);
    clearError();
    return true;
  }
  if (verification_interrupted_) {
    // handshakeMustInterruptOnError: the verify hook stopped wolfSSL at the first error not
    // ignored in advance. The TLS handshake is over; only abortHandshake() remains.
    cancelTimer();
    timer_armed_ = false;
    state = Connection::PeerVerificationFailed;
    return fail(DtlsError::PeerVerificationError,
                "doHandshake: peer verification failed (interrupted at the first error): " +
                    (verification_errors.empty() ? std::string("?")
                                                 : verification_errors.front().errorString()));
  }
  return failHandshake(std::string(call) + ": the handshake failed: " + tls_->lastError());
}

bool WolfsslConnection::handleTimeout(DatagramSocket* socket) {
  if (!timer_armed_ || now() - timer_start_ < timer_duration_) {
    clearError();
    return false;  // the timer had not expired: nothing was retransmitted
  }
  bind(socket, nullptr);
  const bool retransmitted = tls_->retransmit();
  const bool sent = sent_;
  unbind();
  if (!retransmitted)
    return failHandshake("handleTimeout: the handshake timed out after " +
                         std::to_string(retransmissions) +
                         " retransmissions without an answer from the peer (" +
                         tls_->lastError() + ")");
  if (!sent) {
    // Nothing was in flight (a server that answered with a HelloVerifyRequest keeps no state).
    timer_armed_ = false;
    clearError();
    return false;
  }
  ++retransmissions;
  armTimer();
  if (write_failed_)
    return fail(DtlsError::UnderlyingSocketError,
                "handleTimeout: writing to the socket failed: " + write_error_);
  clearError();
  return true;
}

bool WolfsslConnection::sendCloseAndReset(DatagramSocket* socket, std::string* write_error) {
  bool failed = false;
  if (tls_ && tls_->handshakeDone()) {
    bind(socket, nullptr);
    tls_->sendCloseNotify();
    failed = write_failed_;
    *write_error = write_error_;
    unbind();
  }
  resetTls();
  state = Connection::HandshakeNotStarted;
  return !failed;
}

std::size_t WolfsslConnection::dataRoomBytes() const {
  return tls_ && tls_->handshakeDone() ? tls_->maxPlaintext() : 0;
}

// ---- Timer ----------------------------------------------------------------------------------

TimerService::Duration WolfsslConnection::now() const {
  if (timers != nullptr) return timers->now();
  // Without a TimerService the deadline is on the clock a simulation interposes
  // (dtls/wall_clock.h), as for the other backends.
  timeval tv{};
  gettimeofday(&tv, nullptr);
  return TimerService::Duration(static_cast<std::int64_t>(tv.tv_sec) * 1'000'000 + tv.tv_usec);
}

void WolfsslConnection::armTimer() {
  const int seconds = std::clamp(tls_->currentTimeoutS(), 1, kMaxTimerS);
  timer_armed_ = true;
  timer_start_ = now();
  timer_duration_ = std::chrono::seconds(seconds);
  scheduleTimer(timer_duration_);
}

// ---- I/O ------------------------------------------------------------------------------------

void WolfsslConnection::bind(DatagramSocket* socket, const ByteArray* datagram) {
  socket_ = socket;
  incoming_ = datagram;
  sent_ = false;
  write_failed_ = false;
  write_error_.clear();
}

void WolfsslConnection::unbind() {
  socket_ = nullptr;
  incoming_ = nullptr;
}

void WolfsslConnection::send(const unsigned char* data, std::size_t bytes) {
  sent_ = true;
  // A failed write is reported to wolfSSL as sent: to a datagram protocol a write that failed
  // is a datagram lost, which retransmission repairs. The caller reports it instead.
  if (socket_ == nullptr) {
    write_failed_ = true;
    write_error_ = "no socket to write to";
  } else if (socket_->writeDatagram(std::string_view(reinterpret_cast<const char*>(data), bytes),
                                    peer_address, peer_port) < 0) {
    write_failed_ = true;
    write_error_ = socket_->errorString();
  }
}

int WolfsslConnection::receive(unsigned char* buffer, std::size_t bytes) {
  if (incoming_ == nullptr) return -1;
  // A datagram larger than wolfSSL's buffer cannot be a record it accepts: hand it the head,
  // which its length check then drops.
  const std::size_t n = std::min(bytes, incoming_->size());
  std::copy_n(incoming_->data(), n, buffer);
  incoming_ = nullptr;
  return static_cast<int>(n);
}

}  // namespace dtls::detail
