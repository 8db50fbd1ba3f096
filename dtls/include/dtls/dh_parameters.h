// dtls/dh_parameters.h — finite-field Diffie-Hellman group parameters for the DHE suites (the
// role of QSslDiffieHellmanParameters).
//
// A value holds the PKCS#3 DHparams DER (SEQUENCE { prime p, generator g }) that passed
// validation, or an error saying why the input was refused. An empty instance (default
// constructed) set on a Configuration disables DHE key exchange.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "dtls/ssl.h"

namespace dtls {

class DiffieHellmanParameters {
 public:
  // Same values as QSslDiffieHellmanParameters::Error.
  enum Error : int {
    NoError = 0,
    InvalidInputDataError = 1,  // not decodable as PKCS#3 DH parameters in the given format
    UnsafeParametersError = 2,  // decodable, but refused by the safety checks of fromEncoded
  };

  // An empty instance: isEmpty() and isValid() are true, error() is NoError, encoded() is empty.
  DiffieHellmanParameters() = default;

  // The 2048-bit MODP group of RFC 3526 §3 (group 14, generator 2), embedded in the library.
  // Always valid.
  static DiffieHellmanParameters defaultParameters();

  // Decodes and validates `encoded`:
  //   Pem: a "-----BEGIN DH PARAMETERS-----" block (text before/after the block is ignored;
  //        the first PEM block must be DH PARAMETERS).
  //   Der: exactly one DER-encoded PKCS#3 DHparams, no trailing bytes.
  // Validation: p must have 1024 to 10000 bits (smaller groups are open to precomputation,
  // Logjam / CVE-2015-4000; OpenSSL refuses larger ones, OPENSSL_DH_MAX_MODULUS_BITS), then
  // OpenSSL 3.0's EVP_PKEY_param_check (DH_check): p prime, p a safe prime ((p-1)/2 prime),
  // 1 < g < p-1. Known named groups (RFC 3526, RFC 7919) pass as such.
  // Errors (error()/errorString(), and the result is neither empty nor valid):
  //   InvalidInputDataError: empty input, no DH PARAMETERS PEM block, bad base64, bad DER,
  //                          trailing bytes after the DER;
  //   UnsafeParametersError: the checks above failed; errorString() says which, with OpenSSL's
  //                          reason ("... deemed unsafe: check p not safe prime").
  // Leaves OpenSSL's error queue of the calling thread as it found it.
  static DiffieHellmanParameters fromEncoded(const ByteArray& encoded,
                                             EncodingFormat format = EncodingFormat::Pem);

  DiffieHellmanParameters(const DiffieHellmanParameters&) = default;
  DiffieHellmanParameters(DiffieHellmanParameters&&) noexcept = default;
  DiffieHellmanParameters& operator=(const DiffieHellmanParameters&) = default;
  DiffieHellmanParameters& operator=(DiffieHellmanParameters&&) noexcept = default;
  ~DiffieHellmanParameters() = default;

  void swap(DiffieHellmanParameters& other) noexcept;

  // True for a default-constructed instance only (no parameters and no error).
  bool isEmpty() const { return der_.empty() && error_ == NoError; }

  // True when error() == NoError: an empty instance or parameters that passed validation.
  bool isValid() const { return error_ == NoError; }

  Error error() const { return error_; }

  // "No error", or what was wrong with which input, e.g.
  // "Invalid input data: no PEM block 'DH PARAMETERS' found" or
  // "The given Diffie-Hellman parameters are deemed unsafe: prime of 512 bits, at least 1024 required".
  const std::string& errorString() const { return errorString_; }

  // The validated parameters as canonical PKCS#3 DHparams DER (re-encoded by OpenSSL, so PEM
  // and DER inputs of the same group give the same bytes). Empty when isEmpty() or !isValid().
  // For the connection code (d2i_KeyParams(EVP_PKEY_DH, ...)) and for storage.
  const ByteArray& encoded() const { return der_; }

  // Equal when encoded() and error() are equal (the error text is not compared).
  friend bool operator==(const DiffieHellmanParameters& a, const DiffieHellmanParameters& b) {
    return a.error_ == b.error_ && a.der_ == b.der_;
  }
  friend bool operator!=(const DiffieHellmanParameters& a, const DiffieHellmanParameters& b) {
    return !(a == b);
  }

 private:
  ByteArray der_;
  Error error_ = NoError;
  std::string errorString_ = "No error";
};

inline void swap(DiffieHellmanParameters& a, DiffieHellmanParameters& b) noexcept { a.swap(b); }

}  // namespace dtls

template <> struct std::hash<dtls::DiffieHellmanParameters> {
  std::size_t operator()(const dtls::DiffieHellmanParameters& p) const noexcept {
    return std::hash<std::string>()(p.encoded()) ^ static_cast<std::size_t>(p.error());
  }
};
