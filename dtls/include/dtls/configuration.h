// dtls/configuration.h — dtls::Configuration, the settings and the session state of one DTLS
// connection (the role of QSslConfiguration).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dtls/certificate.h"
#include "dtls/cipher.h"
#include "dtls/dh_parameters.h"
#include "dtls/elliptic_curve.h"
#include "dtls/key.h"
#include "dtls/ssl.h"

namespace dtls {

namespace detail {
struct ConfigurationAccess;
struct SessionState;
}

// Configuration holds two things:
//
//  * settings, applied when a handshake starts: protocol versions, local certificate, chain and
//    private key, cipher suites and curves, CA certificates, peer verification mode and depth,
//    PSK identity hint, ALPN protocols, Diffie-Hellman parameters, session ticket, SSL options,
//    DTLS cookie verification, and OpenSSL configuration commands ("backend configuration");
//  * session state, filled by a Connection once its handshake has run: the peer's certificate
//    and chain, the negotiated cipher and protocol, the negotiated ALPN protocol, the server's
//    ephemeral key, and the session ticket with its lifetime hint.
//
// Changing a Configuration changes nothing in a running connection: hand the modified copy to
// Connection::setDtlsConfiguration() before the handshake. Settings changed after the handshake
// started have no effect on it.
//
// A Configuration is a value: copies share their data until one of them is modified, so copying
// is cheap and never fails. Two configurations are equal when every setting and every piece of
// session state are equal. A default-constructed Configuration is "null"; calling any setter
// makes it non-null, even if the value set equals the default.
//
// All member functions are reentrant; the static default configurations are protected by a
// mutex and may be read and replaced from any thread.
class Configuration {
 public:
  // The status of Application-Layer Protocol Negotiation (RFC 7301) after a handshake.
  enum NextProtocolNegotiationStatus {
    NextProtocolNegotiationNone = 0,        // no protocol negotiated (yet), or ALPN not enabled
    NextProtocolNegotiationNegotiated = 1,  // see nextNegotiatedProtocol()
    NextProtocolNegotiationUnsupported = 2, // the peers share no protocol
  };

  // ALPN protocol identifiers (RFC 7301 §6) for HTTP/2 and HTTP/1.1.
  static constexpr char ALPNProtocolHTTP2[] = "h2";
  static constexpr char NextProtocolHttp1_1[] = "http/1.1";

  // A null configuration: no settings, empty state, isNull() true. Its setting values are those
  // documented on each getter ("by default ..."). Connections replace a null configuration by
  // defaultDtlsConfiguration().
  Configuration();
  Configuration(const Configuration& other);
  Configuration(Configuration&& other) noexcept;
  Configuration& operator=(const Configuration& other);
  Configuration& operator=(Configuration&& other) noexcept;
  ~Configuration();

  // Exchanges the contents of the two configurations; constant time, never fails.
  void swap(Configuration& other) noexcept;

  // True for a default-constructed configuration on which no setter has been called. A copy of
  // a null configuration is null.
  bool isNull() const;

  bool operator==(const Configuration& other) const;
  bool operator!=(const Configuration& other) const { return !(*this == other); }

  // ---- Protocol -------------------------------------------------------------------------------

  // The protocol versions allowed; SecureProtocols by default. For a Connection the useful
  // values are DtlsV1_2, DtlsV1_2OrLater and (deprecated, refused by OpenSSL 3.0's default
  // security level) DtlsV1_0 / DtlsV1_0OrLater. A TLS value makes the handshake fail with
  // TlsInitializationError.
  SslProtocol protocol() const;
  void setProtocol(SslProtocol protocol);

  // Compatibility options (QSsl::SslOption). By default DisableEmptyFragments,
  // DisableLegacyRenegotiation, DisableCompression and DisableSessionPersistence are on.
  bool testSslOption(SslOption option) const;
  void setSslOption(SslOption option, bool on);

  // ---- Local identity -------------------------------------------------------------------------

  // The certificate presented to the peer; null by default. Setting it replaces the chain by a
  // one-element chain holding it.
  Certificate localCertificate() const;
  void setLocalCertificate(const Certificate& certificate);

  // The chain presented to the peer, leaf first (the leaf is localCertificate()); empty by
  // default. Intermediates after the leaf are sent so the peer can build a path to its CA.
  std::vector<Certificate> localCertificateChain() const;
  void setLocalCertificateChain(const std::vector<Certificate>& localChain);

  // The private key matching localCertificate(); null by default. Servers need one unless they
  // use PSK only; clients need one only when the server asks for a certificate.
  Key privateKey() const;
  void setPrivateKey(const Key& key);

  // ---- Ciphers and curves ---------------------------------------------------------------------

  // Cipher suites in descending order of preference. Empty by default, meaning "OpenSSL's
  // defaults"; defaultDtlsConfiguration() lists them explicitly.
  std::vector<Cipher> ciphers() const;
  void setCiphers(const std::vector<Cipher>& ciphers);

  // Sets the cipher suites from a colon-separated list of OpenSSL names in order of preference
  // ("ECDHE-ECDSA-AES128-GCM-SHA256:PSK-AES128-GCM-SHA256"). Every name must be one of
  // supportedCiphers(): an unknown or empty name is not silently dropped; the call returns
  // false, leaves the configuration unchanged and, if `error` is not null, stores a message
  // naming the offending entry ("setCiphers: unknown cipher 'FOO' (entry 2)").
  bool setCiphers(const std::string& ciphers, std::string* error = nullptr);

  // Elliptic curves (TLS groups) in descending order of preference; empty by default, meaning
  // OpenSSL's defaults.
  std::vector<EllipticCurve> ellipticCurves() const;
  void setEllipticCurves(const std::vector<EllipticCurve>& curves);

  // Finite-field Diffie-Hellman parameters for DHE suites on a server. By default (and when
  // set to empty parameters) the RFC 3526 2048-bit MODP group.
  DiffieHellmanParameters diffieHellmanParameters() const;
  void setDiffieHellmanParameters(const DiffieHellmanParameters& dhparams);

  // ---- Peer verification ----------------------------------------------------------------------

  // Trusted CA certificates used to verify the peer; empty for a null configuration, the
  // system's CA certificates in the default configurations.
  std::vector<Certificate> caCertificates() const;
  void setCaCertificates(const std::vector<Certificate>& certificates);
  void addCaCertificate(const Certificate& certificate);
  void addCaCertificates(const std::vector<Certificate>& certificates);

  // Adds every certificate found in the file(s) named by `path`, a file name or a pattern in
  // `syntax` (see Certificate::fromPath). Returns true if at least one certificate was added;
  // false (configuration unchanged) for a missing file, a malformed pattern or files holding
  // no certificate in `format`.
  bool addCaCertificates(const std::string& path, EncodingFormat format = EncodingFormat::Pem,
                         Certificate::PatternSyntax syntax =
                             Certificate::PatternSyntax::FixedString);

  // Whether and how the peer's certificate is requested and verified; AutoVerifyPeer by default
  // (VerifyPeer for clients, QueryPeer for servers).
  PeerVerifyMode peerVerifyMode() const;
  void setPeerVerifyMode(PeerVerifyMode mode);

  // Maximum number of certificates checked in the peer's chain; 0 (the default) means no limit.
  // A negative depth is treated as 0.
  int peerVerifyDepth() const;
  void setPeerVerifyDepth(int depth);

  // If true, a missing peer certificate under VerifyPeer (or AutoVerifyPeer on a client) fails
  // the handshake with an alert and cannot be ignored. False by default.
  bool missingCertificateIsFatal() const;
  void setMissingCertificateIsFatal(bool cannotRecover);

  // If true, verification errors stop the handshake as soon as OpenSSL reports them instead of
  // being collected until the peer's flight is processed. False by default.
  bool handshakeMustInterruptOnError() const;
  void setHandshakeMustInterruptOnError(bool interrupt);

  // Whether a client requests OCSP stapling (RFC 6066 §8). False by default.
  bool ocspStaplingEnabled() const;
  void setOcspStaplingEnabled(bool enabled);

  // ---- Pre-shared keys ------------------------------------------------------------------------

  // The PSK identity hint a server sends (RFC 4279 §5.2); empty by default. Ignored by clients.
  ByteArray preSharedKeyIdentityHint() const;
  void setPreSharedKeyIdentityHint(const ByteArray& hint);

  // ---- ALPN -----------------------------------------------------------------------------------

  // Protocols offered (client) or accepted (server) through ALPN, most preferred first; empty
  // by default, which disables ALPN.
  std::vector<ByteArray> allowedNextProtocols() const;
  void setAllowedNextProtocols(const std::vector<ByteArray>& protocols);

  // ---- DTLS -----------------------------------------------------------------------------------

  // Whether a server requires a verified cookie exchange (RFC 6347 §4.2.1) before it accepts a
  // ClientHello. True by default.
  bool dtlsCookieVerificationEnabled() const;
  void setDtlsCookieVerificationEnabled(bool enable);

  // ---- Sessions -------------------------------------------------------------------------------

  // The session to resume, in the DER form sessionTicket() returns; only used when
  // SslOptionDisableSessionPersistence is off. Empty by default. After a handshake with
  // persistence on, holds the session the server issued.
  ByteArray sessionTicket() const;
  void setSessionTicket(const ByteArray& sessionTicket);

  // The lifetime hint in seconds of the ticket the server sent; -1 when there is none or
  // session persistence is off.
  int sessionTicketLifeTimeHint() const;

  // ---- OpenSSL configuration commands ---------------------------------------------------------

  // Options applied after every other setting through OpenSSL's SSL_CONF commands (see
  // SSL_CONF_cmd(3): e.g. "MinProtocol" = "DTLSv1.2", "Groups" = "P-256", "Options" =
  // "-SessionTicket"). Only options set here are returned. An unknown command or a value
  // OpenSSL rejects makes the handshake fail with TlsInitializationError naming the option.
  std::map<ByteArray, ByteArray> backendConfiguration() const;
  void setBackendConfigurationOption(const ByteArray& name, const ByteArray& value);
  // Replaces all options; without an argument, clears them.
  void setBackendConfiguration(const std::map<ByteArray, ByteArray>& backendConfiguration = {});

  // ---- Session state (read-only; filled by a Connection) --------------------------------------

  // The peer's leaf certificate, or null if it sent none or no handshake has run.
  Certificate peerCertificate() const;
  // The peer's chain, leaf first, as it was sent; empty before a handshake.
  std::vector<Certificate> peerCertificateChain() const;
  // The cipher suite in use; null before a handshake.
  Cipher sessionCipher() const;
  // The protocol version in use; UnknownProtocol before a handshake.
  SslProtocol sessionProtocol() const;
  // On a client after an (EC)DHE handshake, the server's ephemeral public key; null otherwise.
  Key ephemeralServerKey() const;
  // The protocol negotiated through ALPN; empty unless nextProtocolNegotiationStatus() is
  // NextProtocolNegotiationNegotiated.
  ByteArray nextNegotiatedProtocol() const;
  NextProtocolNegotiationStatus nextProtocolNegotiationStatus() const;

  // ---- Process-wide defaults ------------------------------------------------------------------

  // The defaults for new TLS configurations: no local certificate or key, SecureProtocols, the
  // system CA certificates, and every supported TLS cipher with at least 128 secret bits.
  static Configuration defaultConfiguration();
  static void setDefaultConfiguration(const Configuration& configuration);

  // The defaults for new DTLS connections: no local certificate or key, DtlsV1_2OrLater, the
  // system CA certificates, cookie verification on, and every cipher OpenSSL offers for DTLS
  // with at least 128 secret bits except anonymous ones. Existing connections are unaffected
  // by setDefaultDtlsConfiguration().
  static Configuration defaultDtlsConfiguration();
  static void setDefaultDtlsConfiguration(const Configuration& configuration);

  // What this build of OpenSSL offers for DTLS, in OpenSSL's order of preference.
  static std::vector<Cipher> supportedCiphers();
  static std::vector<EllipticCurve> supportedEllipticCurves();

  // The operating system's trusted CA certificates (OpenSSL's default CA file, else every
  // certificate in its default CA directory, in file-name order). Loaded once per process.
  static std::vector<Certificate> systemCaCertificates();

 private:
  friend struct detail::ConfigurationAccess;
  struct Data;
  Data& detach();  // copy-on-write: makes the data unshared before a modification
  static const std::shared_ptr<Data>& nullData();  // shared by every null configuration
  const detail::SessionState& session() const;  // the state below, or a cleared one

  std::shared_ptr<Data> d_;
  // The session state a Connection writes after a handshake, kept apart from the settings so
  // that writing it shares the settings (and the contexts built from them) instead of copying
  // them per connection. Null: cleared. Its session_ticket doubles as a setting.
  std::shared_ptr<const detail::SessionState> session_;
};

inline void swap(Configuration& a, Configuration& b) noexcept { a.swap(b); }

}  // namespace dtls
