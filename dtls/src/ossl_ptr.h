// Private: owning smart pointers for OpenSSL objects, so no code path can leak one.
// Usage: OsslPtr<X509> cert(PEM_read_bio_X509(...));
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace dtls::detail {

template <typename T> struct OsslDeleter;
#define DTLS_OSSL_DELETER(Type, fn) \
  template <> struct OsslDeleter<Type> { void operator()(Type* p) const { fn(p); } }
DTLS_OSSL_DELETER(BIO, BIO_free_all);
DTLS_OSSL_DELETER(X509, X509_free);
DTLS_OSSL_DELETER(X509_STORE, X509_STORE_free);
DTLS_OSSL_DELETER(X509_STORE_CTX, X509_STORE_CTX_free);
DTLS_OSSL_DELETER(EVP_PKEY, EVP_PKEY_free);
DTLS_OSSL_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free);
DTLS_OSSL_DELETER(EVP_MD_CTX, EVP_MD_CTX_free);
DTLS_OSSL_DELETER(SSL_CTX, SSL_CTX_free);
DTLS_OSSL_DELETER(SSL, SSL_free);
DTLS_OSSL_DELETER(SSL_SESSION, SSL_SESSION_free);
DTLS_OSSL_DELETER(SSL_CONF_CTX, SSL_CONF_CTX_free);
DTLS_OSSL_DELETER(BIGNUM, BN_free);
DTLS_OSSL_DELETER(ASN1_TIME, ASN1_TIME_free);
DTLS_OSSL_DELETER(BIO_ADDR, BIO_ADDR_free);
#undef DTLS_OSSL_DELETER

template <typename T> using OsslPtr = std::unique_ptr<T, OsslDeleter<T>>;

// A read-only memory BIO over `data`; the bytes must outlive the BIO.
inline OsslPtr<BIO> memoryBio(const std::string& data) {
  return OsslPtr<BIO>(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Everything written to a memory BIO, as bytes.
inline std::string bioContents(BIO* bio) {
  char* ptr = nullptr;
  const long len = BIO_get_mem_data(bio, &ptr);
  return len > 0 ? std::string(ptr, static_cast<size_t>(len)) : std::string();
}

// The oldest error on OpenSSL's queue as text, and the queue cleared, so a failure in one call
// is never blamed on the next. Empty when the queue was empty.
std::string takeOpenSslError();

}  // namespace dtls::detail
