// Private: the peer's ephemeral (EC)DHE public key as a dtls::Key (an OpenSSL value type,
// Configuration::ephemeralServerKey()), for the stacks that hand out only raw numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dtls/ssl.h"
#include "dtls/key.h"

namespace dtls::detail {

// `point` on the group OpenSSL names `openssl_group` ("prime256v1", "X25519", ...): an
// uncompressed point (SEC 1 §2.3.3), or the raw key of an RFC 7748 curve. Null if OpenSSL does
// not take it, or `openssl_group` is null.
Key ephemeralKeyFromPoint(const char* openssl_group, const unsigned char* point,
                          std::size_t bytes);

// A DH public key `y` in the group (p, g), each big-endian. Null if OpenSSL does not take it.
Key ephemeralKeyFromDh(const ByteArray& p, const ByteArray& g, const ByteArray& y);

// The key in the ServerKeyExchange body of a suite whose key exchange OpenSSL names `kx`
// (Cipher::keyExchangeMethod()): "ECDH" starts with ECParameters (named_curve only) and the
// ECPoint (RFC 8422 §5.4), "DH" with ServerDHParams (RFC 5246 §7.4.3), and "ECDHEPSK" and
// "DHEPSK" with the same after the identity hint (RFC 5489 §2, RFC 4279 §3). Null for any other
// key exchange or a truncated body.
Key ephemeralKeyFromServerKeyExchange(const ByteArray& body, const std::string& kx);

// The ServerKeyExchange a client receives, taken from the handshake datagrams themselves, for
// stacks that keep the server's key to themselves once used (wolfSSL's X25519 key). Fragments
// may come in any order and more than once, as DTLS delivers them (RFC 6347 §4.2.3).
class ServerKeyExchangeCollector {
 public:
  // Takes the ServerKeyExchange fragments of one received datagram (plaintext handshake records).
  void take(const ByteArray& datagram);
  // The key, once the whole message came, read as the negotiated suite's key exchange `kx`
  // (ephemeralKeyFromServerKeyExchange); null before.
  Key key(const std::string& kx) const;
  void reset() { *this = ServerKeyExchangeCollector(); }

 private:
  bool started_ = false;
  std::uint16_t message_seq_ = 0;
  ByteArray body_;
  std::vector<bool> have_;
  std::size_t missing_ = 0;
};

}  // namespace dtls::detail
