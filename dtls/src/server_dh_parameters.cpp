#include "server_dh_parameters.h"

namespace dtls::detail {

bool serverDhParameters(const Configuration& config, ByteArray* der, std::string* error) {
  const DiffieHellmanParameters dh = config.diffieHellmanParameters();
  if (!dh.isValid() || dh.encoded().empty()) {
    *error = "invalid Diffie-Hellman parameters: " + dh.errorString();
    return false;
  }
  *der = dh.encoded();
  return true;
}

}  // namespace dtls::detail
