// dtls/cipher.h — one TLS/DTLS cipher suite as OpenSSL describes it (the role of QSslCipher).
//
// A Cipher is an immutable value: it is either null (isNull()) or a suite that the linked
// OpenSSL 3.0 supports. It carries no OpenSSL object, only the facts OpenSSL reported for it
// (SSL_CIPHER_description, SSL_CIPHER_get_version, SSL_CIPHER_get_bits), so it is cheap to copy,
// safe to share between threads and comparable after the library state it came from is gone.
#pragma once

#include <string>

#include "dtls/ssl.h"

namespace dtls {

namespace detail {
struct CipherAccess;  // private factory (dtls/src/supported.h): builds ciphers from OpenSSL
}  // namespace detail

class Cipher {
 public:
  // A null cipher: isNull() is true, name() and the method strings are empty, the bit counts
  // are 0 and protocol() is SslProtocol::UnknownProtocol.
  Cipher();

  // The supported cipher whose OpenSSL name is `name` (e.g. "ECDHE-ECDSA-AES128-GCM-SHA256",
  // "PSK-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"). Names are matched exactly
  // (case-sensitive) against the suites OpenSSL 3.0 supports for TLS or DTLS (the union of
  // supportedTlsCiphers() and supportedDtlsCiphers() of dtls/src/supported.h).
  // Errors: an unknown or unsupported name (or an IANA/RFC name such as
  // "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256") yields a null cipher; check isNull().
  explicit Cipher(const std::string& name);

  // As Cipher(name), but the suite must also have protocol() == `protocol` (e.g.
  // SslProtocol::TlsV1_2 for the GCM suites, TlsV1_3 for the TLS 1.3 suites). A name that
  // exists with another protocol yields a null cipher.
  Cipher(const std::string& name, SslProtocol protocol);

  Cipher(const Cipher&) = default;
  Cipher(Cipher&&) noexcept = default;
  Cipher& operator=(const Cipher&) = default;
  Cipher& operator=(Cipher&&) noexcept = default;
  ~Cipher() = default;

  void swap(Cipher& other) noexcept;

  // True for a default-constructed cipher and for a name that identified no supported suite.
  bool isNull() const { return isNull_; }

  // OpenSSL's name of the suite ("ECDHE-RSA-AES256-GCM-SHA384"); empty when null.
  const std::string& name() const { return name_; }

  // Secret bits of the bulk cipher actually used (SSL_CIPHER_get_bits' return value): 128 for
  // AES128-GCM, 0 for eNULL suites and for a null cipher.
  int usedBits() const { return usedBits_; }

  // Bits the algorithm supports (SSL_CIPHER_get_bits' alg_bits). Equal to usedBits() for every
  // suite OpenSSL 3.0 still has (export suites, where the two differed, are gone).
  int supportedBits() const { return supportedBits_; }

  // Key exchange as OpenSSL's description column "Kx=" says: "ECDH", "DH", "RSA", "PSK",
  // "ECDHEPSK", "DHEPSK", "RSAPSK", "any" (TLS 1.3), ... Empty when null.
  const std::string& keyExchangeMethod() const { return keyExchangeMethod_; }

  // Authentication as the description column "Au=" says: "RSA", "ECDSA", "PSK", "None"
  // (anonymous suites), "any" (TLS 1.3), ... Empty when null.
  const std::string& authenticationMethod() const { return authenticationMethod_; }

  // Bulk encryption as the description column "Enc=" says: "AESGCM(128)", "CHACHA20/POLY1305(256)",
  // "AES(256)", "None" (eNULL suites), ... Empty when null.
  const std::string& encryptionMethod() const { return encryptionMethod_; }

  // The oldest protocol version the suite can be used with, as OpenSSL's SSL_CIPHER_get_version
  // spells it: "TLSv1.2" (GCM, CCM, SHA-256 suites), "TLSv1.3", "TLSv1.0" (ECDHE CBC suites),
  // "SSLv3" (suites that predate TLS, such as AES128-SHA). Every version but "TLSv1.3" also
  // covers DTLS 1.2 (and "TLSv1.0"/"SSLv3" DTLS 1.0). Empty when null.
  const std::string& protocolString() const { return protocolString_; }

  // protocolString() as an enum: "TLSv1.0" (or "TLSv1") -> TlsV1_0, "TLSv1.1" -> TlsV1_1,
  // "TLSv1.2" -> TlsV1_2, "TLSv1.3" -> TlsV1_3; anything else ("SSLv3") and a null cipher -> UnknownProtocol.
  // A suite is never reported with a Dtls* value: OpenSSL names the TLS version it maps to.
  SslProtocol protocol() const { return protocol_; }

  // Two ciphers are equal when their name() and protocol() are equal (two null ciphers are equal).
  friend bool operator==(const Cipher& a, const Cipher& b) {
    return a.name_ == b.name_ && a.protocol_ == b.protocol_;
  }
  friend bool operator!=(const Cipher& a, const Cipher& b) { return !(a == b); }

 private:
  friend struct detail::CipherAccess;

  bool isNull_ = true;
  std::string name_;
  int usedBits_ = 0;
  int supportedBits_ = 0;
  std::string keyExchangeMethod_;
  std::string authenticationMethod_;
  std::string encryptionMethod_;
  std::string protocolString_;
  SslProtocol protocol_ = SslProtocol::UnknownProtocol;
};

inline void swap(Cipher& a, Cipher& b) noexcept { a.swap(b); }

}  // namespace dtls
