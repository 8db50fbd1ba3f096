// Private: applies Configuration::backendConfiguration() to an SSL_CTX through OpenSSL's
// SSL_CONF commands, the same commands an openssl.cnf "ssl_conf" section accepts.
#pragma once

#include <openssl/ssl.h>

#include <map>
#include <string>

#include "dtls/ssl.h"

namespace dtls::detail {

// Applies every option in name order. Returns false at the first option OpenSSL does not know
// or rejects, with `error` naming it and its value, e.g.
//   "backend configuration: unknown option 'NoSuchThing'"
//   "backend configuration: option 'MinProtocol' rejected value 'DTLSv9'".
// Options applied before the failing one stay applied: callers discard the SSL_CTX on failure.
bool applyBackendConfiguration(SSL_CTX* ctx, const std::map<ByteArray, ByteArray>& options,
                               bool server, std::string* error);

}  // namespace dtls::detail
