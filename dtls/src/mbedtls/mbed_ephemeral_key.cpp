#include "mbed_ephemeral_key.h"

#include "ephemeral_key.h"
#include "mbed_curves.h"

namespace dtls::detail {

Key ephemeralPeerKey(const mbedtls_ecdh_context& ecdh) {
  const mbedtls_ecp_group_id group = ecdh.grp.id;
  if (group == MBEDTLS_ECP_DP_NONE) return Key();
  unsigned char point[MBEDTLS_ECP_MAX_PT_LEN];
  std::size_t bytes = 0;
  if (mbedtls_ecp_point_write_binary(&ecdh.grp, &ecdh.Qp, MBEDTLS_ECP_PF_UNCOMPRESSED, &bytes,
                                     point, sizeof point) != 0)
    return Key();
  return ephemeralKeyFromPoint(opensslCurveName(group), point, bytes);
}

}  // namespace dtls::detail
