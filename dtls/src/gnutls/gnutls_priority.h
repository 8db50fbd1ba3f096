// Private: a Configuration's protocols, cipher suites and curves as a GnuTLS priority string.
#pragma once

#include <gnutls/gnutls.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dtls/configuration.h"

namespace dtls::detail {

struct GnutlsPriority {
  std::string text;                    // for gnutls_priority_init
  std::vector<std::uint16_t> suites;   // the configured suites GnuTLS implements, IANA ids
};

// Builds the priority string from NONE, so no system keyword (@SYSTEM) and none of GnuTLS's
// defaults enters it. GnuTLS 3.7 names key exchanges, ciphers and MACs separately and enables
// their cross product: a configuration whose suites differ in more than one part also enables
// suites it does not list. The connection therefore checks the negotiated suite against
// `suites` after the handshake. A suite GnuTLS does not implement is left out (as OpenSSL
// leaves out what it cannot use); none left, an unknown curve or a TLS protocol is an error.
bool gnutlsPriority(const Configuration& config, bool server, GnutlsPriority* out,
                    std::string* error);

// The IANA id of the suite `session` negotiated; 0 if unknown.
std::uint16_t negotiatedSuiteId(gnutls_session_t session);

}  // namespace dtls::detail
