// Private: the backend features (dtls/backend.h) a handshake needs, so that a backend lacking
// one fails the first doHandshake() instead of ignoring the setting.
#pragma once

#include <vector>

#include "dtls/backend.h"
#include "dtls/configuration.h"

namespace dtls::detail {

struct RequiredFeature {
  SupportedFeature feature;
  const char* because;  // the setting that needs it, e.g. "setBackendConfiguration()"
};

// The features a handshake in `mode` with `config` needs beyond a plain certificate
// handshake; `psk` says whether the application set a PSK callback. In setting order.
std::vector<RequiredFeature> requiredFeatures(const Configuration& config, SslMode mode,
                                              bool psk);

}  // namespace dtls::detail
