// Private: how a Connection writes the session state of a Configuration, which users can only
// read. Kept out of the public header so the state stays read-only for applications.
#pragma once

#include <vector>

#include "dtls/configuration.h"

namespace dtls::detail {

class TlsContextCache;

struct SessionState {
  Certificate peer_certificate;
  std::vector<Certificate> peer_certificate_chain;
  Cipher session_cipher;
  SslProtocol session_protocol = SslProtocol::UnknownProtocol;
  Key ephemeral_server_key;
  ByteArray next_negotiated_protocol;
  Configuration::NextProtocolNegotiationStatus next_protocol_status =
      Configuration::NextProtocolNegotiationNone;
  ByteArray session_ticket;
  int session_ticket_lifetime_hint_s = -1;
};

struct ConfigurationAccess {
  // Replaces the whole session state of `configuration`.
  static void setSessionState(Configuration& configuration, const SessionState& state);
  // Clears the session state (back to the values of a configuration that never connected).
  static void clearSessionState(Configuration& configuration);
  // The bitwise OR of the enabled SslOption values.
  static unsigned sslOptions(const Configuration& configuration);
  // The SSL_CTXs built from the configuration's data (tls_context.h).
  static TlsContextCache& tlsContexts(const Configuration& configuration);
};

}  // namespace dtls::detail
