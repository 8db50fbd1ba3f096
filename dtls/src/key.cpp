#include <dtls/key.h>

#include "ossl_ptr.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <cstring>

namespace dtls {
namespace {

using detail::OsslPtr;

std::shared_ptr<EVP_PKEY> share(EVP_PKEY* pkey) {
  return std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

// The passphrase callback installed on every read: it hands OpenSSL the caller's passphrase
// and nothing else. Without it OpenSSL would prompt on the terminal for an encrypted key.
int passphraseCallback(char* buf, int size, int /*rwflag*/, void* userdata) {
  const auto* passphrase = static_cast<const ByteArray*>(userdata);
  if (passphrase == nullptr || passphrase->empty()) return -1;  // refuse, never prompt
  if (passphrase->size() > static_cast<size_t>(size)) return -1;
  std::memcpy(buf, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

KeyAlgorithm algorithmOf(const EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return KeyAlgorithm::Rsa;
    case EVP_PKEY_DSA:
      return KeyAlgorithm::Dsa;
    case EVP_PKEY_EC:
      return KeyAlgorithm::Ec;
    case EVP_PKEY_DH:
    case EVP_PKEY_DHX:
      return KeyAlgorithm::Dh;
    default:
      return KeyAlgorithm::Opaque;
  }
}

EVP_PKEY* readPem(const ByteArray& encoded, KeyType type, const ByteArray& passPhrase) {
  auto bio = detail::memoryBio(encoded);
  if (!bio) return nullptr;
  auto* userdata = const_cast<ByteArray*>(&passPhrase);
  if (type == KeyType::PublicKey) return PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback, userdata);
}

EVP_PKEY* readDer(const ByteArray& encoded, KeyType type, const ByteArray& passPhrase) {
  if (encoded.size() > static_cast<size_t>(LONG_MAX)) return nullptr;
  const auto* data = reinterpret_cast<const unsigned char*>(encoded.data());
  const long length = static_cast<long>(encoded.size());
  if (type == KeyType::PublicKey) return d2i_PUBKEY(nullptr, &data, length);
  // Plain PKCS#8 and the traditional forms first, then encrypted PKCS#8.
  if (EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &data, length)) return pkey;
  auto bio = detail::memoryBio(encoded);
  if (!bio) return nullptr;
  return d2i_PKCS8PrivateKey_bio(bio.get(), nullptr, passphraseCallback,
                                 const_cast<ByteArray*>(&passPhrase));
}

}  // namespace

Key::Key() = default;

Key::Key(const ByteArray& encoded, KeyAlgorithm algorithm, EncodingFormat encoding, KeyType type,
         const ByteArray& passPhrase) {
  if (encoded.empty()) return;
  EVP_PKEY* pkey = encoding == EncodingFormat::Pem ? readPem(encoded, type, passPhrase)
                                                   : readDer(encoded, type, passPhrase);
  // A failed read leaves its reasons on the thread's queue; drop them so they are not blamed
  // on the next unrelated OpenSSL call.
  ERR_clear_error();
  if (pkey == nullptr) return;
  auto owned = share(pkey);
  if (algorithm != KeyAlgorithm::Opaque && algorithmOf(pkey) != algorithm) return;
  pkey_ = std::move(owned);
  algorithm_ = algorithm;
  type_ = type;
}

Key Key::fromHandle(EVP_PKEY* pkey, KeyType type) {
  Key key;
  if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1) return key;
  key.pkey_ = share(pkey);
  key.algorithm_ = algorithmOf(pkey);
  key.type_ = type;
  return key;
}

bool Key::isNull() const { return pkey_ == nullptr; }

void Key::clear() { *this = Key(); }

void Key::swap(Key& other) noexcept {
  pkey_.swap(other.pkey_);
  std::swap(algorithm_, other.algorithm_);
  std::swap(type_, other.type_);
}

KeyAlgorithm Key::algorithm() const { return algorithm_; }

KeyType Key::type() const { return type_; }

int Key::length() const { return pkey_ ? EVP_PKEY_get_bits(pkey_.get()) : -1; }

ByteArray Key::toPem(const ByteArray& passPhrase) const {
  if (!pkey_) return {};
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  int ok = 0;
  if (type_ == KeyType::PublicKey) {
    ok = PEM_write_bio_PUBKEY(bio.get(), pkey_.get());
  } else if (passPhrase.empty()) {
    ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr);
  } else {
    if (passPhrase.size() > static_cast<size_t>(INT_MAX)) return {};
    ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), EVP_aes_256_cbc(),
                                       passPhrase.data(), static_cast<int>(passPhrase.size()),
                                       nullptr, nullptr);
  }
  if (ok != 1) {
    ERR_clear_error();
    return {};
  }
  return detail::bioContents(bio.get());
}

ByteArray Key::toDer(const ByteArray& passPhrase) const {
  if (!pkey_ || !passPhrase.empty()) return {};
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  const int ok = type_ == KeyType::PublicKey
                     ? i2d_PUBKEY_bio(bio.get(), pkey_.get())
                     : i2d_PKCS8PrivateKey_bio(bio.get(), pkey_.get(), nullptr, nullptr, 0,
                                               nullptr, nullptr);
  if (ok != 1) {
    ERR_clear_error();
    return {};
  }
  return detail::bioContents(bio.get());
}

EVP_PKEY* Key::handle() const { return pkey_.get(); }

bool Key::operator==(const Key& other) const {
  if (isNull() || other.isNull()) return isNull() == other.isNull();
  if (pkey_ == other.pkey_) return type_ == other.type_;
  return type_ == other.type_ && algorithm_ == other.algorithm_ && length() == other.length() &&
         toDer() == other.toDer();
}

}  // namespace dtls
