// Private: the OpenSSL engine of a ClientVerifier.
#pragma once

#include <memory>

#include "backend.h"

namespace dtls::detail {

// Uses the OpenSSL library context current on this thread (openssl_context.h).
std::unique_ptr<VerifierEngine> makeOpensslVerifier();

}  // namespace dtls::detail
