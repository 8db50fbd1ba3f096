#include "mbed_ephemeral_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

#include "mbed_curves.h"
#include "ossl_ptr.h"

namespace dtls::detail {

namespace {

// RFC 7748 curves have raw public keys; the others an uncompressed point (SEC 1 §2.3.3).
EVP_PKEY* opensslKey(mbedtls_ecp_group_id group, const unsigned char* point, std::size_t bytes) {
  if (group == MBEDTLS_ECP_DP_CURVE25519)
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point, bytes);
  if (group == MBEDTLS_ECP_DP_CURVE448)
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X448, nullptr, point, bytes);
  const char* name = opensslCurveName(group);
  if (name == nullptr) return nullptr;
  const std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(
      OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, name, 0) != 1 ||
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

Key ephemeralPeerKey(const mbedtls_ecdh_context& ecdh) {
  const mbedtls_ecp_group_id group = ecdh.grp.id;
  if (group == MBEDTLS_ECP_DP_NONE) return Key();
  unsigned char point[MBEDTLS_ECP_MAX_PT_LEN];
  std::size_t bytes = 0;
  if (mbedtls_ecp_point_write_binary(&ecdh.grp, &ecdh.Qp, MBEDTLS_ECP_PF_UNCOMPRESSED, &bytes,
                                     point, sizeof point) != 0)
    return Key();
  EVP_PKEY* key = opensslKey(group, point, bytes);
  if (key == nullptr) return Key();
  Key value = Key::fromHandle(key, KeyType::PublicKey);
  EVP_PKEY_free(key);
  return value;
}

}  // namespace dtls::detail
