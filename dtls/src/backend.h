// Private: the seam between the public classes and a DTLS stack. A backend answers what it
// implements and makes the two engines, a Connection's (ConnectionImpl, connection_impl.h) and
// a ClientVerifier's (VerifierEngine). Everything that does not depend on the stack — argument
// and state checks, error texts, the timer contract, verification decisions, replay accounting
// — lives above this interface, in connection.cpp, connection_impl.cpp and client_verifier.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/backend.h"
#include "dtls/cookie.h"
#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/ssl.h"
#include "dtls/timer_service.h"

namespace dtls::detail {

class ConnectionImpl;

// A ClientVerifier's stack-specific half: issues and checks cookies for one peer at a time.
class VerifierEngine {
 public:
  enum class Outcome { kVerified, kAnswered, kFailed };
  virtual ~VerifierEngine() = default;
  // The parameters a ClientVerifier starts with (drawn from the backend's random source).
  virtual GeneratorParameters defaultParameters() = 0;
  // Checks `datagram`, a ClientHello without fragments (the caller drops fragmented ones),
  // from `address`:`port`. kAnswered: it was answered with a HelloVerifyRequest through
  // `socket`, or dropped. kFailed: `code` and `error` say why (the text names the call).
  virtual Outcome verify(DatagramSocket* socket, const ByteArray& datagram,
                         const HostAddress& address, std::uint16_t port,
                         const GeneratorParameters& params, DtlsError* code,
                         std::string* error) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;
  virtual std::string version() const = 0;
  // Every stack supplies every class but Socket (dtlsim has no TLS socket) and speaks DTLS 1.0
  // and 1.2; a backend that differs overrides these.
  virtual bool isClassImplemented(ImplementedClass implemented_class) const {
    return implemented_class != ImplementedClass::Socket;
  }
  virtual bool isFeatureSupported(SupportedFeature feature) const = 0;
  virtual std::vector<SslProtocol> supportedProtocols() const {
    return {SslProtocol::DtlsV1_0, SslProtocol::DtlsV1_0OrLater, SslProtocol::DtlsV1_2,
            SslProtocol::DtlsV1_2OrLater};
  }
  // Engines draw what they need from the thread's current sources (openssl_context.h,
  // random_source.h) here, at construction, like the objects that own them.
  virtual std::unique_ptr<ConnectionImpl> makeConnection(SslMode mode,
                                                         TimerService* timers) const = 0;
  virtual std::unique_ptr<VerifierEngine> makeVerifier() const = 0;
};

// The backend named `name` (the active one when empty), or null.
const Backend* findBackend(std::string_view name);

// Each backend folder defines its one instance.
const Backend& opensslBackend();
const Backend& mbedtlsBackend();
const Backend& gnutlsBackend();
const Backend& wolfsslBackend();

// An engine for objects bound to a name no backend has: every handshake and verification fails
// with TlsInitializationError naming it and the available backends.
std::unique_ptr<ConnectionImpl> makeUnavailableConnection(SslMode mode, TimerService* timers,
                                                          const std::string& name);
std::unique_ptr<VerifierEngine> makeUnavailableVerifier(const std::string& name);

}  // namespace dtls::detail
