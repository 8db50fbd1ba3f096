// wolf_tls.h: the keys a wolfSSL ClientVerifier and server share, and wolfSSL 5.5.4's cookie.
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include <netinet/in.h>

#include <cstring>

#include "wolf_tls.h"

namespace dtls::detail::wolf {

namespace {

class Hmac256 {
 public:
  explicit Hmac256(const ByteArray& key) {
    ok_ = wc_HmacInit(&hmac_, nullptr, INVALID_DEVID) == 0 &&
          wc_HmacSetKey(&hmac_, WC_SHA256, reinterpret_cast<const byte*>(key.data()),
                        static_cast<word32>(key.size())) == 0;
  }
  ~Hmac256() { wc_HmacFree(&hmac_); }
  Hmac256(const Hmac256&) = delete;
  Hmac256& operator=(const Hmac256&) = delete;
  void update(std::string_view bytes) {
    ok_ = ok_ && wc_HmacUpdate(&hmac_, reinterpret_cast<const byte*>(bytes.data()),
                               static_cast<word32>(bytes.size())) == 0;
  }
  ByteArray final() {
    byte digest[WC_SHA256_DIGEST_SIZE];
    ok_ = ok_ && wc_HmacFinal(&hmac_, digest) == 0;
    return ok_ ? ByteArray(reinterpret_cast<const char*>(digest), sizeof digest) : ByteArray();
  }

 private:
  Hmac hmac_;
  bool ok_ = false;
};

ByteArray derive(const ByteArray& secret, int hash, const char* label) {
  if (secret.empty()) return {};
  Hmac256 hmac(secret);
  hmac.update(label);
  // The hash names a different key, as it names a different HMAC for OpenSSL's cookies.
  const char hash_byte = static_cast<char>(hash);
  hmac.update(std::string_view(&hash_byte, 1));
  return hmac.final();
}

}  // namespace

ByteArray cookieKey(const ByteArray& secret, int hash) {
  return derive(secret, hash, "dtlsim wolfssl cookie");
}

ByteArray ticketKey(const ByteArray& secret, int hash) {
  return derive(secret, hash, "dtlsim wolfssl ticket");
}

ByteArray peerId(bool ipv6, const unsigned char* address, std::uint16_t port) {
  if (ipv6) {
    sockaddr_in6 sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    std::memcpy(&sa.sin6_addr, address, 16);
    return ByteArray(reinterpret_cast<const char*>(&sa), sizeof sa);
  }
  sockaddr_in sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  std::memcpy(&sa.sin_addr, address, 4);
  return ByteArray(reinterpret_cast<const char*>(&sa), sizeof sa);
}

ByteArray helloCookie(const ByteArray& key, const ByteArray& peer_id,
                      std::uint16_t client_version, std::string_view random,
                      std::string_view session_id, std::string_view cipher_suites,
                      std::string_view compression_methods) {
  // The order and fields of CreateDtlsCookie (wolfssl-5.5.4 src/dtls.c), which the server's
  // DoClientHelloStateless recomputes for every ClientHello.
  Hmac256 hmac(key);
  hmac.update(peer_id);
  const char version[2] = {static_cast<char>(client_version >> 8),
                           static_cast<char>(client_version & 0xff)};
  hmac.update(std::string_view(version, 2));
  hmac.update(random);
  hmac.update(session_id);
  hmac.update(cipher_suites);
  hmac.update(compression_methods);
  return hmac.final();
}

}  // namespace dtls::detail::wolf
