// Private: OpenSSL's X509_V_ERR_* verification codes as SslError codes.
#pragma once

#include <dtls/ssl_error.h>

namespace dtls {

// The SslError code for an X509_V_ERR_* value as given by X509_STORE_CTX_get_error (called
// from a verify callback). X509_V_OK gives NoError; a code with no SslError counterpart gives
// UnspecifiedError. The mapping follows Qt's OpenSSL backend, plus the host-name, IP and
// issuer-mismatch codes that Qt checks by other means.
SslError::Error errorFromX509VerifyCode(int x509_v_err);

}  // namespace dtls
