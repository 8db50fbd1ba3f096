#include "ephemeral_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstdint>
#include <cstring>
#include <memory>

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

EVP_PKEY* opensslKey(const char* group, const unsigned char* point, std::size_t bytes) {
  if (std::strcmp(group, "X25519") == 0)
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point, bytes);
  if (std::strcmp(group, "X448") == 0)
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X448, nullptr, point, bytes);
  const std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(
      OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point, bytes) != 1)
    return nullptr;
  const std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  OsslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  return key;
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

Key ephemeralKeyFromServerKeyExchange(const ByteArray& body) {
  constexpr std::uint8_t kNamedCurve = 3;  // ECCurveType named_curve
  const auto* p = reinterpret_cast<const unsigned char*>(body.data());
  if (body.size() < 4 || p[0] != kNamedCurve) return Key();
  const std::size_t point_bytes = p[3];
  if (point_bytes == 0 || body.size() < 4 + point_bytes) return Key();
  const auto named_curve = static_cast<std::uint16_t>(p[1] << 8 | p[2]);
  return ephemeralKeyFromPoint(opensslGroupOf(named_curve), p + 4, point_bytes);
}

void ServerKeyExchangeCollector::take(const ByteArray& datagram) {
  constexpr std::uint8_t kServerKeyExchange = 12;  // RFC 5246 §7.4
  constexpr std::uint32_t kMaxServerKeyExchangeBytes = 16384;
  if (!key_.isNull() || (started_ && missing_ == 0)) return;
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
  if (started_ && missing_ == 0) key_ = ephemeralKeyFromServerKeyExchange(body_);
}

}  // namespace dtls::detail
