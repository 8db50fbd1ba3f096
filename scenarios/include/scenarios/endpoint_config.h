// scenarios/endpoint_config.h — an endpoint's DtlsConfig as a dtls::Configuration, plus the
// name <-> enum tables scenario files, expectations and traces use.
//
// Names are the enumerators' names as dtls::toString / SslError::toString print them
// ("DtlsV1_2OrLater", "VerifyPeer", "TlsFatalError", "HandshakeComplete",
// "CertificateExpired"), case-sensitive.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/configuration.h"
#include "dtls/connection.h"
#include "dtls/ssl.h"
#include "dtls/ssl_error.h"
#include "dtlsim/scenario.pb.h"
#include "scenarios/scenario_file.h"

namespace scenarios {

// ---- Names ----------------------------------------------------------------------------------

std::optional<dtls::SslProtocol> sslProtocolFromName(std::string_view name);
std::optional<dtls::PeerVerifyMode> peerVerifyModeFromName(std::string_view name);
std::optional<dtls::DtlsError> dtlsErrorFromName(std::string_view name);
std::optional<dtls::Connection::HandshakeState> handshakeStateFromName(std::string_view name);
std::optional<dtls::SslError::Error> sslErrorFromName(std::string_view name);
// "HandshakeNotStarted", ..., "HandshakeComplete"; "Unknown" outside the enum.
const char* handshakeStateName(dtls::Connection::HandshakeState state);

// The valid names of each table, comma-separated in enum order, for error messages. Every
// enumerator is accepted and listed except SslProtocol::UnknownProtocol (not a setting).
std::string sslProtocolNames();
std::string peerVerifyModeNames();
std::string dtlsErrorNames();
std::string handshakeStateNames();
std::string sslErrorNames();

// Decodes hex text (upper or lower case, even length, no separators); false on anything else.
bool hexDecode(std::string_view hex, dtls::ByteArray* out);

// ---- Configuration --------------------------------------------------------------------------

// Builds the Configuration of endpoint `endpoint_index` from its DtlsConfig:
// Configuration::defaultDtlsConfiguration() with
//  - CA certificates replaced by those in ca_certificates (none → an empty list: the system
//    store is never used, so runs do not depend on the machine);
//  - protocol (empty → DtlsV1_2OrLater);
//  - certificate_chain (Certificate::fromPath: leaf first) and private_key (tried as Ec, Rsa,
//    then Opaque, with private_key_passphrase);
//  - verify_mode (empty → AutoVerifyPeer), verify_depth; ciphers via setCiphers (empty →
//    defaults); curves via EllipticCurve::fromShortName; psk.identity_hint; alpn;
//  - disable_cookies → setDtlsCookieVerificationEnabled(false);
//  - session_persistence → SslOptionDisableSessionPersistence off;
//  - missing_certificate_is_fatal; backend_options (setBackendConfigurationOption).
// verify_name, mtu_hint_bytes, psk identity/key and ignore_errors are not Configuration
// settings: the World applies them to the Connection (see the helpers below).
// Returns false with "file:line:col: endpoints[i].dtls.<field>: <what>" for a file that cannot
// be read or holds no certificate / no key usable with the passphrase, an unknown protocol,
// verify mode, cipher or curve, or an index out of range. *out is unchanged on failure.
bool buildConfiguration(const LoadedScenario& loaded, int endpoint_index,
                        dtls::Configuration* out, std::string* error);

// The SslError codes in ignore_errors, in order. Unknown names (refused by validateScenario)
// are skipped.
std::vector<dtls::SslError::Error> ignoredErrors(const dtlsim::DtlsConfig& dtls);
// psk.key_hex decoded; empty when unset or not valid hex (refused by validateScenario).
dtls::ByteArray pskKey(const dtlsim::DtlsConfig& dtls);

}  // namespace scenarios
