// Private: the DHE group of a server's configuration, in the one form every backend imports.
#pragma once

#include <string>

#include "dtls/configuration.h"

namespace dtls::detail {

// The PKCS#3 DHParameter DER of config.diffieHellmanParameters() (defaultParameters() unless
// the application set others). False with `error` when they are not usable: Qt's server then
// fails its handshake rather than serve DHE suites with a group it was not given.
bool serverDhParameters(const Configuration& config, ByteArray* der, std::string* error);

}  // namespace dtls::detail
