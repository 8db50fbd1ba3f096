// dtls/key.h — a private or public key (the role of QSslKey), on an OpenSSL EVP_PKEY.
//
// A Key is a value: copies share one immutable EVP_PKEY, so copying is a reference-count
// increment and a Key may be passed between threads once built. A Key that failed to parse is
// null (isNull()); no member throws and no member ever prompts for a passphrase.
#pragma once

#include <dtls/ssl.h>

#include <memory>

// OpenSSL's own name for the key object; the same declaration as <openssl/types.h>, so this
// header does not pull in OpenSSL.
typedef struct evp_pkey_st EVP_PKEY;

namespace dtls {

class Key {
 public:
  // A null key: isNull() is true, algorithm() is Opaque, length() is -1.
  Key();

  // Parses `encoded` as a key of `algorithm` and `type`.
  //  - encoding Pem: "PRIVATE KEY", "ENCRYPTED PRIVATE KEY" (PKCS#8), the traditional
  //    "RSA/EC/DSA PRIVATE KEY" forms (also with Proc-Type/DEK-Info encryption), or for public
  //    keys "PUBLIC KEY" (SubjectPublicKeyInfo).
  //  - encoding Der: PKCS#8 (plain or encrypted) or traditional private keys; public keys as
  //    SubjectPublicKeyInfo.
  // `passPhrase` decrypts an encrypted private key. It is the only source of a passphrase: a
  // missing or wrong passphrase makes a null key, never a prompt on the terminal.
  // `algorithm` must match the key found (Rsa, Dsa, Ec, Dh); Opaque accepts any key OpenSSL
  // can read (Ed25519, X25519, ...). A mismatch, garbage or a public key where a private one was
  // asked for (and the reverse) give a null key. Parse errors are cleared from OpenSSL's queue.
  Key(const ByteArray& encoded, KeyAlgorithm algorithm,
      EncodingFormat encoding = EncodingFormat::Pem, KeyType type = KeyType::PrivateKey,
      const ByteArray& passPhrase = ByteArray());

  // Wraps an existing key without copying it: takes a new reference (EVP_PKEY_up_ref), so the
  // caller keeps its own reference and must still free it. `type` says whether the key holds
  // private material; it is trusted, not checked. The algorithm is read from the key (a type
  // that is not RSA, DSA, EC or DH is Opaque). A null `pkey` gives a null Key.
  // Used by the connection code for the peer's ephemeral key and by Certificate::publicKey().
  static Key fromHandle(EVP_PKEY* pkey, KeyType type = KeyType::PrivateKey);

  Key(const Key&) = default;
  Key(Key&&) noexcept = default;
  Key& operator=(const Key&) = default;
  Key& operator=(Key&&) noexcept = default;
  ~Key() = default;

  // True for a default-constructed, cleared or unparsable key.
  bool isNull() const;
  // Makes this key null; other copies are not affected.
  void clear();
  void swap(Key& other) noexcept;

  // The algorithm given at construction (or found by fromHandle); Opaque for a null key.
  KeyAlgorithm algorithm() const;
  // PrivateKey or PublicKey as given at construction; PrivateKey for a null key (as Qt).
  KeyType type() const;
  // Size of the key in bits (2048 for RSA-2048, 256 for EC P-256); -1 for a null key.
  int length() const;

  // PEM text. A private key is written as PKCS#8; with a non-empty `passPhrase` it is
  // encrypted with AES-256-CBC ("ENCRYPTED PRIVATE KEY", PBKDF2) — Qt writes the traditional
  // form with 3DES, both read back the same. A public key is written as "PUBLIC KEY" and the
  // passphrase is ignored. Empty for a null key or when OpenSSL fails.
  ByteArray toPem(const ByteArray& passPhrase = ByteArray()) const;
  // DER: a private key as unencrypted PKCS#8, a public key as SubjectPublicKeyInfo.
  // DER cannot carry our encryption, so a non-empty `passPhrase` gives an empty result (Qt
  // documents the passphrase argument of toDer as meaningless). Empty for a null key.
  ByteArray toDer(const ByteArray& passPhrase = ByteArray()) const;

  // The OpenSSL key, borrowed: valid as long as any copy of this Key lives; do not free it and
  // do not modify it (copies share it). nullptr for a null key.
  EVP_PKEY* handle() const;

  // Equal when both are null, or when type, algorithm, length and the DER encoding agree.
  bool operator==(const Key& other) const;
  bool operator!=(const Key& other) const { return !(*this == other); }

 private:
  std::shared_ptr<EVP_PKEY> pkey_;
  KeyAlgorithm algorithm_ = KeyAlgorithm::Opaque;
  KeyType type_ = KeyType::PrivateKey;
};

inline void swap(Key& a, Key& b) noexcept { a.swap(b); }

}  // namespace dtls
