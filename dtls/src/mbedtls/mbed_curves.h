// Private: mbedTLS's curves by OpenSSL's short names (RFC 8422 §5.1.1, RFC 7027), the names
// dtls::EllipticCurve uses.
#pragma once

#include <mbedtls/ecp.h>

#include <optional>
#include <string_view>

namespace dtls::detail {

std::optional<mbedtls_ecp_group_id> mbedtlsCurve(std::string_view openssl_name);
// Null for a group OpenSSL does not name.
const char* opensslCurveName(mbedtls_ecp_group_id group);

}  // namespace dtls::detail
