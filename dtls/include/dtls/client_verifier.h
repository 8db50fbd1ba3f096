// dtls/client_verifier.h — dtls::ClientVerifier, the stateless cookie exchange a DTLS server
// runs before it creates a Connection (the role of QDtlsClientVerifier).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dtls/cookie.h"
#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/ssl.h"

namespace dtls {

// A server passes every datagram from an unknown address:port to verifyClient(). A ClientHello
// without a valid cookie is answered with a HelloVerifyRequest carrying a cookie, an HMAC of
// the client's address and port (RFC 6347 §4.2.1), and verifyClient() returns false; the
// server keeps no state for that client. When the client repeats its ClientHello with the
// cookie, verifyClient() returns true and verifiedHello() holds that ClientHello: the server
// then creates a Connection for the peer, with the same GeneratorParameters, and passes
// verifiedHello() to its first doHandshake().
//
// A fragmented ClientHello is never verified: verifyClient() drops every datagram that carries
// a ClientHello fragment, without an answer (returns false with NoError), so a client whose
// ClientHello does not fit one datagram cannot connect to a server that verifies cookies, as
// Qt documents for QDtls. (OpenSSL 3.0's DTLSv1_listen alone drops only the later fragments and
// would accept a first fragment that holds the cookie; dtlsim keeps the documented behaviour.)
//
// Each backend (dtls/backend.h) has its own cookie format: a server Connection continues only a
// ClientHello that a ClientVerifier of its own backend verified.
//
// Not thread-safe; uses the OpenSSL library context current on this thread at construction.
class ClientVerifier {
 public:
  // `backend` names the DTLS stack (dtls/backend.h); empty means activeBackend() now. A name no
  // backend has is accepted here and fails every verifyClient() with TlsInitializationError.
  explicit ClientVerifier(const std::string& backend = {});
  ~ClientVerifier();
  ClientVerifier(const ClientVerifier&) = delete;
  ClientVerifier& operator=(const ClientVerifier&) = delete;

  // Errors: InvalidInputParameters for an empty secret (the parameters stay unchanged).
  bool setCookieGeneratorParameters(const GeneratorParameters& params);
  // SHA-256 and a 16-byte secret from the CSPRNG by default.
  GeneratorParameters cookieGeneratorParameters() const;

  // The backend this verifier was built on ("openssl", "mbedtls", or the unknown name given).
  std::string backend() const;

  // Checks `datagram`, received from `address`:`port`. Returns true if it is a ClientHello
  // with a valid cookie. Returns false with NoError if it was answered with a
  // HelloVerifyRequest (sent through `socket`) or is not a ClientHello at all (dropped).
  // Errors: InvalidInputParameters (null socket, empty datagram, a null, broadcast or
  // multicast address), TlsFatalError (the DTLS stack failed), UnderlyingSocketError,
  // TlsInitializationError (the verifier was built for a backend that does not exist).
  bool verifyClient(DatagramSocket* socket, const ByteArray& datagram,
                    const HostAddress& address, std::uint16_t port);

  // The last ClientHello verifyClient() accepted; empty after a call that returned false.
  ByteArray verifiedHello() const;

  DtlsError dtlsError() const;
  std::string dtlsErrorString() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace dtls
