// The wolfSSL side of the bare baseline, set up as dtls' wolfSSL backend sets up its WOLFSSLs
// (dtls/src/wolfssl/wolf_tls.cpp): DTLS 1.2 only, the pinned suite by its IANA id, the test PKI,
// the session cache off (tickets only), a session ticket, wolfSSL's own stateless cookie
// (DoClientHelloStateless answers a ClientHello without the cookie with a HelloVerifyRequest;
// every 5.5.4 DTLS server does, whatever BareOptions::cookies says) keyed by a secret the side
// shares and bound to the peer's address, and no MTU (Debian's build has no
// wolfSSL_dtls_set_mtu: datagrams of up to 1400 bytes, as in dtls).
//
// One WOLFSSL_CTX per side (per batch), a WOLFSSL per end. Randomness is wolfSSL's default
// (no crypto-callback device): the benchmark runs outside any World, where only the speed
// matters.
//
// Only library-free headers besides wolfSSL's: its OpenSSL compatibility layer (OPENSSL_EXTRA)
// clashes with OpenSSL's headers (bare_common.h).
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/random.h>

#include <netinet/in.h>

#include <cstring>
#include <mutex>

#include "bare_end.h"

namespace bench {
namespace {

// wolf_connection.cpp: the first retransmission after 1 s; wolfSSL gives up at 2^12 s.
constexpr int kInitialTimeoutS = 1;
constexpr int kGiveUpTimeoutS = kInitialTimeoutS << 12;
constexpr unsigned kCookieSecretBytes = 32;  // wolf_tls.h cookieKey: HMAC-SHA256 sized

std::string wolfError(int code) {
  char text[WOLFSSL_MAX_ERROR_SZ] = {};
  wolfSSL_ERR_error_string_n(static_cast<unsigned long>(code), text, sizeof text);
  return "wolfssl: " + std::string(text) + " (" + std::to_string(code) + ")";
}

int queueSend(WOLFSSL* /*ssl*/, char* data, int bytes, void* end) {
  static_cast<QueueEnd*>(end)->send(data, static_cast<std::size_t>(bytes));
  return bytes;
}

int queueReceive(WOLFSSL* /*ssl*/, char* buffer, int size, void* end) {
  const long n = static_cast<QueueEnd*>(end)->receive(buffer, static_cast<std::size_t>(size));
  return n < 0 ? WOLFSSL_CBIO_ERR_WANT_READ : static_cast<int>(n);
}

// The peer as dtls' wolfSSL server gives it to wolfSSL_dtls_set_peer (wolf_cookie.cpp
// wolfPeerId): a sockaddr_in with zeroed padding, which wolfSSL's cookie covers.
sockaddr_in peerAddress() {
  sockaddr_in sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(kPeerPort);
  std::memcpy(&sa.sin_addr, kPeerIpv4.data(), kPeerIpv4.size());
  return sa;
}

class WolfEnd : public BareEnd {
 public:
  WolfEnd(WOLFSSL* ssl, bool server) : ssl_(ssl), server_(server) {}
  ~WolfEnd() override { wolfSSL_free(ssl_); }

  Step step() override {
    const int r = server_ ? wolfSSL_accept(ssl_) : wolfSSL_connect(ssl_);
    if (r == WOLFSSL_SUCCESS) return Step::kDone;
    const int e = wolfSSL_get_error(ssl_, r);
    if (e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE) return Step::kMore;
    error_ = wolfError(e);
    return Step::kFailed;
  }
  bool write(const char* data, std::size_t bytes) override {
    return wolfSSL_write(ssl_, data, static_cast<int>(bytes)) == static_cast<int>(bytes);
  }
  long read(char* buffer, std::size_t size) override {
    const int n = wolfSSL_read(ssl_, buffer, static_cast<int>(size));
    if (n > 0) return n;
    const int e = wolfSSL_get_error(ssl_, n);
    if (e != WOLFSSL_ERROR_WANT_READ) error_ = wolfError(e);
    return -1;
  }
  std::uint16_t suite() const override {
    const int suite = wolfSSL_get_current_cipher_suite(ssl_);
    return suite > 0 ? static_cast<std::uint16_t>(suite) : 0;
  }
  std::string error() const override { return error_; }

 private:
  WOLFSSL* const ssl_;
  const bool server_;
  std::string error_;
};

class WolfSide : public BareSide {
 public:
  WolfSide(bool server, const BareOptions& options) : server_(server) {
    static std::once_flag once;
    std::call_once(once, [] { wolfSSL_Init(); });
    ok_ = options.cipher == kPinnedCipher && setUp(options);
  }
  ~WolfSide() override {
    if (ctx_ != nullptr) wolfSSL_CTX_free(ctx_);
  }
  bool ok() const override { return ok_; }

  std::unique_ptr<BareEnd> newEnd(QueueEnd* end) override {
    WOLFSSL* ssl = wolfSSL_new(ctx_);
    if (ssl == nullptr) return nullptr;
    auto e = std::make_unique<WolfEnd>(ssl, server_);  // owns ssl from here
    wolfSSL_SSLSetIORecv(ssl, queueReceive);
    wolfSSL_SSLSetIOSend(ssl, queueSend);
    wolfSSL_SetIOReadCtx(ssl, end);
    wolfSSL_SetIOWriteCtx(ssl, end);
    wolfSSL_dtls_set_using_nonblock(ssl, 1);
    wolfSSL_dtls_set_timeout_init(ssl, kInitialTimeoutS);
    wolfSSL_dtls_set_timeout_max(ssl, kGiveUpTimeoutS);
    if (server_) {
      sockaddr_in peer = peerAddress();
      if (wolfSSL_DTLS_SetCookieSecret(ssl, cookie_secret_, sizeof cookie_secret_) != 0 ||
          wolfSSL_dtls_set_peer(ssl, &peer, sizeof peer) != WOLFSSL_SUCCESS)
        return nullptr;
      return e;
    }
    if (wolfSSL_UseSessionTicket(ssl) != WOLFSSL_SUCCESS ||
        wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, kServerName,
                       static_cast<word16>(std::strlen(kServerName))) != WOLFSSL_SUCCESS ||
        wolfSSL_check_domain_name(ssl, kServerName) != WOLFSSL_SUCCESS)
      return nullptr;
    return e;
  }

 private:
  bool setUp(const BareOptions& options) {
    ctx_ = wolfSSL_CTX_new(server_ ? wolfDTLSv1_2_server_method() : wolfDTLSv1_2_client_method());
    if (ctx_ == nullptr) return false;
    // As wolf_tls.cpp: the process-wide session cache neither stores nor looks up.
    wolfSSL_CTX_set_session_cache_mode(ctx_, WOLFSSL_SESS_CACHE_OFF);
    wolfSSL_CTX_set_session_cache_mode(
        ctx_, WOLFSSL_SESS_CACHE_NO_INTERNAL_STORE | WOLFSSL_SESS_CACHE_NO_INTERNAL_LOOKUP);
    const unsigned char suite[] = {kPinnedSuiteId >> 8, kPinnedSuiteId & 0xff};
    if (wolfSSL_CTX_set_cipher_list_bytes(ctx_, suite, sizeof suite) != WOLFSSL_SUCCESS)
      return false;
    if (!server_) {
      wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_PEER, nullptr);
      return wolfSSL_CTX_load_verify_locations(ctx_, pkiPath(kCaPem).c_str(), nullptr) ==
             WOLFSSL_SUCCESS;
    }
    // QueryPeer: a CertificateRequest, and an empty Certificate accepted.
    if (options.query_peer)
      wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_PEER,
                             [](int, WOLFSSL_X509_STORE_CTX*) { return 1; });
    else
      wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_NONE, nullptr);
    // wolfSSL's default ticket callback, keyed once per context, with its default lifetime hint
    // (300 s). dtls' servers give 7200 s with a callback of their own (wolf_tls.cpp); the hint is
    // only a number in the NewSessionTicket. wolfSSL 5.5.4's default callback cannot take it: it
    // rotates its keys every 3600 s (WOLFSSL_TICKET_KEY_LIFETIME), and with a hint of 3600 s or
    // more a context's tickets fail after the first second or first ticket (wolfSSL_accept
    // returns error 1 after the client's Finished, and the server sends no alert).
    WC_RNG rng;
    if (wc_InitRng(&rng) != 0) return false;
    const bool drawn = wc_RNG_GenerateBlock(&rng, cookie_secret_, sizeof cookie_secret_) == 0;
    wc_FreeRng(&rng);
    return drawn &&
           wolfSSL_CTX_use_certificate_chain_file(ctx_, pkiPath(kServerChainPem).c_str()) ==
               WOLFSSL_SUCCESS &&
           wolfSSL_CTX_use_PrivateKey_file(ctx_, pkiPath(kServerKeyPem).c_str(),
                                           WOLFSSL_FILETYPE_PEM) == WOLFSSL_SUCCESS &&
           wolfSSL_CTX_check_private_key(ctx_) == WOLFSSL_SUCCESS;
  }

  const bool server_;
  bool ok_ = false;
  WOLFSSL_CTX* ctx_ = nullptr;
  unsigned char cookie_secret_[kCookieSecretBytes] = {};
};

}  // namespace

std::unique_ptr<BareSide> newWolfsslSide(bool server, const BareOptions& options) {
  return std::make_unique<WolfSide>(server, options);
}

}  // namespace bench
