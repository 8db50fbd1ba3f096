// dtls/tls_context_pin.h — keeps the OpenSSL context that connections share alive between them.
//
// Connections do not each build an OpenSSL SSL_CTX (loading the configuration into one costs
// ~0.2 ms and tens of KB): every Connection whose configuration shares its data (a
// Configuration and its unmodified copies), in the same SslMode and on the same library
// context (openssl_context.h) shares one, built at its first doHandshake and freed when its
// last user is destroyed or starts a handshake with other settings. Every ClientVerifier on a
// library context shares another. Changing a setting of a Configuration gives its next
// connections a new context; connections already started keep theirs. What differs between
// connections (peer and verification name, PSK callback, cookie and session-ticket secrets,
// MTU, callbacks) stays on each connection.
//
// A program that creates connections one after another (a server accepting clients one at a
// time, a benchmark, a fuzzer) would still build a context per connection, as no connection
// holds it in between; a TlsContextPin holds it.
//
// Building a context draws random bytes from its library context (OpenSSL's default ticket
// keys). Where the random stream must be reproducible (a seeded simulation), a pin must not
// outlive the run it was made for: a context reused by a later run skips those draws and
// shifts that run's stream. Pin after seeding and release before the next run reseeds, or
// rewind the stream after pinning, as the fuzz fixture does, or park the pin (park()) before
// each run, as the scenario runner does between the worlds of a thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "dtls/configuration.h"
#include "dtls/ssl.h"

namespace dtls {

class TlsContextPin {
 public:
  TlsContextPin() = default;  // pins nothing
  // The context Connections in `mode` with `configuration` share on the current library
  // context, built now if no connection holds it. isNull() if it cannot be built; errorString()
  // then says why (what doHandshake would report, e.g. "protocol TlsV1_2 is not a DTLS
  // protocol"). The pin must not outlive the library context.
  // With kPinNothing, a context no connection holds is not built: the pin is null. A parked
  // context counts as held: the pin takes it back and ends its parking.
  enum class IfNone { kBuild, kPinNothing };
  TlsContextPin(const Configuration& configuration, SslMode mode, IfNone if_none = IfNone::kBuild);
  // The context every ClientVerifier on the current library context shares.
  static TlsContextPin clientVerifierContext(IfNone if_none = IfNone::kBuild);

  // For a seeded simulation that reuses contexts across runs: lets go of the context but keeps
  // it after its users are gone, until a pin takes it back (IfNone::kPinNothing). Whenever a
  // Connection or ClientVerifier takes it while no one else uses it, it draws from the library
  // context what building the context drew (OpenSSL's default ticket and cookie keys), as a
  // rebuild would; so a run with parked contexts consumes the same random stream as a run that
  // builds them. A context of a configuration with a private key or certificates is dropped
  // instead: the key carries state that draws randomness (an RSA key's blinding). Park only
  // between runs, on the thread of the library context, and take every parked context back
  // before the library context is freed. The pin is null afterwards.
  void park();

  bool isNull() const { return !context_; }
  const std::string& errorString() const { return error_; }
  // True if both pin the same context (tests: connections share it).
  bool operator==(const TlsContextPin& other) const { return context_ == other.context_; }

 private:
  std::shared_ptr<void> context_;
  std::string error_;
  // Where park() hands the context (its cache); empty for a null pin.
  std::function<void(std::shared_ptr<void>)> park_;
};

}  // namespace dtls
