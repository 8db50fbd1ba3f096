// Private: the peer's ephemeral ECDHE public key as a dtls::Key (an OpenSSL value type,
// Configuration::ephemeralServerKey()), for the stacks that hand out only the raw point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dtls/ssl.h"
#include "dtls/key.h"

namespace dtls::detail {

// `point` on the group OpenSSL names `openssl_group` ("prime256v1", "X25519", ...): an
// uncompressed point (SEC 1 §2.3.3), or the raw key of an RFC 7748 curve. Null if OpenSSL does
// not take it, or `openssl_group` is null.
Key ephemeralKeyFromPoint(const char* openssl_group, const unsigned char* point,
                          std::size_t bytes);

// The key an ECDHE ServerKeyExchange body starts with: ECParameters (named_curve only) and the
// ECPoint (RFC 8422 §5.4). Null for any other body (DHE, PSK, a truncated message).
Key ephemeralKeyFromServerKeyExchange(const ByteArray& body);

// The ServerKeyExchange a client receives, taken from the handshake datagrams themselves, for
// stacks that keep the server's key to themselves once used (wolfSSL's X25519 key). Fragments
// may come in any order and more than once, as DTLS delivers them (RFC 6347 §4.2.3).
class ServerKeyExchangeCollector {
 public:
  // Takes the ServerKeyExchange fragments of one received datagram (plaintext handshake records).
  void take(const ByteArray& datagram);
  // The key, once the whole message came; null before, or for a body without an ECDHE point.
  const Key& key() const { return key_; }
  void reset() { *this = ServerKeyExchangeCollector(); }

 private:
  bool started_ = false;
  std::uint16_t message_seq_ = 0;
  ByteArray body_;
  std::vector<bool> have_;
  std::size_t missing_ = 0;
  Key key_;
};

}  // namespace dtls::detail
