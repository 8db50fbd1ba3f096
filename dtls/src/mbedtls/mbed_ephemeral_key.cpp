#include "mbed_ephemeral_key.h"

#include <mbedtls/ssl_ciphersuites.h>

#include "ephemeral_key.h"
#include "mbed_curves.h"

namespace dtls::detail {

namespace {

Key ecdhPeerKey(const mbedtls_ecdh_context& ecdh) {
  const mbedtls_ecp_group_id group = ecdh.grp.id;
  if (group == MBEDTLS_ECP_DP_NONE) return Key();
  unsigned char point[MBEDTLS_ECP_MAX_PT_LEN];
  std::size_t bytes = 0;
  if (mbedtls_ecp_point_write_binary(&ecdh.grp, &ecdh.Qp, MBEDTLS_ECP_PF_UNCOMPRESSED, &bytes,
                                     point, sizeof point) != 0)
    return Key();
  return ephemeralKeyFromPoint(opensslCurveName(group), point, bytes);
}

ByteArray bigEndian(const mbedtls_mpi& n) {
  ByteArray out(mbedtls_mpi_size(&n), '\0');
  if (mbedtls_mpi_write_binary(&n, reinterpret_cast<unsigned char*>(out.data()), out.size()) != 0)
    return {};
  return out;
}

}  // namespace

Key ephemeralPeerKey(const mbedtls_ssl_handshake_params& handshake) {
  const mbedtls_ssl_ciphersuite_t* suite = handshake.ciphersuite_info;
  if (suite == nullptr) return Key();
  switch (suite->key_exchange) {
    case MBEDTLS_KEY_EXCHANGE_DHE_RSA:
    case MBEDTLS_KEY_EXCHANGE_DHE_PSK: {
      const mbedtls_dhm_context& dhm = handshake.dhm_ctx;
      return ephemeralKeyFromDh(bigEndian(dhm.P), bigEndian(dhm.G), bigEndian(dhm.GY));
    }
    case MBEDTLS_KEY_EXCHANGE_ECDHE_RSA:
    case MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA:
    case MBEDTLS_KEY_EXCHANGE_ECDHE_PSK:
      return ecdhPeerKey(handshake.ecdh_ctx);
    default:
      return Key();
  }
}

}  // namespace dtls::detail
