#include "dtls/elliptic_curve.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <vector>

#include "ossl_ptr.h"

namespace dtls {
namespace {

// NIDs of the elliptic curves OpenSSL can do key exchange with: its built-in EC curves plus the
// RFC 7748 curves, which are separate key types (not in EC_get_builtin_curves). Sorted.
const std::vector<int>& curveNids() {
  static const std::vector<int> nids = [] {
    std::vector<int> result = {NID_X25519, NID_X448};
    const size_t count = EC_get_builtin_curves(nullptr, 0);
    std::vector<EC_builtin_curve> builtin(count);
    if (EC_get_builtin_curves(builtin.data(), count) == count) {
      for (const EC_builtin_curve& curve : builtin) result.push_back(curve.nid);
    }
    std::sort(result.begin(), result.end());
    return result;
  }();
  return nids;
}

bool isCurveNid(int nid) {
  const auto& nids = curveNids();
  return nid != NID_undef && std::binary_search(nids.begin(), nids.end(), nid);
}

// The curves of curveNids() that have a TLS group code point: OpenSSL's SSL_CTX_set1_groups
// maps each NID through its group table (ssl/t1_lib.c) and refuses one without a code point.
const std::vector<int>& tlsGroupNids() {
  static const std::vector<int> nids = [] {
    std::vector<int> result;
    ERR_set_mark();
    detail::OsslPtr<SSL_CTX> ctx(SSL_CTX_new(TLS_method()));
    for (int nid : curveNids()) {
      if (ctx && SSL_CTX_set1_groups(ctx.get(), &nid, 1) == 1) result.push_back(nid);
    }
    ERR_pop_to_mark();
    return result;  // sorted, as curveNids() is
  }();
  return nids;
}

}  // namespace

EllipticCurve EllipticCurve::fromShortName(const std::string& name) {
  if (name.empty()) return EllipticCurve();
  int nid = OBJ_sn2nid(name.c_str());
  if (nid == NID_undef) nid = EC_curve_nist2nid(name.c_str());
  return isCurveNid(nid) ? EllipticCurve(nid) : EllipticCurve();
}

EllipticCurve EllipticCurve::fromLongName(const std::string& name) {
  if (name.empty()) return EllipticCurve();
  const int nid = OBJ_ln2nid(name.c_str());
  return isCurveNid(nid) ? EllipticCurve(nid) : EllipticCurve();
}

std::string EllipticCurve::shortName() const {
  const char* name = isValid() ? OBJ_nid2sn(id_) : nullptr;
  return name != nullptr ? name : "";
}

std::string EllipticCurve::longName() const {
  const char* name = isValid() ? OBJ_nid2ln(id_) : nullptr;
  return name != nullptr ? name : "";
}

bool EllipticCurve::isTlsNamedCurve() const {
  const auto& nids = tlsGroupNids();
  return isValid() && std::binary_search(nids.begin(), nids.end(), id_);
}

}  // namespace dtls
