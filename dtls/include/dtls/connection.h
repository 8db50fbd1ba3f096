// dtls/connection.h — dtls::Connection, one DTLS association with one peer (the role of QDtls).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/cipher.h"
#include "dtls/configuration.h"
#include "dtls/cookie.h"
#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/psk_authenticator.h"
#include "dtls/ssl.h"
#include "dtls/ssl_error.h"
#include "dtls/timer_service.h"

namespace dtls {

namespace detail {
class ConnectionImpl;
}

// Connection encrypts one UDP association with DTLS (RFC 6347) on one of the backends of
// dtls/backend.h (OpenSSL 3.0 unless told otherwise).
//
// It is sans-I/O: it never reads a socket or a clock. The application reads datagrams (and
// demultiplexes them by peer address and port when it serves several peers), then hands each
// one to doHandshake() while the handshake runs and to decryptDatagram() afterwards. Everything
// the connection sends goes through the DatagramSocket passed to the call, to peerAddress():
// peerPort(). Time comes from the TimerService given at construction, which runs the handshake
// retransmission timer.
//
// A client:
//   dtls::Connection conn(dtls::SslMode::SslClientMode, &loop);
//   conn.setPeer(serverAddress, 4433, "server.example");
//   conn.setHandshakeTimeoutCallback([&] { conn.handleTimeout(&socket); });
//   conn.doHandshake(&socket);                 // sends the ClientHello
//   ... for each datagram from the server:
//   conn.doHandshake(&socket, datagram);       // until handshakeState() == HandshakeComplete
//   conn.writeDatagramEncrypted(&socket, "hello");
//
// A server continues a ClientHello that a ClientVerifier accepted (cookie verification is on
// by default; a server without a ClientVerifier must turn it off in the configuration):
//   dtls::Connection conn(dtls::SslMode::SslServerMode, &loop);
//   conn.setPeer(clientAddress, clientPort);
//   conn.doHandshake(&socket, verifier.verifiedHello());
//
// Handshake timer: 1 s after a flight is sent, doubled on each expiry up to 60 s, and back to
// 1 s when the peer's next flight arrives. On expiry the connection calls the handshake-timeout
// callback; the application then calls handleTimeout(), which retransmits the last flight.
// After 12 expiries without progress the handshake fails (TlsFatalError).
//
// Errors are values: a failing call returns false / -1 / an empty result and sets dtlsError()
// and dtlsErrorString(), which names the call and the input ("setPeer: 224.0.0.1 is a
// multicast address"). A successful call that can fail resets the error to NoError. A failed
// call leaves the connection as it was unless documented otherwise.
//
// Not thread-safe: use a Connection from the thread that runs its TimerService. The object
// must not move while OpenSSL holds a pointer to it, so it is neither copyable nor movable.
class Connection {
 public:
  // QDtls::HandshakeState.
  enum HandshakeState {
    HandshakeNotStarted = 0,     // nothing done yet, or the connection was shut down / aborted
    HandshakeInProgress = 1,     // started, no error so far
    PeerVerificationFailed = 2,  // the peer's identity could not be established
    HandshakeComplete = 3,       // encrypted: writeDatagramEncrypted / decryptDatagram work
  };

  using HandshakeTimeoutCallback = std::function<void()>;
  using PskRequiredCallback = std::function<void(PreSharedKeyAuthenticator* authenticator)>;

  // A client or server connection (`mode` must be SslClientMode or SslServerMode; with
  // UnencryptedMode every handshake fails with InvalidOperation). `timers` runs the
  // retransmission timer and must outlive the connection; with no TimerService the
  // handshake-timeout callback is never called and the application must call handleTimeout()
  // itself. The configuration starts as Configuration::defaultDtlsConfiguration(), and the
  // OpenSSL library context is the one current on this thread (see dtls/openssl_context.h).
  // `backend` names the DTLS stack (dtls/backend.h); empty means activeBackend() now. The
  // connection stays on it for its lifetime. A name no backend has is accepted here and fails
  // every doHandshake() with TlsInitializationError naming it.
  explicit Connection(SslMode mode, TimerService* timers = nullptr,
                      const std::string& backend = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SslMode sslMode() const;
  // The backend this connection was built on ("openssl", "mbedtls", or the unknown name given).
  std::string backend() const;

  // ---- Before the handshake -------------------------------------------------------------------

  // Sets the peer every datagram is sent to, and optionally the name its certificate must
  // carry (see setPeerVerificationName). Errors: InvalidOperation once the handshake started;
  // InvalidInputParameters for a null, broadcast or multicast address.
  bool setPeer(const HostAddress& address, std::uint16_t port,
               const std::string& verificationName = {});
  HostAddress peerAddress() const;  // null until setPeer()
  std::uint16_t peerPort() const;   // 0 until setPeer()

  // The host name a client checks the server certificate against (and sends as SNI). When
  // empty, the peer address in text form is checked. Errors: InvalidOperation once the
  // handshake started.
  bool setPeerVerificationName(const std::string& name);
  std::string peerVerificationName() const;

  // Replaces the configuration. After a handshake the returned configuration also carries the
  // session state (peer certificate, cipher, protocol, ALPN, ephemeral key, session ticket).
  // Errors: InvalidOperation once the handshake started. A configuration OpenSSL cannot apply
  // (a TLS protocol, an unknown backend option, a key that does not match the certificate...)
  // is accepted here and fails the first doHandshake() with TlsInitializationError.
  bool setDtlsConfiguration(const Configuration& configuration);
  Configuration dtlsConfiguration() const;

  // The cookie HMAC parameters a server uses to re-check the verified ClientHello; they must
  // equal the ClientVerifier's. Errors: InvalidInputParameters for an empty secret;
  // InvalidOperation once the handshake started.
  bool setCookieGeneratorParameters(const GeneratorParameters& params);
  GeneratorParameters cookieGeneratorParameters() const;

  // The link MTU in bytes given to OpenSSL for handshake fragmentation, including IP and UDP
  // headers; 0 (the default) means: the socket's path MTU if it knows one, else 576. Takes
  // effect at the next handshake. With a non-zero hint (or a known path MTU),
  // writeDatagramEncrypted() refuses datagrams whose record would not fit.
  void setMtuHint(std::uint16_t mtuHint);
  std::uint16_t mtuHint() const;

  // Called when the retransmission timer expires; the callback should call handleTimeout().
  void setHandshakeTimeoutCallback(HandshakeTimeoutCallback callback);

  // Called from inside doHandshake() when a PSK cipher suite is negotiated: the callback fills
  // in the identity (client) or the key (server) of `authenticator`, which the connection owns.
  // Without a callback, or with an empty key, the handshake fails. The callback must not call
  // other members of this connection.
  void setPskRequiredCallback(PskRequiredCallback callback);

  // ---- Handshake ------------------------------------------------------------------------------

  // Starts or continues the handshake. A client starts with an empty datagram; a server starts
  // with the peer's ClientHello (with cookie verification on: the one ClientVerifier accepted).
  // Returns true if no error occurred; handshakeState() then tells whether it is complete.
  // Errors: InvalidInputParameters (null socket, a server without a first datagram),
  // InvalidOperation (no peer set, handshake already complete or awaiting a verification
  // decision, UnencryptedMode), TlsInitializationError (the configuration could not be
  // applied), TlsFatalError (the handshake failed; state returns to HandshakeNotStarted),
  // PeerVerificationError (state becomes PeerVerificationFailed; see
  // ignoreVerificationErrors, resumeHandshake, abortHandshake), UnderlyingSocketError.
  bool doHandshake(DatagramSocket* socket, const ByteArray& datagram = {});

  // Retransmits the last flight if the retransmission timer expired. Returns true if it did.
  // Errors: InvalidInputParameters (null socket), InvalidOperation (no handshake in progress),
  // TlsFatalError when the handshake gave up after 12 expiries without progress (state returns
  // to HandshakeNotStarted).
  bool handleTimeout(DatagramSocket* socket);

  // Continues a handshake stopped in PeerVerificationFailed once every error in
  // peerVerificationErrors() is ignored (ignoreVerificationErrors). Errors: InvalidOperation
  // (not in PeerVerificationFailed), PeerVerificationError (errors remain not ignored).
  bool resumeHandshake(DatagramSocket* socket);

  // Abandons a handshake in progress or awaiting a verification decision and returns to
  // HandshakeNotStarted. In PeerVerificationFailed the TLS exchange is over, so the peer gets
  // close_notify (as QDtls does); a handshake still in progress is dropped without a word (the
  // peer's timer gives up). Errors: InvalidInputParameters (null socket), InvalidOperation (no
  // handshake to abort).
  bool abortHandshake(DatagramSocket* socket);

  // The errors that stopped the handshake (or were ignored to complete it).
  std::vector<SslError> peerVerificationErrors() const;

  // Errors to tolerate during verification; replaces the previous list (an empty list clears
  // it). May be called before the handshake, or after PeerVerificationFailed followed by
  // resumeHandshake(). An error matches when its code and certificate are equal.
  void ignoreVerificationErrors(const std::vector<SslError>& errorsToIgnore);

  HandshakeState handshakeState() const;
  bool isConnectionEncrypted() const;  // true exactly in HandshakeComplete

  // The negotiated cipher suite and protocol; null / UnknownProtocol unless encrypted.
  Cipher sessionCipher() const;
  SslProtocol sessionProtocol() const;

  // ---- Encrypted data -------------------------------------------------------------------------

  // Encrypts `datagram` as one record and sends it in one datagram. Returns the number of
  // plaintext bytes written, or -1. Errors: InvalidInputParameters (null socket, empty
  // datagram, a datagram larger than a record or, with an MTU hint or a known path MTU, larger
  // than fits in one datagram; the connection stays usable), InvalidOperation (not encrypted),
  // UnderlyingSocketError (the socket failed; see its error()).
  // The datagram is a view: a ByteArray converts, and nothing is copied before the record layer.
  std::int64_t writeDatagramEncrypted(DatagramSocket* socket, std::string_view datagram);

  // Decrypts a datagram from the peer and returns its plaintext (that of all its application
  // records, in order). Returns empty with NoError for datagrams that carry no new application
  // data: a replayed record, a retransmitted handshake flight (to which the connection may
  // answer through `socket`), a zero-length application record, an empty datagram.
  // Errors: InvalidInputParameters (null socket), InvalidOperation (not encrypted),
  // RemoteClosedConnectionError (the peer sent close_notify; state returns to
  // HandshakeNotStarted), TlsFatalError (the peer sent a fatal alert; state returns to
  // HandshakeNotStarted), TlsNonFatalError (bytes that are not a valid record of this
  // connection, or a record that fails authentication: dropped, the connection stays usable).
  // A datagram that gave plaintext is no error: records beside it that were dropped as
  // invalid or forged are dropped silently.
  ByteArray decryptDatagram(DatagramSocket* socket, std::string_view datagram);

  // The same, with the plaintext written to `*plaintext` (its content replaced, its capacity
  // kept), so a receive loop that reuses one buffer allocates nothing per datagram. Returns the
  // plaintext's size, or -1 when the call itself was refused (null socket or plaintext, not
  // encrypted); a dropped or closing datagram returns 0 with dtlsError() set as above. Not in
  // QDtls, whose decryptDatagram returns a new QByteArray; the one above wraps this one.
  std::int64_t decryptDatagram(DatagramSocket* socket, std::string_view datagram,
                               ByteArray* plaintext);

  // Sends close_notify and returns to HandshakeNotStarted; the peer stays set, so a new
  // handshake may follow. Errors: InvalidInputParameters (null socket), InvalidOperation (not
  // encrypted).
  bool shutdown(DatagramSocket* socket);

  // ---- Errors ---------------------------------------------------------------------------------

  DtlsError dtlsError() const;
  std::string dtlsErrorString() const;

  // ---- Observability (not in QDtls) ------------------------------------------------------------

  // How many times handleTimeout() retransmitted a flight since the handshake started.
  int retransmissionCount() const;

  // Application datagrams that arrived before the handshake completed, one payload per record,
  // in the order OpenSSL accepted them; the list is emptied. A peer may send data right after
  // its Finished and the network may deliver it first (or its Finished may be lost and
  // retransmitted); OpenSSL keeps such records until the handshake completes. The connection
  // takes them out when its handshake completes (in doHandshake or resumeHandshake) so that
  // decryptDatagram() returns only what the datagram it is given carries; without this they
  // would come out of the next decryptDatagram() glued to that datagram's payload. QDtls has no
  // equivalent: call it whenever handshakeState() has become HandshakeComplete.
  std::vector<ByteArray> takePendingDatagrams();

  // Called with each line of key material in the NSS key log format ("CLIENT_RANDOM <hex>
  // <hex>"), as SSLKEYLOGFILE would record it, so a capture of this connection can be
  // decrypted (Wireshark, tshark). Set it before the handshake. Treat the lines as secrets.
  using KeyLogCallback = std::function<void(const std::string& line)>;
  void setKeyLogCallback(KeyLogCallback callback);

 private:
  std::unique_ptr<detail::ConnectionImpl> d_;
};

}  // namespace dtls
