#include "required_features.h"

namespace dtls::detail {

std::vector<RequiredFeature> requiredFeatures(const Configuration& config, SslMode mode,
                                              bool psk) {
  const bool server = mode == SslMode::SslServerMode;
  std::vector<RequiredFeature> needed;
  if (config.protocol() == SslProtocol::DtlsV1_0)
    needed.push_back({SupportedFeature::DtlsV1_0, "protocol DtlsV1_0"});
  if (!config.backendConfiguration().empty())
    needed.push_back({SupportedFeature::BackendConfiguration, "setBackendConfiguration()"});
  if (config.handshakeMustInterruptOnError())
    needed.push_back({SupportedFeature::InterruptOnVerificationError,
                      "setHandshakeMustInterruptOnError(true)"});
  if (config.peerVerifyDepth() != 0)
    needed.push_back({SupportedFeature::PeerVerifyDepth, "setPeerVerifyDepth()"});
  if (server && config.diffieHellmanParameters() != DiffieHellmanParameters::defaultParameters())
    needed.push_back({SupportedFeature::DiffieHellmanParameters, "setDiffieHellmanParameters()"});
  if (!config.allowedNextProtocols().empty())
    needed.push_back({server ? SupportedFeature::ServerSideAlpn : SupportedFeature::ClientSideAlpn,
                      "setAllowedNextProtocols()"});
  if (server && config.testSslOption(SslOption::SslOptionDisableServerCipherPreference))
    needed.push_back({SupportedFeature::ClientCipherPreference,
                      "SslOptionDisableServerCipherPreference"});
  if (psk) needed.push_back({SupportedFeature::Psk, "setPskRequiredCallback()"});
  if (server && psk && !config.preSharedKeyIdentityHint().empty())
    needed.push_back({SupportedFeature::PskIdentityHint, "setPreSharedKeyIdentityHint()"});
  if (!server && !config.sessionTicket().empty() &&
      !config.testSslOption(SslOption::SslOptionDisableSessionPersistence))
    needed.push_back({SupportedFeature::SessionTicket, "setSessionTicket()"});
  return needed;
}

}  // namespace dtls::detail
