// dtls/backend.h — the DTLS stacks ("backends") a Connection or ClientVerifier can run on, and
// what each of them implements (the roles of QSslSocket::availableBackends(), activeBackend(),
// setActiveBackend(), isClassImplemented(), isFeatureSupported() and supportedProtocols()).
//
// Each Connection and ClientVerifier is bound to one backend when it is built: the one named
// in its constructor, or the active backend at that moment. The public classes are the same for
// every backend; what a backend cannot do is answered here, and a configuration that needs it
// fails the first doHandshake() with TlsInitializationError naming the backend and the feature.
// A server Connection and the ClientVerifier that accepted its ClientHello must be on the same
// backend: each backend has its own cookie format.
//
// Backends are named in lower case: "openssl" (OpenSSL 3.0, the default), "mbedtls"
// (mbedTLS 2.28) and "wolfssl" (wolfSSL 5.5.4).
#pragma once

#include <string>
#include <vector>

#include "dtls/ssl.h"

namespace dtls {

// QSsl::ImplementedClass: the classes a backend supplies. The value types (Key, Certificate,
// EllipticCurve, DiffieHellmanParameters) are OpenSSL's for every backend; a backend converts
// them to its own forms. Socket is never implemented: dtlsim has no TLS socket.
enum class ImplementedClass : int {
  Key = 0,
  Certificate = 1,
  Socket = 2,
  DiffieHellman = 3,
  EllipticCurve = 4,
  Dtls = 5,        // Connection
  DtlsCookie = 6,  // ClientVerifier
};

// QSsl::SupportedFeature (values 0..6), then the settings of dtls::Configuration that a
// backend may lack (from 100), so a test or an application can ask before it relies on one.
enum class SupportedFeature : int {
  CertificateVerification = 0,
  ClientSideAlpn = 1,
  ServerSideAlpn = 2,
  Ocsp = 3,
  Psk = 4,
  SessionTicket = 5,
  Alerts = 6,
  // dtlsim: Configuration::backendConfiguration() (OpenSSL SSL_CONF commands).
  BackendConfiguration = 100,
  // dtlsim: Configuration::handshakeMustInterruptOnError().
  InterruptOnVerificationError = 101,
  // dtlsim: Configuration::setDiffieHellmanParameters() (finite-field DHE suites).
  DiffieHellmanParameters = 102,
  // dtlsim: Configuration::setPeerVerifyDepth().
  PeerVerifyDepth = 103,
  // dtlsim: DTLS 1.0 (SslProtocol::DtlsV1_0) as well as DTLS 1.2.
  DtlsV1_0 = 104,
  // dtlsim: Configuration::setPreSharedKeyIdentityHint() sent by a server, and the hint handed
  // to a client's PreSharedKeyAuthenticator (RFC 4279 §2).
  PskIdentityHint = 105,
  // dtlsim: SslOptionDisableServerCipherPreference on a server (it follows the client's order).
  ClientCipherPreference = 106,
  // dtlsim: the datagram size follows the MTU: handshake datagrams fit a small setMtuHint() or
  // path MTU, and without one a record may carry 16384 bytes (the network fragments it).
  // wolfSSL 5.5.4 as Debian builds it (no WOLFSSL_DTLS_MTU) fits every datagram into 1400 bytes.
  MtuControl = 107,
};

// "ClientSideAlpn", "BackendConfiguration", ... for messages and skip reasons.
const char* toString(SupportedFeature feature);
const char* toString(ImplementedClass implemented_class);

// The backends built into this library, the default one first ({"openssl", "mbedtls",
// "wolfssl"}).
std::vector<std::string> availableBackends();

// The backend objects built without naming one are bound to: "openssl" until
// setActiveBackend() chose another. Process-wide; safe to read from any thread.
std::string activeBackend();

// Makes `name` the active backend for objects built from now on (objects already built keep
// theirs). Returns false, changing nothing, if no backend has that name. Unlike Qt, it may be
// called at any time: each object stays on the backend it was built with.
bool setActiveBackend(const std::string& name);

// What backend `backend` (the active one when empty) implements. False for an unknown name.
bool isClassImplemented(ImplementedClass implemented_class, const std::string& backend = {});
bool isFeatureSupported(SupportedFeature feature, const std::string& backend = {});
// The protocols a Configuration may name for `backend` (empty for an unknown name): DTLS only.
std::vector<SslProtocol> supportedProtocols(const std::string& backend = {});

// The library and version `backend` runs on, as the library reports it at run time, e.g.
// "OpenSSL 3.0.19 27 Jan 2026" or "mbed TLS 2.28.3". Empty for an unknown name.
std::string backendVersion(const std::string& backend = {});

}  // namespace dtls
