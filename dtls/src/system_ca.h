// Private: the operating system's trusted CA certificates, loaded once per process.
#pragma once

#include <vector>

#include "dtls/certificate.h"

namespace dtls::detail {

// OpenSSL's default CA file (SSL_CERT_FILE overrides it, as in OpenSSL) if it holds any
// certificate; else every certificate in the default CA directory (SSL_CERT_DIR overrides it),
// files in name order, duplicates (the directory's hash links) removed. Empty if neither exists.
std::vector<Certificate> systemCaCertificates();

}  // namespace dtls::detail
