// The GnuTLS side of the bare baseline, set up as dtls' GnuTLS backend sets up its sessions
// (dtls/src/gnutls): the priority string gnutls_priority.cpp builds for the pinned suite, the
// test PKI, a CertificateRequest without CA names, session tickets, GnuTLS's own stateless
// cookies (gnutls_dtls_cookie_verify / _send, then gnutls_dtls_prestate_set), the link MTU for
// the handshake and none after it. Credentials, priority cache and the cookie and ticket keys
// are made once per side (per batch), sessions per end. Randomness is GnuTLS's own: outside a
// World the executable's gnutls_rnd (dtls_clock_interpose) hands every draw to the library.
#include <gnutls/dtls.h>
#include <gnutls/gnutls.h>

#include <cerrno>
#include <cstring>

#include "bare_end.h"
#include "gnutls_priority.h"  // dtls/src/gnutls: negotiatedSuiteId

namespace bench {
namespace {

// What gnutls_priority.cpp writes for a configuration with only the pinned suite and no curves
// (DTLS 1.2 or later): its cipher, MAC and key exchange, every group for a client and the EC
// groups for a server, which also chooses by its own order (SslOptionDisableServerCipherPreference
// off).
constexpr const char* kClientPriority =
    "NONE:+VERS-DTLS1.2:+AES-128-GCM:+AEAD:+ECDHE-ECDSA:+GROUP-ALL:+SIGN-ALL:+COMP-NULL"
    ":+CTYPE-X509";
constexpr const char* kServerPriority =
    "NONE:+VERS-DTLS1.2:+AES-128-GCM:+AEAD:+ECDHE-ECDSA:+GROUP-EC-ALL:+SIGN-ALL:+COMP-NULL"
    ":+CTYPE-X509:%SERVER_PRECEDENCE";
// gnutls_connection.cpp: the first retransmission after 1 s, and GnuTLS's own total out of reach.
constexpr unsigned kInitialTimeoutMs = 1000;
constexpr unsigned kNeverMs = 1'000'000'000;
// The largest MTU GnuTLS takes: what gnutls_connection.cpp sets once the handshake is done.
constexpr unsigned kUnlimitedMtu = 16384;
constexpr unsigned kTicketLifetimeS = 7200;
// RFC 6347 §4.1 record header, then the handshake header (§4.2.2): where a ClientHello's record
// sequence number ends and its message_seq sits.
constexpr std::size_t kRecordSequenceLowByte = 10;
constexpr std::size_t kMessageSeqOffset = 13 + 4;

std::string gnutlsError(int code) { return "gnutls: " + std::string(gnutls_strerror(code)); }

ssize_t queuePush(gnutls_transport_ptr_t end, const void* data, size_t bytes) {
  static_cast<QueueEnd*>(end)->send(data, bytes);
  return static_cast<ssize_t>(bytes);
}

// Free keys made by gnutls_key_generate / gnutls_session_ticket_key_generate.
struct Key {
  gnutls_datum_t datum{};
  ~Key() { gnutls_free(datum.data); }
};

struct GnutlsSetup {
  bool server = false;
  bool cookies = false;
  bool query_peer = false;
  gnutls_certificate_credentials_t credentials = nullptr;
  gnutls_priority_t priority = nullptr;
  Key cookie_key;
  Key ticket_key;
};

class GnutlsEnd : public BareEnd {
 public:
  GnutlsEnd(GnutlsSetup* setup, QueueEnd* end)
      : setup_(setup), end_(end), listening_(setup->server && setup->cookies) {}
  ~GnutlsEnd() override {
    if (session_ != nullptr) gnutls_deinit(session_);
  }

  bool init() {
    const unsigned flags =
        (setup_->server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_DATAGRAM | GNUTLS_NONBLOCK;
    int r = gnutls_init(&session_, flags);
    if (r == 0) r = gnutls_priority_set(session_, setup_->priority);
    if (r == 0) r = gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, setup_->credentials);
    if (r != 0) {
      error_ = gnutlsError(r);
      return false;
    }
    gnutls_transport_set_ptr(session_, end_);
    gnutls_transport_set_push_function(session_, queuePush);
    gnutls_transport_set_pull_function(session_, pull);
    gnutls_transport_set_pull_timeout_function(session_, pullTimeout);
    gnutls_dtls_set_mtu(session_, static_cast<unsigned>(kLinkMtuBytes));
    gnutls_dtls_set_timeouts(session_, kInitialTimeoutMs, kNeverMs);
    if (!setup_->server) {
      gnutls_server_name_set(session_, GNUTLS_NAME_DNS, kServerName, std::strlen(kServerName));
      gnutls_session_set_verify_cert(session_, kServerName, 0);
      return true;
    }
    if (setup_->query_peer) {
      gnutls_certificate_server_set_request(session_, GNUTLS_CERT_REQUEST);
      gnutls_certificate_send_x509_rdn_sequence(session_, 1);  // no CA names, as dtls sends
    }
    r = gnutls_session_ticket_enable_server(session_, &setup_->ticket_key.datum);
    if (r != 0) {
      error_ = gnutlsError(r);
      return false;
    }
    gnutls_db_set_cache_expiration(session_, kTicketLifetimeS);
    return true;
  }

  Step step() override {
    if (listening_ && !checkCookie()) return Step::kMore;
    const int r = gnutls_handshake(session_);
    if (r == GNUTLS_E_SUCCESS) {
      gnutls_dtls_set_mtu(session_, kUnlimitedMtu);
      return Step::kDone;
    }
    if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) return Step::kMore;
    error_ = gnutlsError(r);
    return Step::kFailed;
  }
  bool write(const char* data, std::size_t bytes) override {
    return gnutls_record_send(session_, data, bytes) == static_cast<ssize_t>(bytes);
  }
  long read(char* buffer, std::size_t size) override {
    const ssize_t n = gnutls_record_recv(session_, buffer, size);
    if (n > 0) return static_cast<long>(n);
    if (n != GNUTLS_E_AGAIN) error_ = gnutlsError(static_cast<int>(n));
    return -1;
  }
  std::uint16_t suite() const override { return dtls::detail::negotiatedSuiteId(session_); }
  std::string error() const override { return error_; }

 private:
  static ssize_t pull(gnutls_transport_ptr_t end, void* buffer, size_t bytes) {
    const long n = static_cast<QueueEnd*>(end)->receive(buffer, bytes);
    if (n >= 0) return n;
    errno = EAGAIN;  // read by GnuTLS after a failed pull (no errno function is set)
    return -1;
  }
  static int pullTimeout(gnutls_transport_ptr_t end, unsigned /*ms*/) {
    return static_cast<QueueEnd*>(end)->in->empty() ? 0 : 1;
  }

  // A cookie-checking server before the session sees anything, as dtls' GnuTLS ClientVerifier
  // and server do (gnutls_cookie.cpp, gnutls_connection.cpp acceptVerifiedHello): a ClientHello
  // without the right cookie is answered with a HelloVerifyRequest and dropped; the one with it
  // stays queued for the session, which takes its sequence numbers. True once it verified.
  bool checkCookie() {
    DatagramQueue& in = *end_->in;
    if (in.empty()) return false;
    std::string& hello = in.front();
    auto peer = peerTransportId();
    gnutls_dtls_prestate_st prestate{};
    const int checked =
        gnutls_dtls_cookie_verify(&setup_->cookie_key.datum, peer.data(), peer.size(),
                                  hello.data(), hello.size(), &prestate);
    if (checked == 0) {
      gnutls_dtls_prestate_set(session_, &prestate);
      listening_ = false;
      return true;
    }
    if (checked == GNUTLS_E_BAD_COOKIE) {
      // The HelloVerifyRequest echoes the hello's sequence numbers (RFC 6347 §4.2.1); GnuTLS
      // takes the record sequence's low byte only, as dtls' verifier gives it.
      prestate.record_seq = static_cast<unsigned char>(hello[kRecordSequenceLowByte]);
      prestate.hsk_read_seq =
          (static_cast<unsigned char>(hello[kMessageSeqOffset]) << 8) |
          static_cast<unsigned char>(hello[kMessageSeqOffset + 1]);
      gnutls_dtls_cookie_send(&setup_->cookie_key.datum, peer.data(), peer.size(), &prestate,
                              end_, queuePush);
    }
    in.pop_front();  // answered, or not a ClientHello: dropped
    return false;
  }

  GnutlsSetup* const setup_;
  QueueEnd* const end_;
  bool listening_;
  gnutls_session_t session_ = nullptr;
  std::string error_;
};

class GnutlsSide : public BareSide {
 public:
  GnutlsSide(bool server, const BareOptions& options) {
    setup_.server = server;
    setup_.cookies = options.cookies;
    setup_.query_peer = options.query_peer;
    ok_ = options.cipher == kPinnedCipher && setUp();
  }
  ~GnutlsSide() override {
    if (setup_.priority != nullptr) gnutls_priority_deinit(setup_.priority);
    if (setup_.credentials != nullptr) gnutls_certificate_free_credentials(setup_.credentials);
  }
  bool ok() const override { return ok_; }
  std::unique_ptr<BareEnd> newEnd(QueueEnd* end) override {
    auto e = std::make_unique<GnutlsEnd>(&setup_, end);
    return e->init() ? std::move(e) : nullptr;
  }

 private:
  bool setUp() {
    if (gnutls_certificate_allocate_credentials(&setup_.credentials) != 0 ||
        gnutls_priority_init(&setup_.priority, setup_.server ? kServerPriority : kClientPriority,
                             nullptr) != 0)
      return false;
    if (!setup_.server)
      return gnutls_certificate_set_x509_trust_file(setup_.credentials, pkiPath(kCaPem).c_str(),
                                                    GNUTLS_X509_FMT_PEM) > 0;
    return gnutls_certificate_set_x509_key_file2(
               setup_.credentials, pkiPath(kServerChainPem).c_str(),
               pkiPath(kServerKeyPem).c_str(), GNUTLS_X509_FMT_PEM, nullptr, 0) >= 0 &&
           gnutls_key_generate(&setup_.cookie_key.datum, GNUTLS_COOKIE_KEY_SIZE) == 0 &&
           gnutls_session_ticket_key_generate(&setup_.ticket_key.datum) == 0;
  }

  GnutlsSetup setup_;
  bool ok_ = false;
};

}  // namespace

std::unique_ptr<BareSide> newGnutlsSide(bool server, const BareOptions& options) {
  return std::make_unique<GnutlsSide>(server, options);
}

}  // namespace bench
