// dtls/cookie.h — the parameters of the stateless cookies a DTLS server uses to check that a
// client owns its address before it spends any state on it (RFC 6347 §4.2.1).
#pragma once

#include "dtls/certificate.h"  // DigestAlgorithm
#include "dtls/ssl.h"

namespace dtls {

// The hash and the secret of the HMAC that makes a cookie from the client's address and port
// (QDtls::GeneratorParameters / QDtlsClientVerifier::GeneratorParameters). A ClientVerifier and
// the Connection that continues a verified handshake must use the same parameters.
struct GeneratorParameters {
  DigestAlgorithm hash = DigestAlgorithm::Sha256;
  ByteArray secret;  // must not be empty; the default is 16 bytes from the CSPRNG

  friend bool operator==(const GeneratorParameters&, const GeneratorParameters&) = default;
};

}  // namespace dtls
