#include "cookie.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

#include "digest_name.h"

namespace dtls::detail {

namespace {

constexpr int kCookieSecretBytes = 16;

int cookiePeerIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int generateCookie(SSL* ssl, unsigned char* cookie, unsigned int* cookie_len) {
  const auto* peer = static_cast<CookiePeer*>(SSL_get_ex_data(ssl, cookiePeerIndex()));
  if (peer == nullptr || peer->params == nullptr) return 0;
  *cookie_len = computeCookie(peer->libctx, *peer->params, peer->address, peer->port, cookie);
  return *cookie_len > 0 ? 1 : 0;
}

int verifyCookie(SSL* ssl, const unsigned char* cookie, unsigned int cookie_len) {
  unsigned char expected[kMaxCookieBytes];
  unsigned int expected_len = 0;
  if (generateCookie(ssl, expected, &expected_len) != 1) return 0;
  // Constant time: the cookie is a MAC, and a timing oracle would let a spoofer forge one.
  return expected_len == cookie_len && CRYPTO_memcmp(expected, cookie, cookie_len) == 0 ? 1 : 0;
}

}  // namespace

unsigned computeCookie(OSSL_LIB_CTX* libctx, const GeneratorParameters& params,
                       const HostAddress& address, std::uint16_t port,
                       unsigned char out[kMaxCookieBytes]) {
  const char* digest = digestName(params.hash);
  if (digest == nullptr || params.secret.empty()) return 0;

  std::array<unsigned char, 18> peer{};
  const auto bytes = address.toIPv6Address();  // IPv4 comes back IPv4-mapped
  for (size_t i = 0; i < 16; ++i) peer[i] = bytes[i];
  peer[16] = static_cast<unsigned char>(port >> 8);
  peer[17] = static_cast<unsigned char>(port & 0xff);

  size_t len = 0;
  if (EVP_Q_mac(libctx, "HMAC", nullptr, digest, nullptr, params.secret.data(),
                params.secret.size(), peer.data(), peer.size(), out, kMaxCookieBytes,
                &len) == nullptr) {
    return 0;
  }
  return static_cast<unsigned>(len);
}

GeneratorParameters defaultGeneratorParameters(OSSL_LIB_CTX* libctx) {
  GeneratorParameters params;
  params.secret.resize(kCookieSecretBytes);
  if (RAND_bytes_ex(libctx, reinterpret_cast<unsigned char*>(params.secret.data()),
                    params.secret.size(), 0) != 1) {
    params.secret.clear();
  }
  return params;
}

void installCookieCallbacks(SSL_CTX* ctx) {
  SSL_CTX_set_cookie_generate_cb(ctx, generateCookie);
  SSL_CTX_set_cookie_verify_cb(ctx, verifyCookie);
}

void attachCookiePeer(SSL* ssl, CookiePeer* peer) {
  SSL_set_ex_data(ssl, cookiePeerIndex(), peer);
}

}  // namespace dtls::detail
