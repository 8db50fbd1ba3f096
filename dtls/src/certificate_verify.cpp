// Certificate::verify and Certificate::importPkcs12: the parts of Certificate that need a
// verification context or a PKCS#12 parser.
#include <dtls/certificate.h>
#include <dtls/ssl_error.h>

#include "ossl_ptr.h"
#include "ssl_error_map.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

namespace dtls {
namespace {

using detail::OsslPtr;

struct StackDeleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }  // borrowed entries
};
struct OwningStackDeleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};

void addUnique(std::vector<SslError>* errors, SslError error) {
  if (std::find(errors->begin(), errors->end(), error) == errors->end()) {
    errors->push_back(std::move(error));
  }
}

// Records every problem and lets OpenSSL go on, so the caller sees all of them (as Qt's
// q_X509Callback does); the verdict is the list, not X509_verify_cert's result.
int collectErrors(int ok, X509_STORE_CTX* ctx) {
  if (ok == 0) {
    auto* errors = static_cast<std::vector<SslError>*>(X509_STORE_CTX_get_app_data(ctx));
    const SslError::Error code = errorFromX509VerifyCode(X509_STORE_CTX_get_error(ctx));
    addUnique(errors, SslError(code, Certificate::fromHandle(X509_STORE_CTX_get_current_cert(ctx))));
  }
  return 1;
}

// RFC 6125 matching of the leaf against `hostName`: an IP literal against the IP SANs, a DNS
// name against the DNS SANs (the CN only when there are none), one trailing dot ignored.
bool matchesHost(X509* leaf, std::string hostName) {
  if (hostName.size() > 1 && hostName.back() == '.') hostName.pop_back();
  if (hostName.size() > 2 && hostName.front() == '[' && hostName.back() == ']') {
    hostName = hostName.substr(1, hostName.size() - 2);  // "[::1]"
  }
  const int ip = X509_check_ip_asc(leaf, hostName.c_str(), 0);
  bool match = false;
  if (ip >= 0) {
    match = ip == 1;  // hostName is an IP literal
  } else {
    match = X509_check_host(leaf, hostName.data(), hostName.size(), 0, nullptr) == 1;
  }
  ERR_clear_error();
  return match;
}

}  // namespace

std::vector<SslError> Certificate::verify(const std::vector<Certificate>& certificateChain,
                                          const std::string& hostName,
                                          const std::vector<Certificate>& caCertificates) {
  std::vector<SslError> errors;
  const bool has_null = std::any_of(certificateChain.begin(), certificateChain.end(),
                                    [](const Certificate& c) { return c.isNull(); });
  if (certificateChain.empty() || has_null) {
    errors.emplace_back(SslError::UnspecifiedError);
    return errors;
  }

  OsslPtr<X509_STORE> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
  OsslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) {
    errors.emplace_back(SslError::UnspecifiedError);
    return errors;
  }
  // A missing system store is not an error here: the chain then fails on its own terms.
  X509_STORE_set_default_paths(store.get());
  for (const Certificate& ca : caCertificates) {
    if (!ca.isNull()) X509_STORE_add_cert(store.get(), ca.handle());
  }
  for (size_t i = 1; i < certificateChain.size(); ++i) {
    sk_X509_push(untrusted.get(), certificateChain[i].handle());
  }
  ERR_clear_error();

  X509* leaf = certificateChain.front().handle();
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    ERR_clear_error();
    errors.emplace_back(SslError::UnspecifiedError);
    return errors;
  }
  X509_STORE_CTX_set_verify_cb(ctx.get(), collectErrors);
  X509_STORE_CTX_set_app_data(ctx.get(), &errors);
  if (X509_verify_cert(ctx.get()) < 0 && errors.empty()) {
    // An internal failure that never reached the callback.
    errors.emplace_back(SslError::UnspecifiedError, certificateChain.front());
  }
  ERR_clear_error();

  if (!hostName.empty() && !matchesHost(leaf, hostName)) {
    addUnique(&errors, SslError(SslError::HostNameMismatch, certificateChain.front()));
  }
  return errors;
}

bool Certificate::importPkcs12(const ByteArray& data, Key* key, Certificate* certificate,
                               std::vector<Certificate>* caCertificates,
                               const ByteArray& passPhrase) {
  if (key == nullptr || certificate == nullptr || data.empty()) return false;
  auto bio = detail::memoryBio(data);
  if (!bio) return false;
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(d2i_PKCS12_bio(bio.get(), nullptr),
                                                      PKCS12_free);
  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_ca = nullptr;
  // A passphrase with an embedded NUL cannot be passed to PKCS12_parse.
  const bool usable = passPhrase.find('\0') == ByteArray::npos;
  const bool parsed = p12 && usable &&
                      PKCS12_parse(p12.get(), passPhrase.c_str(), &raw_key, &raw_cert, &raw_ca) == 1;
  ERR_clear_error();
  OsslPtr<EVP_PKEY> owned_key(raw_key);
  OsslPtr<X509> owned_cert(raw_cert);
  std::unique_ptr<STACK_OF(X509), OwningStackDeleter> owned_ca(raw_ca);
  if (!parsed || !owned_key || !owned_cert) return false;

  *key = Key::fromHandle(owned_key.get(), KeyType::PrivateKey);
  *certificate = Certificate::fromHandle(owned_cert.get());
  if (caCertificates != nullptr) {
    caCertificates->clear();
    for (int i = 0; owned_ca && i < sk_X509_num(owned_ca.get()); ++i) {
      caCertificates->push_back(Certificate::fromHandle(sk_X509_value(owned_ca.get(), i)));
    }
  }
  return true;
}

}  // namespace dtls
