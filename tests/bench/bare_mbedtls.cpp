// The mbedTLS side of the bare baseline: one ssl_config with the test PKI per batch, ends that
// read and write datagrams through a QueueEnd. Randomness comes from a CTR-DRBG seeded from the
// system: the benchmark runs outside any World, where only the speed matters.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include "bare_end.h"

namespace bench {
namespace {

constexpr int kPinnedSuites[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0};
static_assert(MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 == kPinnedSuiteId);
// The peer's address and port, as dtls' mbedTLS server gives it to the cookie
// (mbedtls_ssl_set_client_transport_id).
constexpr unsigned char kPeer[] = {kPeerIpv4[0], kPeerIpv4[1], kPeerIpv4[2], kPeerIpv4[3],
                                   kPeerPort >> 8, kPeerPort & 0xff};

std::string mbedError(int code) {
  char text[160];
  mbedtls_strerror(code, text, sizeof text);
  return "mbedtls: " + std::string(text);
}

int queueSend(void* ctx, const unsigned char* data, std::size_t len) {
  static_cast<QueueEnd*>(ctx)->send(data, len);
  return static_cast<int>(len);
}

int queueRecv(void* ctx, unsigned char* data, std::size_t len) {
  const long n = static_cast<QueueEnd*>(ctx)->receive(data, len);
  return n < 0 ? MBEDTLS_ERR_SSL_WANT_READ : static_cast<int>(n);
}

// A timer that never expires: the link loses nothing, so no flight is ever retransmitted.
struct Timer {
  std::uint32_t final_ms = 0;
  static void set(void* t, std::uint32_t /*intermediate_ms*/, std::uint32_t final_ms) {
    static_cast<Timer*>(t)->final_ms = final_ms;
  }
  static int get(void* t) { return static_cast<Timer*>(t)->final_ms == 0 ? -1 : 0; }
};

class MbedEnd : public BareEnd {
 public:
  MbedEnd(const mbedtls_ssl_config* conf, bool server, QueueEnd* end) : server_(server) {
    mbedtls_ssl_init(&ssl_);
    ok_ = mbedtls_ssl_setup(&ssl_, conf) == 0 && startSession() &&
          (server || mbedtls_ssl_set_hostname(&ssl_, kServerName) == 0);
    mbedtls_ssl_set_bio(&ssl_, end, queueSend, queueRecv, nullptr);
    mbedtls_ssl_set_timer_cb(&ssl_, &timer_, Timer::set, Timer::get);
    mbedtls_ssl_set_mtu(&ssl_, static_cast<std::uint16_t>(kLinkMtuBytes));
  }
  ~MbedEnd() override { mbedtls_ssl_free(&ssl_); }
  bool ok() const { return ok_; }

  Step step() override {
    const int r = mbedtls_ssl_handshake(&ssl_);
    if (r == 0) {
      // As dtls' mbedTLS backend without an MTU hint: records may now exceed the link MTU.
      mbedtls_ssl_set_mtu(&ssl_, 0);
      return Step::kDone;
    }
    if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return Step::kMore;
    // The HelloVerifyRequest went out: the next ClientHello starts a fresh session, as a
    // stateless server's does.
    if (r == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED)
      return mbedtls_ssl_session_reset(&ssl_) == 0 && startSession() ? Step::kMore
                                                                      : Step::kFailed;
    error_ = mbedError(r);
    return Step::kFailed;
  }
  bool write(const char* data, std::size_t bytes) override {
    return mbedtls_ssl_write(&ssl_, reinterpret_cast<const unsigned char*>(data), bytes) ==
           static_cast<int>(bytes);
  }
  long read(char* buffer, std::size_t size) override {
    const int n = mbedtls_ssl_read(&ssl_, reinterpret_cast<unsigned char*>(buffer), size);
    if (n > 0) return n;
    if (n != MBEDTLS_ERR_SSL_WANT_READ) error_ = mbedError(n);
    return -1;
  }
  std::uint16_t suite() const override {
    const char* name = mbedtls_ssl_get_ciphersuite(&ssl_);
    return name != nullptr ? static_cast<std::uint16_t>(mbedtls_ssl_get_ciphersuite_id(name)) : 0;
  }
  std::string error() const override { return error_; }

 private:
  bool startSession() {
    return !server_ || mbedtls_ssl_set_client_transport_id(&ssl_, kPeer, sizeof kPeer) == 0;
  }

  mbedtls_ssl_context ssl_;
  Timer timer_;
  bool server_;
  bool ok_ = false;
  std::string error_;
};

class MbedSide : public BareSide {
 public:
  MbedSide(bool server, const BareOptions& options) : server_(server) {
    mbedtls_ssl_config_init(&conf_);
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    mbedtls_x509_crt_init(&ca_);
    mbedtls_x509_crt_init(&chain_);
    mbedtls_pk_init(&key_);
    mbedtls_ssl_cookie_init(&cookie_);
    mbedtls_ssl_ticket_init(&ticket_);
    ok_ = options.cipher == kPinnedCipher && setUp(options);
  }
  ~MbedSide() override {
    mbedtls_ssl_ticket_free(&ticket_);
    mbedtls_ssl_cookie_free(&cookie_);
    mbedtls_pk_free(&key_);
    mbedtls_x509_crt_free(&chain_);
    mbedtls_x509_crt_free(&ca_);
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
    mbedtls_ssl_config_free(&conf_);
  }
  bool ok() const override { return ok_; }
  std::unique_ptr<BareEnd> newEnd(QueueEnd* end) override {
    auto e = std::make_unique<MbedEnd>(&conf_, server_, end);
    return e->ok() ? std::move(e) : nullptr;
  }

 private:
  bool setUp(const BareOptions& options) {
    if (mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0) != 0 ||
        mbedtls_ssl_config_defaults(&conf_, server_ ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                    MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
      return false;
    mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
    mbedtls_ssl_conf_min_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_ciphersuites(&conf_, kPinnedSuites);
    if (!server_) {
      if (mbedtls_x509_crt_parse_file(&ca_, pkiPath(kCaPem).c_str()) != 0) return false;
      mbedtls_ssl_conf_ca_chain(&conf_, &ca_, nullptr);
      mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_REQUIRED);
      return true;
    }
    // OPTIONAL sends a CertificateRequest and accepts an empty Certificate (query_peer). The
    // server trusts no CA, as a World's server (no ca_certificates), and its CertificateRequest
    // names none, as dtls' mbedTLS backend sends it (mbed_context.cpp): with the CA's name the
    // ServerHelloDone no longer fits the datagram before it and takes one of its own.
    mbedtls_ssl_conf_authmode(&conf_, options.query_peer ? MBEDTLS_SSL_VERIFY_OPTIONAL
                                                         : MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_cert_req_ca_list(&conf_, MBEDTLS_SSL_CERT_REQ_CA_LIST_DISABLED);
    if (mbedtls_x509_crt_parse_file(&chain_, pkiPath(kServerChainPem).c_str()) != 0 ||
        mbedtls_pk_parse_keyfile(&key_, pkiPath(kServerKeyPem).c_str(), nullptr) != 0 ||
        mbedtls_ssl_conf_own_cert(&conf_, &chain_, &key_) != 0)
      return false;
    if (options.cookies) {
      if (mbedtls_ssl_cookie_setup(&cookie_, mbedtls_ctr_drbg_random, &drbg_) != 0) return false;
      mbedtls_ssl_conf_dtls_cookies(&conf_, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check,
                                    &cookie_);
    } else {
      mbedtls_ssl_conf_dtls_cookies(&conf_, nullptr, nullptr, nullptr);
    }
    if (mbedtls_ssl_ticket_setup(&ticket_, mbedtls_ctr_drbg_random, &drbg_,
                                 MBEDTLS_CIPHER_AES_256_GCM, 7200) != 0)
      return false;
    mbedtls_ssl_conf_session_tickets_cb(&conf_, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        &ticket_);
    return true;
  }

  bool server_;
  bool ok_ = false;
  mbedtls_ssl_config conf_;
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  mbedtls_x509_crt ca_;
  mbedtls_x509_crt chain_;
  mbedtls_pk_context key_;
  mbedtls_ssl_cookie_ctx cookie_;
  mbedtls_ssl_ticket_context ticket_;
};

}  // namespace

std::unique_ptr<BareSide> newMbedtlsSide(bool server, const BareOptions& options) {
  return std::make_unique<MbedSide>(server, options);
}

}  // namespace bench
