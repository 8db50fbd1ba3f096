#include "ephemeral_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "dtls/wire/record.h"
#include "ossl_ptr.h"

namespace dtls::detail {

namespace {

// RFC 8422 §5.1.1 and RFC 7027 NamedCurve code points, by OpenSSL's short names.
const char* opensslGroupOf(std::uint16_t named_curve) {
  switch (named_curve) {
    case 22: return "secp256k1";
    case 23: return "prime256v1";
    case 24: return "secp384r1";
    case 25: return "secp521r1";
    case 26: return "brainpoolP256r1";
    case 27: return "brainpoolP384r1";
    case 28: return "brainpoolP512r1";
    case 29: return "X25519";
    case 30: return "X448";
    default: return nullptr;
  }
}

using ParamBuild = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;

// A public key of OpenSSL's `type` ("EC", "DH") from the parameters in `build`; null if refused.
EVP_PKEY* publicKeyFrom(const char* type, OSSL_PARAM_BLD* build) {
  const std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build), OSSL_PARAM_free);
  OsslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  return key;
}

EVP_PKEY* opensslKey(const char* group, const unsigned char* point, std::size_t bytes) {
  if (std::strcmp(group, "X25519") == 0)
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point, bytes);
  if (std::strcmp(group, "X448") == 0)
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X448, nullptr, point, bytes);
  const ParamBuild build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point, bytes) != 1)
    return nullptr;
  return publicKeyFrom("EC", build.get());
}

}  // namespace

Key ephemeralKeyFromPoint(const char* openssl_group, const unsigned char* point,
                          std::size_t bytes) {
  if (openssl_group == nullptr) return Key();
  EVP_PKEY* key = opensslKey(openssl_group, point, bytes);
  if (key == nullptr) return Key();
  Key value = Key::fromHandle(key, KeyType::PublicKey);
  EVP_PKEY_free(key);
  return value;
}

Key ephemeralKeyFromDh(const ByteArray& p, const ByteArray& g, const ByteArray& y) {
  auto bn = [](const ByteArray& bytes) {
    return OsslPtr<BIGNUM>(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()), nullptr));
  };
  const OsslPtr<BIGNUM> bp = bn(p), bg = bn(g), by = bn(y);
  const ParamBuild build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!bp || !bg || !by || !build ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_FFC_P, bp.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_FFC_G, bg.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_PUB_KEY, by.get()) != 1)
    return Key();
  EVP_PKEY* key = publicKeyFrom("DH", build.get());
  if (key == nullptr) return Key();
  Key value = Key::fromHandle(key, KeyType::PublicKey);
  EVP_PKEY_free(key);
  return value;
}

Key ephemeralKeyFromServerKeyExchange(const ByteArray& body, const std::string& kx) {
  std::string_view rest(body);
  // An opaque<..2^16-1> field; false if the body ends first.
  auto vector16 = [&rest](ByteArray* out) {
    if (rest.size() < 2) return false;
    const std::size_t n = static_cast<unsigned char>(rest[0]) << 8 |
                          static_cast<unsigned char>(rest[1]);
    if (rest.size() < 2 + n) return false;
    if (out != nullptr) out->assign(rest.substr(2, n));
    rest.remove_prefix(2 + n);
    return true;
  };
  if (kx == "ECDHEPSK" || kx == "DHEPSK") {
    if (!vector16(nullptr)) return Key();  // psk_identity_hint
  }
  if (kx == "DH" || kx == "DHEPSK") {
    ByteArray p, g, y;
    if (!vector16(&p) || !vector16(&g) || !vector16(&y)) return Key();
    return ephemeralKeyFromDh(p, g, y);
  }
  if (kx != "ECDH" && kx != "ECDHEPSK") return Key();
  constexpr std::uint8_t kNamedCurve = 3;  // ECCurveType named_curve
  const auto* at = reinterpret_cast<const unsigned char*>(rest.data());
  if (rest.size() < 4 || at[0] != kNamedCurve) return Key();
  const std::size_t point_bytes = at[3];
  if (point_bytes == 0 || rest.size() < 4 + point_bytes) return Key();
  const auto named_curve = static_cast<std::uint16_t>(at[1] << 8 | at[2]);
  return ephemeralKeyFromPoint(opensslGroupOf(named_curve), at + 4, point_bytes);
}

Key ServerKeyExchangeCollector::key(const std::string& kx) const {
  if (!started_ || missing_ != 0) return Key();
  return ephemeralKeyFromServerKeyExchange(body_, kx);
}

void ServerKeyExchangeCollector::take(const ByteArray& datagram) {
  constexpr std::uint8_t kServerKeyExchange = 12;  // RFC 5246 §7.4
  constexpr std::uint32_t kMaxServerKeyExchangeBytes = 16384;
  if (started_ && missing_ == 0) return;
  const wire::DecodedDatagram decoded = wire::decodeDatagram(datagram);
  for (const wire::Record& record : decoded.records) {
    for (const wire::HandshakeMessage& m : record.handshake_messages) {
      // Any peer (or a forger) can claim a 16 MB message; an ECDHE ServerKeyExchange is a few
      // hundred bytes, DHE's a few KB.
      if (m.msg_type != kServerKeyExchange || m.length > kMaxServerKeyExchangeBytes) continue;
      if (!started_) {
        started_ = true;
        message_seq_ = m.message_seq;
        body_.assign(m.length, '\0');
        have_.assign(m.length, false);
        missing_ = m.length;
      }
      // A fragment of another message or length is not this message's: the decoder checked
      // that each fragment fits its own length.
      if (m.message_seq != message_seq_ || m.length != body_.size()) continue;
      for (std::size_t i = 0; i < m.fragment_length; ++i) {
        const std::size_t at = m.fragment_offset + i;
        if (have_[at]) continue;
        have_[at] = true;
        body_[at] = m.body[i];
        --missing_;
      }
    }
  }
}

}  // namespace dtls::detail
