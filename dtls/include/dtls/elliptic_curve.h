// dtls/elliptic_curve.h — an elliptic curve by its OpenSSL NID (the role of QSslEllipticCurve).
//
// Used to restrict the key-exchange groups of a Configuration (setEllipticCurves). The value is
// just the NID; names are looked up in OpenSSL's object table each time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace dtls {

class EllipticCurve {
 public:
  // An invalid curve (id() == 0).
  constexpr EllipticCurve() noexcept = default;

  // The curve whose OpenSSL short name is `name`: "prime256v1", "secp384r1", "secp521r1",
  // "X25519", "X448", "brainpoolP256r1", ... NIST names ("P-256", "P-384") are accepted too.
  // Names are case-sensitive, as OpenSSL's object table is.
  // Errors: an unknown name, or the name of an object that is not an elliptic curve OpenSSL can
  // do key exchange with (e.g. "sha256", "ffdhe2048", "ED25519"), gives an invalid curve.
  static EllipticCurve fromShortName(const std::string& name);

  // As fromShortName, with OpenSSL's long name: "X9.62/SECG curve over a 256 bit prime field"
  // (prime256v1), "NIST/SECG curve over a 384 bit prime field" (secp384r1), "X25519", ...
  static EllipticCurve fromLongName(const std::string& name);

  // OpenSSL's short / long name of the curve; empty for an invalid curve.
  std::string shortName() const;
  std::string longName() const;

  // The OpenSSL NID (NID_X9_62_prime256v1, NID_X25519, ...); 0 when invalid. For private code
  // that hands the curve to OpenSSL (SSL_CTX_set1_groups).
  constexpr int id() const noexcept { return id_; }

  // True when the curve names an elliptic curve OpenSSL 3.0 knows: one of EC_get_builtin_curves()
  // or X25519 / X448.
  constexpr bool isValid() const noexcept { return id_ != 0; }

  // True when the curve has a TLS NamedCurve / NamedGroup code point (RFC 4492 §5.1.1, RFC 7027,
  // RFC 8422 §5.1.1: secp256r1 = 23, x25519 = 29, ...) that OpenSSL 3.0 can negotiate. The rule is
  // OpenSSL's own table: the curve is one OpenSSL accepts in SSL_CTX_set1_groups (which maps a
  // NID to its group code point and refuses NIDs without one). So secp256k1 and the sect* curves
  // are named curves; the RFC 5639 brainpool "t1" twists and the X9.62 prime239v* curves are not.
  bool isTlsNamedCurve() const;

  friend constexpr bool operator==(EllipticCurve a, EllipticCurve b) noexcept {
    return a.id_ == b.id_;
  }
  friend constexpr bool operator!=(EllipticCurve a, EllipticCurve b) noexcept {
    return a.id_ != b.id_;
  }

 private:
  constexpr explicit EllipticCurve(int nid) noexcept : id_(nid) {}
  int id_ = 0;
};

}  // namespace dtls

template <> struct std::hash<dtls::EllipticCurve> {
  std::size_t operator()(dtls::EllipticCurve curve) const noexcept {
    return std::hash<int>()(curve.id());
  }
};
