// Private: the HelloVerifyRequest (RFC 6347 §4.2.1) of the backends whose ClientVerifier writes
// it itself (mbedTLS, wolfSSL). What the cookie is stays per backend.
#pragma once

#include <string_view>

#include "dtls/ssl.h"
#include "first_hello.h"

namespace dtls::detail {

// A HelloVerifyRequest (version DTLS 1.0, as RFC 6347 §4.2.1 recommends) answering `hello`: the
// record sequence number and message_seq of the ClientHello, and `cookie`.
ByteArray helloVerifyRequest(const FirstHello& hello, std::string_view cookie);

}  // namespace dtls::detail
