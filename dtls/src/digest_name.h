// Private: OpenSSL's name for each DigestAlgorithm ("SHA256"), nullptr for none.
#pragma once

#include "dtls/certificate.h"

namespace dtls::detail {
const char* digestName(DigestAlgorithm algorithm);
}  // namespace dtls::detail
