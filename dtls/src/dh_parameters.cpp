#include "dtls/dh_parameters.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cassert>
#include <memory>
#include <utility>

#include "ossl_ptr.h"

namespace dtls {
namespace {

// RFC 3526 §3, the 2048-bit MODP group (group 14): p = 2^2048 - 2^1984 - 1 +
// 2^64 * { [2^1918 pi] + 124476 }, g = 2, as PKCS#3 DHparams DER in PEM. The prime is the RFC's
// hex (FFFFFFFF FFFFFFFF C90FDAA2 ... 8AACAA68 FFFFFFFF FFFFFFFF); the test checks it against
// OpenSSL's BN_get_rfc3526_prime_2048.
constexpr char kRfc3526Group14Pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIIBCAKCAQEA///////////JD9qiIWjCNMTGYouA3BzRKQJOCIpnzHQCC76mOxOb\n"
    "IlFKCHmONATd75UZs806QxswKwpt8l8UN0/hNW1tUcJF5IW1dmJefsb0TELppjft\n"
    "awv/XLb0Brft7jhr+1qJn6WunyQRfEsf5kkoZlHs5Fs9wgB8uKFjvwWY2kg2HFXT\n"
    "mmkWP6j9JM9fg2VdI9yjrZYcYvNWIIVSu57VKQdwlpZtZww1Tkq8mATxdGwIyhgh\n"
    "fDKQXkYuNs474553LBgOhgObJ4Oi7Aeij7XFXfBvTFLJ3ivL9pVYFxg5lUl86pVq\n"
    "5RXSJhiY+gUQFXKOWoqsqmj//////////wIBAg==\n"
    "-----END DH PARAMETERS-----\n";

// Smaller primes are within reach of precomputation attacks (Logjam, CVE-2015-4000); Qt refuses
// them too. Larger ones than OpenSSL's OPENSSL_DH_MAX_MODULUS_BITS are refused by OpenSSL at
// key generation, and checking them would take seconds.
constexpr int kMinimumPrimeBits = 1024;
constexpr int kMaximumPrimeBits = 10000;
static_assert(kMinimumPrimeBits < kMaximumPrimeBits);

constexpr char kInvalidPrefix[] = "Invalid input data: ";
constexpr char kUnsafePrefix[] = "The given Diffie-Hellman parameters are deemed unsafe: ";

struct OpenSslFree {
  void operator()(void* p) const { OPENSSL_free(p); }
};

// The reason of the newest error on OpenSSL's queue ("check p not safe prime"), or `fallback`.
std::string lastOpenSslReason(const char* fallback) {
  const char* reason = ERR_reason_error_string(ERR_peek_last_error());
  return reason != nullptr ? reason : fallback;
}

// Restores OpenSSL's error queue of this thread to what it was on entry, so that validation
// failures here never show up as the error of a later, unrelated OpenSSL call.
class ErrorQueueMark {
 public:
  ErrorQueueMark() { ERR_set_mark(); }
  ~ErrorQueueMark() { ERR_pop_to_mark(); }
  ErrorQueueMark(const ErrorQueueMark&) = delete;
  ErrorQueueMark& operator=(const ErrorQueueMark&) = delete;
};

// The DER of the first PEM block of `pem` if it is "DH PARAMETERS"; otherwise an error text.
bool pemToDer(const ByteArray& pem, ByteArray* der, std::string* error) {
  detail::OsslPtr<BIO> bio = detail::memoryBio(pem);
  char* rawName = nullptr;
  char* rawHeader = nullptr;
  unsigned char* rawData = nullptr;
  long length = 0;
  const int ok = bio ? PEM_read_bio(bio.get(), &rawName, &rawHeader, &rawData, &length) : 0;
  std::unique_ptr<char, OpenSslFree> name(rawName);
  std::unique_ptr<char, OpenSslFree> header(rawHeader);
  std::unique_ptr<unsigned char, OpenSslFree> data(rawData);
  if (ok != 1) {
    *error = "no PEM block found (bad BEGIN/END lines or base64)";
    return false;
  }
  if (std::string(rawName) != PEM_STRING_DHPARAMS) {
    *error = std::string("PEM block is '") + rawName + "', expected '" PEM_STRING_DHPARAMS "'";
    return false;
  }
  der->assign(reinterpret_cast<const char*>(rawData), static_cast<size_t>(length));
  return true;
}

// Decodes exactly one PKCS#3 DHparams from `der`; null and an error text otherwise.
detail::OsslPtr<EVP_PKEY> decodeDer(const ByteArray& der, std::string* error) {
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* cursor = begin;
  detail::OsslPtr<EVP_PKEY> pkey(
      d2i_KeyParams(EVP_PKEY_DH, nullptr, &cursor, static_cast<long>(der.size())));
  if (!pkey) {
    *error = "not a DER-encoded PKCS#3 DHparams structure";
    return nullptr;
  }
  const auto consumed = static_cast<size_t>(cursor - begin);
  if (consumed != der.size()) {
    *error = std::to_string(der.size() - consumed) + " trailing bytes after the DHparams DER";
    return nullptr;
  }
  return pkey;
}

// Empty when `pkey` is safe to use, else why not.
std::string unsafeReason(EVP_PKEY* pkey) {
  const int bits = EVP_PKEY_get_bits(pkey);
  if (bits < kMinimumPrimeBits) {
    return "prime of " + std::to_string(bits) + " bits, at least " +
           std::to_string(kMinimumPrimeBits) + " required";
  }
  if (bits > kMaximumPrimeBits) {
    return "prime of " + std::to_string(bits) + " bits, at most " +
           std::to_string(kMaximumPrimeBits) + " allowed";
  }
  // DH_check via the provider: p prime, (p-1)/2 prime (safe prime), 1 < g < p-1; named groups
  // (RFC 3526, RFC 7919) are accepted as such.
  detail::OsslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx) return "cannot check them: " + lastOpenSslReason("EVP_PKEY_CTX_new_from_pkey failed");
  if (EVP_PKEY_param_check(ctx.get()) != 1) return lastOpenSslReason("parameter check failed");
  return {};
}

}  // namespace

DiffieHellmanParameters DiffieHellmanParameters::defaultParameters() {
  static const DiffieHellmanParameters parameters = fromEncoded(kRfc3526Group14Pem);
  assert(parameters.isValid() && !parameters.isEmpty());
  return parameters;
}

DiffieHellmanParameters DiffieHellmanParameters::fromEncoded(const ByteArray& encoded,
                                                             EncodingFormat format) {
  ErrorQueueMark mark;
  DiffieHellmanParameters result;
  std::string reason;
  ByteArray der;
  detail::OsslPtr<EVP_PKEY> pkey;
  if (encoded.empty()) {
    reason = "empty input";
  } else if (format == EncodingFormat::Pem && !pemToDer(encoded, &der, &reason)) {
    // reason set
  } else {
    pkey = decodeDer(format == EncodingFormat::Pem ? der : encoded, &reason);
  }
  if (!pkey) {
    result.error_ = InvalidInputDataError;
    result.errorString_ = kInvalidPrefix + reason;
    return result;
  }
  reason = unsafeReason(pkey.get());
  if (!reason.empty()) {
    result.error_ = UnsafeParametersError;
    result.errorString_ = kUnsafePrefix + reason;
    return result;
  }
  unsigned char* canonical = nullptr;
  const int length = i2d_KeyParams(pkey.get(), &canonical);
  std::unique_ptr<unsigned char, OpenSslFree> owner(canonical);
  if (length <= 0) {
    result.error_ = InvalidInputDataError;
    result.errorString_ = std::string(kInvalidPrefix) + "cannot re-encode the parameters: " +
                          lastOpenSslReason("i2d_KeyParams failed");
    return result;
  }
  result.der_.assign(reinterpret_cast<const char*>(canonical), static_cast<size_t>(length));
  return result;
}

void DiffieHellmanParameters::swap(DiffieHellmanParameters& other) noexcept {
  using std::swap;
  swap(der_, other.der_);
  swap(error_, other.error_);
  swap(errorString_, other.errorString_);
}

}  // namespace dtls
