#include "dtls/configuration.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "configuration_access.h"
#include "supported.h"
#include "system_ca.h"
#include "openssl/tls_context.h"

namespace dtls {

namespace {

// Qt's defaults: the options that make a connection safer at no cost to interoperability.
constexpr unsigned kDefaultSslOptions =
    static_cast<unsigned>(SslOption::SslOptionDisableEmptyFragments) |
    static_cast<unsigned>(SslOption::SslOptionDisableLegacyRenegotiation) |
    static_cast<unsigned>(SslOption::SslOptionDisableCompression) |
    static_cast<unsigned>(SslOption::SslOptionDisableSessionPersistence);

}  // namespace

struct Configuration::Data {
  bool is_null = true;

  // Settings.
  SslProtocol protocol = SslProtocol::SecureProtocols;
  unsigned ssl_options = kDefaultSslOptions;
  Certificate local_certificate;
  std::vector<Certificate> local_certificate_chain;
  Key private_key;
  std::vector<Cipher> ciphers;
  std::vector<EllipticCurve> elliptic_curves;
  DiffieHellmanParameters dh_parameters = DiffieHellmanParameters::defaultParameters();
  std::vector<Certificate> ca_certificates;
  PeerVerifyMode peer_verify_mode = PeerVerifyMode::AutoVerifyPeer;
  int peer_verify_depth = 0;
  bool missing_certificate_is_fatal = false;
  bool handshake_must_interrupt_on_error = false;
  bool ocsp_stapling_enabled = false;
  ByteArray psk_identity_hint;
  std::vector<ByteArray> allowed_next_protocols;
  bool dtls_cookie_enabled = true;
  std::map<ByteArray, ByteArray> backend_configuration;

  // The SSL_CTXs built from these settings, shared by the Connections using them. Not part of
  // the value: a copy (made when a setter detaches shared data) starts empty, and a setter on
  // unshared data clears it (detach()), so a context never outlives the settings it was built
  // from. Session state writes keep it (the context does not depend on them).
  mutable detail::TlsContextCache tls_contexts;

  bool operator==(const Data& o) const {
    return is_null == o.is_null && protocol == o.protocol && ssl_options == o.ssl_options &&
           local_certificate == o.local_certificate &&
           local_certificate_chain == o.local_certificate_chain &&
           private_key == o.private_key && ciphers == o.ciphers &&
           elliptic_curves == o.elliptic_curves && dh_parameters == o.dh_parameters &&
           ca_certificates == o.ca_certificates && peer_verify_mode == o.peer_verify_mode &&
           peer_verify_depth == o.peer_verify_depth &&
           missing_certificate_is_fatal == o.missing_certificate_is_fatal &&
           handshake_must_interrupt_on_error == o.handshake_must_interrupt_on_error &&
           ocsp_stapling_enabled == o.ocsp_stapling_enabled &&
           psk_identity_hint == o.psk_identity_hint &&
           allowed_next_protocols == o.allowed_next_protocols &&
           dtls_cookie_enabled == o.dtls_cookie_enabled &&
           backend_configuration == o.backend_configuration;
  }
};

namespace {

bool sameSession(const detail::SessionState& s, const detail::SessionState& t) {
  return s.peer_certificate == t.peer_certificate &&
         s.peer_certificate_chain == t.peer_certificate_chain &&
         s.session_cipher == t.session_cipher && s.session_protocol == t.session_protocol &&
         s.ephemeral_server_key == t.ephemeral_server_key &&
         s.next_negotiated_protocol == t.next_negotiated_protocol &&
         s.next_protocol_status == t.next_protocol_status &&
         s.session_ticket == t.session_ticket &&
         s.session_ticket_lifetime_hint_s == t.session_ticket_lifetime_hint_s;
}

}  // namespace

const detail::SessionState& Configuration::session() const {
  static const detail::SessionState cleared;
  return session_ ? *session_ : cleared;
}

// All null configurations share one Data, so constructing one allocates nothing.
const std::shared_ptr<Configuration::Data>& Configuration::nullData() {
  static const auto null_data = std::make_shared<Data>();
  return null_data;
}

Configuration::Configuration() : d_(nullData()) {}
Configuration::Configuration(const Configuration& other) = default;
Configuration::Configuration(Configuration&& other) noexcept : d_(nullData()) {
  swap(other);
}
Configuration& Configuration::operator=(const Configuration& other) = default;
Configuration& Configuration::operator=(Configuration&& other) noexcept {
  swap(other);
  return *this;
}
Configuration::~Configuration() = default;

void Configuration::swap(Configuration& other) noexcept {
  d_.swap(other.d_);
  session_.swap(other.session_);
}

Configuration::Data& Configuration::detach() {
  if (d_.use_count() != 1)
    d_ = std::make_shared<Data>(*d_);  // the copy's TlsContextCache starts empty
  else
    d_->tls_contexts.clear();  // a setting changes: contexts built before no longer match
  d_->is_null = false;
  return *d_;
}

bool Configuration::isNull() const { return d_->is_null && session_ == nullptr; }

bool Configuration::operator==(const Configuration& other) const {
  return (d_ == other.d_ || *d_ == *other.d_) &&
         (session_ == other.session_ || sameSession(session(), other.session()));
}

SslProtocol Configuration::protocol() const { return d_->protocol; }
void Configuration::setProtocol(SslProtocol protocol) { detach().protocol = protocol; }

bool Configuration::testSslOption(SslOption option) const {
  return (d_->ssl_options & static_cast<unsigned>(option)) != 0;
}
void Configuration::setSslOption(SslOption option, bool on) {
  auto& d = detach();
  if (on)
    d.ssl_options |= static_cast<unsigned>(option);
  else
    d.ssl_options &= ~static_cast<unsigned>(option);
}

Certificate Configuration::localCertificate() const { return d_->local_certificate; }
void Configuration::setLocalCertificate(const Certificate& certificate) {
  auto& d = detach();
  d.local_certificate = certificate;
  d.local_certificate_chain.clear();
  if (!certificate.isNull()) d.local_certificate_chain.push_back(certificate);
}

std::vector<Certificate> Configuration::localCertificateChain() const {
  return d_->local_certificate_chain;
}
void Configuration::setLocalCertificateChain(const std::vector<Certificate>& localChain) {
  auto& d = detach();
  d.local_certificate_chain = localChain;
  d.local_certificate = localChain.empty() ? Certificate() : localChain.front();
}

Key Configuration::privateKey() const { return d_->private_key; }
void Configuration::setPrivateKey(const Key& key) { detach().private_key = key; }

std::vector<Cipher> Configuration::ciphers() const { return d_->ciphers; }
void Configuration::setCiphers(const std::vector<Cipher>& ciphers) {
  detach().ciphers = ciphers;
}

bool Configuration::setCiphers(const std::string& ciphers, std::string* error) {
  std::vector<Cipher> parsed;
  std::string why;
  if (!detail::parseCipherNames(ciphers, &parsed, &why)) {
    if (error) *error = "setCiphers: " + why;
    return false;
  }
  detach().ciphers = std::move(parsed);
  return true;
}

std::vector<EllipticCurve> Configuration::ellipticCurves() const { return d_->elliptic_curves; }
void Configuration::setEllipticCurves(const std::vector<EllipticCurve>& curves) {
  detach().elliptic_curves = curves;
}

DiffieHellmanParameters Configuration::diffieHellmanParameters() const {
  return d_->dh_parameters;
}
void Configuration::setDiffieHellmanParameters(const DiffieHellmanParameters& dhparams) {
  // Empty parameters mean "the default group", as documented.
  detach().dh_parameters =
      dhparams.isEmpty() ? DiffieHellmanParameters::defaultParameters() : dhparams;
}

std::vector<Certificate> Configuration::caCertificates() const { return d_->ca_certificates; }
void Configuration::setCaCertificates(const std::vector<Certificate>& certificates) {
  detach().ca_certificates = certificates;
}
void Configuration::addCaCertificate(const Certificate& certificate) {
  detach().ca_certificates.push_back(certificate);
}
void Configuration::addCaCertificates(const std::vector<Certificate>& certificates) {
  auto& cas = detach().ca_certificates;
  cas.insert(cas.end(), certificates.begin(), certificates.end());
}
bool Configuration::addCaCertificates(const std::string& path, EncodingFormat format,
                                      Certificate::PatternSyntax syntax) {
  const auto found = Certificate::fromPath(path, format, syntax);
  if (found.empty()) return false;
  addCaCertificates(found);
  return true;
}

PeerVerifyMode Configuration::peerVerifyMode() const { return d_->peer_verify_mode; }
void Configuration::setPeerVerifyMode(PeerVerifyMode mode) { detach().peer_verify_mode = mode; }

int Configuration::peerVerifyDepth() const { return d_->peer_verify_depth; }
void Configuration::setPeerVerifyDepth(int depth) {
  detach().peer_verify_depth = std::max(depth, 0);
}

bool Configuration::missingCertificateIsFatal() const {
  return d_->missing_certificate_is_fatal;
}
void Configuration::setMissingCertificateIsFatal(bool cannotRecover) {
  detach().missing_certificate_is_fatal = cannotRecover;
}

bool Configuration::handshakeMustInterruptOnError() const {
  return d_->handshake_must_interrupt_on_error;
}
void Configuration::setHandshakeMustInterruptOnError(bool interrupt) {
  detach().handshake_must_interrupt_on_error = interrupt;
}

bool Configuration::ocspStaplingEnabled() const { return d_->ocsp_stapling_enabled; }
void Configuration::setOcspStaplingEnabled(bool enabled) {
  detach().ocsp_stapling_enabled = enabled;
}

ByteArray Configuration::preSharedKeyIdentityHint() const { return d_->psk_identity_hint; }
void Configuration::setPreSharedKeyIdentityHint(const ByteArray& hint) {
  detach().psk_identity_hint = hint;
}

std::vector<ByteArray> Configuration::allowedNextProtocols() const {
  return d_->allowed_next_protocols;
}
void Configuration::setAllowedNextProtocols(const std::vector<ByteArray>& protocols) {
  detach().allowed_next_protocols = protocols;
}

bool Configuration::dtlsCookieVerificationEnabled() const { return d_->dtls_cookie_enabled; }
void Configuration::setDtlsCookieVerificationEnabled(bool enable) {
  detach().dtls_cookie_enabled = enable;
}

ByteArray Configuration::sessionTicket() const { return session().session_ticket; }
void Configuration::setSessionTicket(const ByteArray& sessionTicket) {
  detach();
  auto state = std::make_shared<detail::SessionState>(session());
  state->session_ticket = sessionTicket;
  session_ = std::move(state);
}
int Configuration::sessionTicketLifeTimeHint() const {
  return session().session_ticket_lifetime_hint_s;
}

std::map<ByteArray, ByteArray> Configuration::backendConfiguration() const {
  return d_->backend_configuration;
}
void Configuration::setBackendConfigurationOption(const ByteArray& name, const ByteArray& value) {
  detach().backend_configuration[name] = value;
}
void Configuration::setBackendConfiguration(
    const std::map<ByteArray, ByteArray>& backendConfiguration) {
  detach().backend_configuration = backendConfiguration;
}

Certificate Configuration::peerCertificate() const { return session().peer_certificate; }
std::vector<Certificate> Configuration::peerCertificateChain() const {
  return session().peer_certificate_chain;
}
Cipher Configuration::sessionCipher() const { return session().session_cipher; }
SslProtocol Configuration::sessionProtocol() const { return session().session_protocol; }
Key Configuration::ephemeralServerKey() const { return session().ephemeral_server_key; }
ByteArray Configuration::nextNegotiatedProtocol() const {
  return session().next_negotiated_protocol;
}
Configuration::NextProtocolNegotiationStatus Configuration::nextProtocolNegotiationStatus()
    const {
  return session().next_protocol_status;
}

// ---- Process-wide defaults ----------------------------------------------------------------------

namespace {

struct Defaults {
  std::mutex mutex;
  bool tls_set = false;
  bool dtls_set = false;
  Configuration tls;
  Configuration dtls;
};

Defaults& defaults() {
  static Defaults instance;
  return instance;
}

Configuration builtInDefault(SslProtocol protocol, std::vector<Cipher> ciphers) {
  Configuration c;
  c.setProtocol(protocol);
  c.setCaCertificates(Configuration::systemCaCertificates());
  c.setCiphers(ciphers);
  return c;
}

}  // namespace

Configuration Configuration::defaultConfiguration() {
  auto& d = defaults();
  std::lock_guard lock(d.mutex);
  if (!d.tls_set) {
    d.tls = builtInDefault(SslProtocol::SecureProtocols, detail::defaultTlsCiphers());
    d.tls_set = true;
  }
  return d.tls;
}

void Configuration::setDefaultConfiguration(const Configuration& configuration) {
  auto& d = defaults();
  std::lock_guard lock(d.mutex);
  d.tls = configuration;
  d.tls_set = true;
}

Configuration Configuration::defaultDtlsConfiguration() {
  auto& d = defaults();
  std::lock_guard lock(d.mutex);
  if (!d.dtls_set) {
    d.dtls = builtInDefault(SslProtocol::DtlsV1_2OrLater, detail::defaultDtlsCiphers());
    d.dtls.setDtlsCookieVerificationEnabled(true);
    d.dtls_set = true;
  }
  return d.dtls;
}

void Configuration::setDefaultDtlsConfiguration(const Configuration& configuration) {
  auto& d = defaults();
  std::lock_guard lock(d.mutex);
  d.dtls = configuration;
  d.dtls_set = true;
}

std::vector<Cipher> Configuration::supportedCiphers() { return detail::supportedDtlsCiphers(); }

std::vector<EllipticCurve> Configuration::supportedEllipticCurves() {
  return detail::supportedCurves();
}

std::vector<Certificate> Configuration::systemCaCertificates() {
  return detail::systemCaCertificates();
}

// ---- Private access -----------------------------------------------------------------------------

// The session state is a value of its own (Configuration::session_): a Connection's write
// replaces that pointer and leaves the settings, and their TlsContextCache, shared.
namespace {

bool isClear(const detail::SessionState& s) {
  return s.peer_certificate.isNull() && s.peer_certificate_chain.empty() &&
         s.session_cipher.isNull() && s.session_protocol == SslProtocol::UnknownProtocol &&
         s.ephemeral_server_key.isNull() && s.next_negotiated_protocol.empty() &&
         s.next_protocol_status == Configuration::NextProtocolNegotiationNone &&
         s.session_ticket_lifetime_hint_s == -1;
}

}  // namespace

void detail::ConfigurationAccess::setSessionState(Configuration& configuration,
                                                  const SessionState& state) {
  configuration.session_ = std::make_shared<const SessionState>(state);
}

void detail::ConfigurationAccess::clearSessionState(Configuration& configuration) {
  // Nothing to clear (a configuration that never connected): no write, so the settings (and
  // the contexts built from them) stay shared with the application's configuration.
  if (isClear(configuration.session()) && !configuration.isNull()) return;
  auto cleared = std::make_shared<SessionState>();
  cleared->session_ticket = configuration.session().session_ticket;  // a setting: keep it
  configuration.session_ = std::move(cleared);
}

detail::TlsContextCache& detail::ConfigurationAccess::tlsContexts(
    const Configuration& configuration) {
  return configuration.d_->tls_contexts;
}

unsigned detail::ConfigurationAccess::sslOptions(const Configuration& configuration) {
  return configuration.d_->ssl_options;
}

}  // namespace dtls
