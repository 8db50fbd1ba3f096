#include "bare_dtls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <utility>

namespace bench {
namespace {

QueueEnd* endOf(BIO* bio) { return static_cast<QueueEnd*>(BIO_get_data(bio)); }

int queueWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  if (len < 0) return -1;
  endOf(bio)->send(data, static_cast<std::size_t>(len));
  return len;
}

int queueRead(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  const long n = endOf(bio)->receive(out, static_cast<std::size_t>(std::max(len, 0)));
  if (n < 0) BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

long queueCtrl(BIO* bio, int cmd, long /*num*/, void* /*ptr*/) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return endOf(bio)->in->empty() ? 0 : static_cast<long>(endOf(bio)->in->front().size());
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return 576;
    default:
      return 0;
  }
}

BIO_METHOD* queueMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench queue");
    BIO_meth_set_write(m, queueWrite);
    BIO_meth_set_read(m, queueRead);
    BIO_meth_set_ctrl(m, queueCtrl);
    BIO_meth_set_create(m, [](BIO* b) {
      BIO_set_init(b, 1);
      return 1;
    });
    return m;
  }();
  return method;
}

// The cookie: HMAC-SHA256 of the peer (bare_common.h) under a random secret, like dtls'
// cookie.cpp.
constexpr unsigned kCookieBytes = 32;

const std::array<unsigned char, 16>& cookieSecret() {
  static const std::array<unsigned char, 16> secret = [] {
    std::array<unsigned char, 16> s{};
    RAND_bytes(s.data(), static_cast<int>(s.size()));
    return s;
  }();
  return secret;
}

int generateCookie(SSL* /*ssl*/, unsigned char* cookie, unsigned int* cookie_len) {
  static const auto kPeer = peerTransportId();
  std::size_t out_len = 0;
  const auto& secret = cookieSecret();
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                kPeer.data(), kPeer.size(), cookie, kCookieBytes, &out_len) == nullptr)
    return 0;
  *cookie_len = static_cast<unsigned>(out_len);
  return 1;
}

int verifyCookie(SSL* ssl, const unsigned char* cookie, unsigned int cookie_len) {
  unsigned char expected[kCookieBytes];
  unsigned int expected_len = 0;
  if (generateCookie(ssl, expected, &expected_len) != 1) return 0;
  return expected_len == cookie_len && CRYPTO_memcmp(expected, cookie, cookie_len) == 0 ? 1 : 0;
}

// kBarePskKeyHex as bytes.
const std::string& barePskKey() {
  static const std::string key = [] {
    std::string k;
    const std::string hex = kBarePskKeyHex;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      k += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return k;
  }();
  return key;
}

unsigned int copyPskKey(unsigned char* psk, unsigned int max_psk_len) {
  const std::string& key = barePskKey();
  if (key.size() > max_psk_len) return 0;
  std::memcpy(psk, key.data(), key.size());
  return static_cast<unsigned>(key.size());
}

unsigned int pskClient(SSL* /*ssl*/, const char* /*hint*/, char* identity,
                       unsigned int max_identity_len, unsigned char* psk,
                       unsigned int max_psk_len) {
  const std::size_t n = std::strlen(kBarePskIdentity);
  if (n + 1 > max_identity_len) return 0;
  std::memcpy(identity, kBarePskIdentity, n + 1);
  return copyPskKey(psk, max_psk_len);
}

unsigned int pskServer(SSL* /*ssl*/, const char* /*identity*/, unsigned char* psk,
                       unsigned int max_psk_len) {
  return copyPskKey(psk, max_psk_len);
}

bool wantsMore(SSL* ssl, int ret) {
  const int e = SSL_get_error(ssl, ret);
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

}  // namespace

std::string opensslError() {
  char text[256] = "no OpenSSL error";
  if (const unsigned long e = ERR_get_error()) ERR_error_string_n(e, text, sizeof text);
  ERR_clear_error();
  return text;
}

SslCtxPtr newBareContext(bool server, const BareOptions& options) {
  SslCtxPtr ctx(SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method()));
  if (!ctx) return nullptr;
  // As dtls' OpenSSL backend (tls_context.cpp openSslOptions): no encrypt-then-MAC extension.
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_QUERY_MTU | SSL_OP_NO_ENCRYPT_THEN_MAC);
  bool ok = SSL_CTX_set_cipher_list(ctx.get(), options.cipher.c_str()) == 1;
  if (server) {
    // As dtls' servers (tls_context.cpp): resumption by tickets only, no session stored in a
    // server cache, and a session id context (which the tickets carry).
    SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
    static const unsigned char kSessionIdContext[] = "dtlsim";
    SSL_CTX_set_session_id_context(ctx.get(), kSessionIdContext, sizeof kSessionIdContext - 1);
    // As dtls' servers by default (SslOptionDisableServerCipherPreference off): the server's
    // order picks the group too, which matters against an mbedTLS client (P-521 first).
    SSL_CTX_set_options(ctx.get(), SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (options.psk) SSL_CTX_set_psk_server_callback(ctx.get(), pskServer);
    ok = ok && (options.psk ||
                (SSL_CTX_use_certificate_chain_file(ctx.get(), pkiPath(kServerChainPem).c_str()) ==
                     1 &&
                 SSL_CTX_use_PrivateKey_file(ctx.get(), pkiPath(kServerKeyPem).c_str(),
                                             SSL_FILETYPE_PEM) == 1));
    if (options.query_peer)
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
    if (options.cookies) {
      SSL_CTX_set_options(ctx.get(), SSL_OP_COOKIE_EXCHANGE);
      SSL_CTX_set_cookie_generate_cb(ctx.get(), generateCookie);
      SSL_CTX_set_cookie_verify_cb(ctx.get(), verifyCookie);
    }
  } else if (options.psk) {
    SSL_CTX_set_psk_client_callback(ctx.get(), pskClient);
  } else {
    ok = ok && SSL_CTX_load_verify_locations(ctx.get(), pkiPath(kCaPem).c_str(),
                                             nullptr) == 1;
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  return ok ? std::move(ctx) : nullptr;
}

SslPtr newBareSsl(SSL_CTX* ctx, bool server, QueueEnd* end) {
  SslPtr ssl(SSL_new(ctx));
  BIO* bio = ssl ? BIO_new(queueMethod()) : nullptr;
  if (bio == nullptr) return nullptr;
  BIO_set_data(bio, end);
  SSL_set_bio(ssl.get(), bio, bio);
  DTLS_set_link_mtu(ssl.get(), kLinkMtuBytes);
  if (server) {
    SSL_set_accept_state(ssl.get());
  } else {
    SSL_set_connect_state(ssl.get());
    SSL_set_tlsext_host_name(ssl.get(), kServerName);
    SSL_set1_host(ssl.get(), kServerName);
  }
  return ssl;
}

bool bareHandshake(SSL* client, SSL* server, bool cookies) {
  constexpr int kMaxRounds = 20;
  int round = 0;
  if (cookies) {
    BIO_ADDR* peer = BIO_ADDR_new();
    int listened = 0;
    for (; round < kMaxRounds && listened == 0; ++round) {
      const int c = SSL_do_handshake(client);
      if (c != 1 && !wantsMore(client, c)) break;
      listened = DTLSv1_listen(server, peer);
    }
    BIO_ADDR_free(peer);
    if (listened != 1) return false;
  }
  for (; round < kMaxRounds; ++round) {
    const int c = SSL_do_handshake(client);
    const int s = SSL_do_handshake(server);
    if (c == 1 && s == 1) return true;
    if ((c != 1 && !wantsMore(client, c)) || (s != 1 && !wantsMore(server, s))) return false;
  }
  return false;
}

BarePair::BarePair(SSL_CTX* client_ctx, SSL_CTX* server_ctx)
    : client_(newBareSsl(client_ctx, false, &client_end_)),
      server_(newBareSsl(server_ctx, true, &server_end_)) {}

}  // namespace bench
