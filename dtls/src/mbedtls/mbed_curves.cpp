#include "mbed_curves.h"

#include <array>

namespace dtls::detail {

namespace {

struct CurveName {
  std::string_view openssl;
  mbedtls_ecp_group_id group;
};

constexpr std::array<CurveName, 9> kCurves{{
    {"prime256v1", MBEDTLS_ECP_DP_SECP256R1},
    {"secp384r1", MBEDTLS_ECP_DP_SECP384R1},
    {"secp521r1", MBEDTLS_ECP_DP_SECP521R1},
    {"X25519", MBEDTLS_ECP_DP_CURVE25519},
    {"X448", MBEDTLS_ECP_DP_CURVE448},
    {"brainpoolP256r1", MBEDTLS_ECP_DP_BP256R1},
    {"brainpoolP384r1", MBEDTLS_ECP_DP_BP384R1},
    {"brainpoolP512r1", MBEDTLS_ECP_DP_BP512R1},
    {"secp256k1", MBEDTLS_ECP_DP_SECP256K1},
}};

}  // namespace

std::optional<mbedtls_ecp_group_id> mbedtlsCurve(std::string_view openssl_name) {
  for (const CurveName& c : kCurves)
    if (c.openssl == openssl_name) return c.group;
  return std::nullopt;
}

const char* opensslCurveName(mbedtls_ecp_group_id group) {
  for (const CurveName& c : kCurves)
    if (c.group == group) return c.openssl.data();
  return nullptr;
}

}  // namespace dtls::detail
