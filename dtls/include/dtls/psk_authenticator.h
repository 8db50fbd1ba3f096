// dtls/psk_authenticator.h — the data exchanged with the application during a pre-shared-key
// handshake (the role of QSslPreSharedKeyAuthenticator).
//
// The connection builds one from OpenSSL's PSK callback (identity hint from the server, maximum
// lengths from OpenSSL), passes it to the pskRequired callback, and reads back the identity and
// the key the application set. Client: set identity and key. Server: identity() is the client's
// identity; set the key that belongs to it.
#pragma once

#include <string>

#include "dtls/ssl.h"

namespace dtls {

class PreSharedKeyAuthenticator {
 public:
  // Empty hint, identity and key; both maximum lengths 0.
  PreSharedKeyAuthenticator() = default;

  // Internal: how the connection code fills in what OpenSSL's PSK callback reported. Not needed
  // by applications. `maximumIdentityLength` and `maximumPreSharedKeyLength` are the buffer sizes
  // OpenSSL offers (bytes, >= 0; negative values are stored as 0).
  PreSharedKeyAuthenticator(ByteArray identityHint, int maximumIdentityLength,
                            int maximumPreSharedKeyLength);

  PreSharedKeyAuthenticator(const PreSharedKeyAuthenticator&) = default;
  PreSharedKeyAuthenticator(PreSharedKeyAuthenticator&&) noexcept = default;
  PreSharedKeyAuthenticator& operator=(const PreSharedKeyAuthenticator&) = default;
  PreSharedKeyAuthenticator& operator=(PreSharedKeyAuthenticator&&) noexcept = default;
  ~PreSharedKeyAuthenticator() = default;

  void swap(PreSharedKeyAuthenticator& other) noexcept;

  // Client side: the identity hint the server sent (empty if none). Server side: the hint the
  // server itself sends (Configuration::preSharedKeyIdentityHint()), as QDtls reports it.
  const ByteArray& identityHint() const { return identityHint_; }

  // Client: the identity to send, set by the application. Server: the identity the client sent.
  const ByteArray& identity() const { return identity_; }
  // Stores `identity` unchanged, even when longer than maximumIdentityLength(): the connection
  // code sends only the first maximumIdentityLength() bytes.
  void setIdentity(const ByteArray& identity) { identity_ = identity; }

  // Bytes of identity OpenSSL can send (client side); 0 when not known.
  int maximumIdentityLength() const { return maximumIdentityLength_; }

  // The pre-shared key (raw bytes, not hex).
  const ByteArray& preSharedKey() const { return preSharedKey_; }
  // Stores `key` unchanged; the connection code uses only the first maximumPreSharedKeyLength()
  // bytes. An empty key makes the handshake fail (OpenSSL treats it as "no PSK").
  void setPreSharedKey(const ByteArray& key) { preSharedKey_ = key; }

  // Bytes of key OpenSSL can take (PSK_MAX_PSK_LEN = 512 in OpenSSL 3.0); 0 when not known.
  int maximumPreSharedKeyLength() const { return maximumPreSharedKeyLength_; }

  // Equal when all five fields are equal.
  friend bool operator==(const PreSharedKeyAuthenticator& a, const PreSharedKeyAuthenticator& b) {
    return a.identityHint_ == b.identityHint_ && a.identity_ == b.identity_ &&
           a.preSharedKey_ == b.preSharedKey_ &&
           a.maximumIdentityLength_ == b.maximumIdentityLength_ &&
           a.maximumPreSharedKeyLength_ == b.maximumPreSharedKeyLength_;
  }
  friend bool operator!=(const PreSharedKeyAuthenticator& a, const PreSharedKeyAuthenticator& b) {
    return !(a == b);
  }

 private:
  ByteArray identityHint_;
  ByteArray identity_;
  ByteArray preSharedKey_;
  int maximumIdentityLength_ = 0;
  int maximumPreSharedKeyLength_ = 0;
};

inline void swap(PreSharedKeyAuthenticator& a, PreSharedKeyAuthenticator& b) noexcept {
  a.swap(b);
}

}  // namespace dtls
