// scenarios/scenario_file.h — loading and validating a scenario file (DESIGN.md §6).
//
// A scenario file is a dtlsim.Scenario in Protobuf text format. Loading parses it, remembers
// where every field was written (SourceLocations), applies no defaults to the message itself
// (they live in the functions at the bottom of this header, in one place) and validates
// everything a World needs before it builds anything: bad input gets one clear error naming
// file:line:column (1-based), the field path and the offending value, e.g.
//   "catalog/lossy.textproto:12:5: network.default_link.loss_probability: 1.5 is outside [0, 1]"
//   "x.textproto:30:7: endpoints[1].server: no endpoint named 'srv'"
//   "x.textproto:4:3: unknown field 'latncy_us' in dtlsim.Link"  (a parse error)
//
// A loaded scenario that passed validation can be handed to configureNetwork
// (network_config.h) and buildConfiguration (endpoint_config.h) without further checks of
// names, addresses, ranges or referenced files.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "dtlsim/scenario.pb.h"

namespace scenarios {

// Where each field of a parsed text-format message was written. Field paths use the proto
// field names, '.' between levels and "[i]" (0-based) for elements of repeated fields:
// "network.default_link.loss_probability", "endpoints[1].dtls.certificate_chain",
// "endpoints[0].dtls.curves[2]". Map entries are indexed like repeated messages
// ("endpoints[0].dtls.backend_options[1]").
class SourceLocations {
 public:
  struct Position {
    int line = 1;    // 1-based
    int column = 1;  // 1-based
  };

  SourceLocations() = default;
  explicit SourceLocations(std::string display_name) : display_name_(std::move(display_name)) {}

  // Records where `field_path` starts (1-based line and column). A later call replaces it.
  void set(const std::string& field_path, int line, int column);
  // True when `field_path` itself was written in the file.
  bool contains(const std::string& field_path) const;
  // The position of `field_path`; when it was not written, that of the nearest enclosing
  // field that was (for "endpoints[1].dtls.verify_depth": "endpoints[1].dtls", then
  // "endpoints[1]"); 1:1 when none was.
  Position find(const std::string& field_path) const;
  // "<display name>:<line>:<column>" of find(field_path).
  std::string at(const std::string& field_path) const;
  // at(field_path) + ": " + field_path + ": " + message — the form of every semantic error.
  std::string error(const std::string& field_path, const std::string& message) const;

  const std::string& displayName() const { return display_name_; }
  std::size_t size() const { return positions_.size(); }

  // Records every position `from` has at `from_prefix` or inside it ("endpoint_groups[0]
  // .endpoint.dtls") under `to_prefix` instead ("endpoints[7].dtls"): an expanded endpoint
  // group's members point at the group's text.
  void copyUnder(const SourceLocations& from, const std::string& from_prefix,
                 const std::string& to_prefix);
  // Forgets the positions of the top-level field `name` (every index) and inside it.
  void forget(const std::string& name);

 private:
  std::string display_name_;
  std::map<std::string, Position> positions_;
};

struct LoadedScenario {
  dtlsim::Scenario scenario;
  // The name errors use: the path as given to loadScenarioFile, or the display name given to
  // parseScenarioText.
  std::string path;
  // Relative paths in the scenario (certificates, keys) are resolved against this directory:
  // the scenario file's directory ("." for a file name without one).
  std::string base_dir;
  SourceLocations locations;

  // `relative` joined to base_dir; an absolute path is returned unchanged.
  std::string resolvePath(const std::string& relative) const;
  // locations.error(field_path, message).
  std::string errorAt(const std::string& field_path, const std::string& message) const {
    return locations.error(field_path, message);
  }
  // The index of the endpoint named `name`, or -1.
  int findEndpoint(const std::string& name) const;
};

// Reads, parses and validates the scenario file at `path`. On success fills *out and returns
// true. On failure returns false, stores one message in *error (if not null) and leaves *out in
// an unspecified but valid state. Errors:
//  - "<path>: cannot read scenario file (<strerror>)": missing or unreadable file, or larger
//    than kMaxScenarioFileBytes;
//  - "<path>:<line>:<col>: <protobuf parser message>": text-format syntax errors, unknown
//    fields or enum values, bad numbers (protobuf's own wording);
//  - every rule of validateScenario.
bool loadScenarioFile(const std::string& path, LoadedScenario* out, std::string* error);

// As loadScenarioFile, on text already in memory; `display_name` prefixes errors and
// `base_dir` resolves relative file references.
bool parseScenarioText(const std::string& text, const std::string& display_name,
                       const std::string& base_dir, LoadedScenario* out, std::string* error);

// Parses the text of a dtlsim.Network alone (what a scenario writes inside `network { }`), for
// a Simulation built in code (simulation.h). Positions go to *locations under "network"
// ("network.rules[0].from"), so the checks made when the simulation starts point into this
// text. Errors: "<display_name>:<line>:<col>: <message>", as for scenario files.
bool parseNetworkText(const std::string& text, const std::string& display_name,
                      dtlsim::Network* out, SourceLocations* locations, std::string* error);

// Checks a parsed scenario (loadScenarioFile and parseScenarioText call it). Returns false with
// the first problem found, checking the sections in this order (scenario fields,
// endpoints, network, actions, expectations, explicit faults). The rules:
//  - max_virtual_time_ms <= kMaxVirtualTimeMs; epoch_unix_s <= kMaxEpochUnixS;
//  - endpoints: at least one; non-empty unique names; address an IPv4/IPv6 literal
//    (dtls::HostAddress), not the unspecified address, multicast or broadcast, without a scope
//    id, and in a form simnet::Address parses; port <= 65535; a server has port != 0; no two
//    endpoints share address:port (endpoints may share an address: they are then on one simnet
//    host); a client's `server` is required and names a SERVER endpoint of the same address
//    family; a server has no `server`, start_ms or ignore_timeouts; start_ms <= max time;
//  - dtls: private_key and certificate_chain come together, a passphrase needs a key;
//    psk.key_hex valid hex (even length); alpn entries 1..255 bytes; ignore_errors SslError
//    names; mtu_hint_bytes 0 or in [68, 65535]; backend_options names non-empty; then
//    everything buildConfiguration checks (endpoint_config.h): protocol / verify_mode names
//    (the message lists the valid names), verify_depth >= 0, files (certificate_chain,
//    private_key, ca_certificates) readable relative to base_dir and holding PEM
//    certificates / a key readable with the passphrase, ciphers (Configuration::setCiphers),
//    curves (EllipticCurve::fromShortName);
//  - links (default and overrides): probabilities in [0, 1] and not NaN; delays <=
//    kMaxDelayUs; jitter kind NONE has no jitter_us, other kinds need jitter_us > 0,
//    pareto_shape only with PARETO and > 0 (NaN refused); burst_loss needs r_bad_to_good > 0
//    and some loss probability > 0; duplicate_copies <= 16, corrupt_bit_flips <= 1024;
//    mtu_bytes 0 or in [68, 65535]; then simnet::validateLinkModel; overrides name two
//    existing endpoints at different addresses of the same family, at most one override per
//    address pair;
//  - partitions: both sides non-empty, existing endpoints, none on both sides; times <= one
//    hour; from_ms < until_ms when until_ms is set; a clog needs until_ms;
//  - rules (a rule that can never match is an error): from/to name existing endpoints at
//    different addresses; both_directions needs from and to; times <= one hour and until_ms >
//    from_ms when set; match_epoch needs a label and epoch in [0, 65535]; epoch > 0 needs
//    match_epoch; action fields only with their action (count: DUPLICATE/CORRUPT, delay_us:
//    DELAY, truncate_to_bytes: TRUNCATE, hold_until_ms: HOLD); DUPLICATE count <= 16, CORRUPT
//    count <= 1024; DELAY needs delay_us in (0, kMaxDelayUs]; TRUNCATE truncate_to_bytes <
//    65507; HOLD needs hold_until_ms after from_ms and <= one hour;
//  - actions: endpoint exists; a kind is set; at_ms <= max virtual time; start and restart
//    only on clients; send has payload xor size_bytes (both <= 65507 bytes), count <= 100000,
//    interval_ms only with count > 1 and <= max time;
//  - expectations: endpoint exists; final_state a HandshakeState name; last_error a DtlsError
//    name; protocol an SslProtocol name; verification_errors SslError names;
//    min_retransmissions <= max_retransmissions; handshake_done_by_ms <= max time and not
//    together with handshake_fails: true;
//  - explicit_faults: decisionsFromProto's rules (decisions_io.h) and copies' delay_us <=
//    kMaxDelayUs.
bool validateScenario(const LoadedScenario& loaded, std::string* error);
// The network section's rules of validateScenario alone (links, partitions, rules), for a
// scenario whose endpoints are only names and addresses: a Simulation's hosts (simulation.h).
bool validateNetwork(const LoadedScenario& loaded, std::string* error);
// Replaces scenario.endpoint_groups by the endpoints, actions and expectations they stand for,
// each where its group stands in the file, with source locations pointing at the group's text
// (parseScenarioText calls it before validateScenario). False with
// "<file>:<line>:<column>: endpoint_groups[g].<field>: <what>" for a group that cannot expand.
bool expandEndpointGroups(LoadedScenario* loaded, std::string* error);

// ---- Backends (dtls/backend.h) -------------------------------------------------------------

// True if a DTLS backend is named `name` ("openssl", "mbedtls", "gnutls", "wolfssl").
bool isKnownBackend(const std::string& name);
// "openssl, mbedtls, gnutls, wolfssl": the valid names, for error messages.
std::string backendNames();
// `dtlsim ... --backend NAME`: every DTLS endpoint whose dtls.backend is empty gets `name`, so
// the scenario (and the trace that copies it) names each endpoint's backend. Error (nothing
// changed): "--backend: unknown backend 'x' (valid: openssl, mbedtls, gnutls, wolfssl)".
bool applyDefaultBackend(LoadedScenario* loaded, const std::string& name, std::string* error);

// The backend of each DTLS role; an empty name leaves that role's endpoints as they are.
struct RoleBackends {
  std::string client;
  std::string server;
};
// `dtlsim ... --client-backend A --server-backend B`, and each cell of `dtlsim matrix`: every
// CLIENT endpoint gets `roles.client` and every SERVER endpoint `roles.server`, including
// endpoints whose scenario names a backend (the point is to put the whole role on one stack;
// a server's ClientVerifier follows its server). NOISE endpoints are not DTLS and keep theirs.
// Errors (nothing changed): "--client-backend: unknown backend 'x' (valid: openssl, mbedtls,
// gnutls, wolfssl)", the same with --server-backend.
bool applyRoleBackends(LoadedScenario* loaded, const RoleBackends& roles, std::string* error);
// "<option>: unknown backend '<name>' (valid: openssl, mbedtls, gnutls, wolfssl)", or empty for a
// known name.
std::string unknownBackendError(const std::string& option, const std::string& name);

// ---- Bounds and defaults (the one documented place) ----------------------------------------

inline constexpr std::size_t kMaxScenarioFileBytes = 4u << 20;
// Every time and delay in a scenario is bounded by one hour of virtual time (bound
// everything: a typo such as latency_us: 50000000000 must not stall a sweep).
inline constexpr std::uint64_t kMaxVirtualTimeMs = 3600ull * 1000;
inline constexpr std::uint64_t kMaxDelayUs = kMaxVirtualTimeMs * 1000;
// 9999-12-31T23:59:59Z: the largest time an X.509 GeneralizedTime can carry.
inline constexpr std::uint64_t kMaxEpochUnixS = 253402300799ull;
// Scenario.max_virtual_time_ms == 0 means this.
inline constexpr std::uint64_t kDefaultMaxVirtualTimeMs = 300000;
// Scenario.epoch_unix_s == 0 means this: 2030-01-01T00:00:00Z.
inline constexpr std::uint64_t kDefaultEpochUnixS = 1893456000;
// The smallest MTU an IPv4 host must accept (RFC 791); Link.mtu_bytes and mtu_hint_bytes
// are 0 or at least this.
inline constexpr std::uint32_t kMinMtuBytes = 68;

// Liveness.bound_ms == 0 means this: two of the longest retransmission periods of the four
// stacks (60-64 s), so a handshake whose timer backed off to the cap gets a retransmission
// through after the faults stop.
inline constexpr std::uint64_t kDefaultLivenessBoundMs = 130000;

// The run's limit in virtual microseconds (max_virtual_time_ms or its default).
std::int64_t maxVirtualTimeUs(const dtlsim::Scenario& scenario);
// Liveness.bound_ms or its default.
std::uint64_t livenessBoundMs(const dtlsim::Liveness& liveness);
// Wall-clock seconds at virtual t = 0 (epoch_unix_s or its default).
std::uint64_t epochUnixS(const dtlsim::Scenario& scenario);

}  // namespace scenarios
