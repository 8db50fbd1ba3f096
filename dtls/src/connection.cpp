#include "dtls/connection.h"

#include <algorithm>
#include <utility>

#include "backend.h"
#include "connection_impl.h"
#include "required_features.h"

namespace dtls {

using detail::ConnectionImpl;

namespace {

const char* stateName(Connection::HandshakeState state) {
  switch (state) {
    case Connection::HandshakeNotStarted: return "HandshakeNotStarted";
    case Connection::HandshakeInProgress: return "HandshakeInProgress";
    case Connection::PeerVerificationFailed: return "PeerVerificationFailed";
    case Connection::HandshakeComplete: return "HandshakeComplete";
  }
  return "?";
}

}  // namespace

namespace {

std::unique_ptr<ConnectionImpl> makeEngine(SslMode mode, TimerService* timers,
                                           const std::string& backend) {
  const detail::Backend* found = detail::findBackend(backend);
  return found != nullptr ? found->makeConnection(mode, timers)
                          : detail::makeUnavailableConnection(mode, timers, backend);
}

// A backend lacking a feature the configuration needs fails here, never ignoring the setting
// (DESIGN.md §9).
bool checkFeatures(ConnectionImpl& d) {
  const detail::Backend* backend = detail::findBackend(d.backendName());
  if (backend == nullptr) return true;  // startTls reports the unknown backend
  for (const detail::RequiredFeature& needed :
       detail::requiredFeatures(d.configuration, d.mode, static_cast<bool>(d.psk_callback))) {
    if (!backend->isFeatureSupported(needed.feature))
      return d.fail(DtlsError::TlsInitializationError,
                    std::string("doHandshake: the ") + backend->name() + " backend lacks " +
                        toString(needed.feature) + ", which " + needed.because + " needs");
  }
  return true;
}

}  // namespace

Connection::Connection(SslMode mode, TimerService* timers, const std::string& backend)
    : d_(makeEngine(mode, timers, backend)) {}

Connection::~Connection() = default;

SslMode Connection::sslMode() const { return d_->mode; }
std::string Connection::backend() const { return d_->backendName(); }

// ---- Before the handshake -------------------------------------------------------------------

bool Connection::setPeer(const HostAddress& address, std::uint16_t port,
                         const std::string& verificationName) {
  if (d_->state != HandshakeNotStarted)
    return d_->fail(DtlsError::InvalidOperation, "setPeer: cannot change the peer after the "
                                                 "handshake started");
  if (address.isNull())
    return d_->fail(DtlsError::InvalidInputParameters, "setPeer: the address is null");
  if (address.isBroadcast())
    return d_->fail(DtlsError::InvalidInputParameters,
                    "setPeer: " + address.toString() + " is a broadcast address");
  if (address.isMulticast())
    return d_->fail(DtlsError::InvalidInputParameters,
                    "setPeer: " + address.toString() + " is a multicast address");
  d_->peer_address = address;
  d_->peer_port = port;
  d_->verification_name = verificationName;
  d_->clearError();
  return true;
}

HostAddress Connection::peerAddress() const { return d_->peer_address; }
std::uint16_t Connection::peerPort() const { return d_->peer_port; }

bool Connection::setPeerVerificationName(const std::string& name) {
  if (d_->state != HandshakeNotStarted)
    return d_->fail(DtlsError::InvalidOperation,
                    "setPeerVerificationName: cannot change the name after the handshake "
                    "started");
  d_->verification_name = name;
  d_->clearError();
  return true;
}

std::string Connection::peerVerificationName() const { return d_->verification_name; }

bool Connection::setDtlsConfiguration(const Configuration& configuration) {
  if (d_->state != HandshakeNotStarted)
    return d_->fail(DtlsError::InvalidOperation,
                    "setDtlsConfiguration: cannot change the configuration after the handshake "
                    "started");
  d_->configuration = configuration;
  d_->clearError();
  return true;
}

Configuration Connection::dtlsConfiguration() const { return d_->configuration; }

bool Connection::setCookieGeneratorParameters(const GeneratorParameters& params) {
  if (params.secret.empty())
    return d_->fail(DtlsError::InvalidInputParameters,
                    "setCookieGeneratorParameters: the secret is empty");
  if (d_->state != HandshakeNotStarted)
    return d_->fail(DtlsError::InvalidOperation,
                    "setCookieGeneratorParameters: cannot change the parameters after the "
                    "handshake started");
  d_->cookie_params = params;
  d_->clearError();
  return true;
}

GeneratorParameters Connection::cookieGeneratorParameters() const { return d_->cookie_params; }

void Connection::setMtuHint(std::uint16_t mtuHint) { d_->mtu_hint = mtuHint; }
std::uint16_t Connection::mtuHint() const { return d_->mtu_hint; }

void Connection::setHandshakeTimeoutCallback(HandshakeTimeoutCallback callback) {
  d_->timeout_callback = std::move(callback);
}

void Connection::setPskRequiredCallback(PskRequiredCallback callback) {
  d_->psk_callback = std::move(callback);
}

// ---- Handshake ------------------------------------------------------------------------------

bool Connection::doHandshake(DatagramSocket* socket, const ByteArray& datagram) {
  if (socket == nullptr)
    return d_->fail(DtlsError::InvalidInputParameters, "doHandshake: the socket is null");
  if (d_->mode == SslMode::UnencryptedMode)
    return d_->fail(DtlsError::InvalidOperation,
                    "doHandshake: the connection was created in UnencryptedMode");
  switch (d_->state) {
    case HandshakeNotStarted:
      if (d_->peer_address.isNull())
        return d_->fail(DtlsError::InvalidOperation,
                        "doHandshake: call setPeer() before starting a handshake");
      if (d_->mode == SslMode::SslServerMode && datagram.empty())
        return d_->fail(DtlsError::InvalidInputParameters,
                        "doHandshake: a server starts with the client's first datagram "
                        "(its ClientHello), and it is empty");
      if (!checkFeatures(*d_)) return false;
      if (!d_->startTls(socket)) return false;
      d_->state = HandshakeInProgress;
      break;
    case HandshakeInProgress:
      break;
    case PeerVerificationFailed:
      return d_->fail(DtlsError::InvalidOperation,
                      "doHandshake: peer verification failed; call ignoreVerificationErrors() "
                      "and resumeHandshake(), or abortHandshake()");
    case HandshakeComplete:
      return d_->fail(DtlsError::InvalidOperation,
                      "doHandshake: the handshake is already complete");
  }
  return d_->continueHandshake(socket, datagram);
}

bool Connection::handleTimeout(DatagramSocket* socket) {
  if (socket == nullptr)
    return d_->fail(DtlsError::InvalidInputParameters, "handleTimeout: the socket is null");
  if (d_->state != HandshakeInProgress)
    return d_->fail(DtlsError::InvalidOperation,
                    std::string("handleTimeout: no handshake in progress (state ") +
                        stateName(d_->state) + ")");
  return d_->handleTimeout(socket);
}

bool Connection::resumeHandshake(DatagramSocket* socket) {
  if (socket == nullptr)
    return d_->fail(DtlsError::InvalidInputParameters, "resumeHandshake: the socket is null");
  if (d_->state != PeerVerificationFailed)
    return d_->fail(DtlsError::InvalidOperation,
                    std::string("resumeHandshake: no handshake awaits a verification decision "
                                "(state ") +
                        stateName(d_->state) + ")");
  return d_->resumeAfterVerification(socket);
}

bool Connection::abortHandshake(DatagramSocket* socket) {
  if (socket == nullptr)
    return d_->fail(DtlsError::InvalidInputParameters, "abortHandshake: the socket is null");
  if (d_->state != HandshakeInProgress && d_->state != PeerVerificationFailed)
    return d_->fail(DtlsError::InvalidOperation,
                    std::string("abortHandshake: no handshake to abort (state ") +
                        stateName(d_->state) + ")");
  // A handshake in progress sends nothing, and a lost alert is no reason to keep the handshake.
  std::string ignored_write_error;
  d_->sendCloseAndReset(socket, &ignored_write_error);
  d_->clearError();
  return true;
}

std::vector<SslError> Connection::peerVerificationErrors() const {
  return d_->verification_errors;
}

void Connection::ignoreVerificationErrors(const std::vector<SslError>& errorsToIgnore) {
  d_->errors_to_ignore = errorsToIgnore;
}

Connection::HandshakeState Connection::handshakeState() const { return d_->state; }
bool Connection::isConnectionEncrypted() const { return d_->state == HandshakeComplete; }

Cipher Connection::sessionCipher() const {
  return isConnectionEncrypted() ? d_->configuration.sessionCipher() : Cipher();
}

SslProtocol Connection::sessionProtocol() const {
  return isConnectionEncrypted() ? d_->configuration.sessionProtocol()
                                 : SslProtocol::UnknownProtocol;
}

// ---- Encrypted data -------------------------------------------------------------------------

std::int64_t Connection::writeDatagramEncrypted(DatagramSocket* socket,
                                                std::string_view datagram) {
  if (socket == nullptr) {
    d_->fail(DtlsError::InvalidInputParameters, "writeDatagramEncrypted: the socket is null");
    return -1;
  }
  if (d_->state != HandshakeComplete) {
    d_->fail(DtlsError::InvalidOperation,
             std::string("writeDatagramEncrypted: the connection is not encrypted (state ") +
                 stateName(d_->state) + ")");
    return -1;
  }
  if (datagram.empty()) {
    d_->fail(DtlsError::InvalidInputParameters, "writeDatagramEncrypted: the datagram is empty");
    return -1;
  }
  if (!d_->checkWriteSize(datagram.size())) return -1;
  return d_->writeEncrypted(socket, datagram);
}

ByteArray Connection::decryptDatagram(DatagramSocket* socket, std::string_view datagram) {
  ByteArray plaintext;
  decryptDatagram(socket, datagram, &plaintext);
  return plaintext;
}

std::int64_t Connection::decryptDatagram(DatagramSocket* socket, std::string_view datagram,
                                         ByteArray* plaintext) {
  if (plaintext == nullptr) {
    d_->fail(DtlsError::InvalidInputParameters, "decryptDatagram: the plaintext buffer is null");
    return -1;
  }
  plaintext->clear();
  if (socket == nullptr) {
    d_->fail(DtlsError::InvalidInputParameters, "decryptDatagram: the socket is null");
    return -1;
  }
  if (d_->state != HandshakeComplete) {
    d_->fail(DtlsError::InvalidOperation,
             std::string("decryptDatagram: the connection is not encrypted (state ") +
                 stateName(d_->state) + ")");
    return -1;
  }
  d_->clearError();
  if (datagram.empty()) return 0;
  d_->decrypt(socket, datagram, plaintext);
  return static_cast<std::int64_t>(plaintext->size());
}

bool Connection::shutdown(DatagramSocket* socket) {
  if (socket == nullptr)
    return d_->fail(DtlsError::InvalidInputParameters, "shutdown: the socket is null");
  if (d_->state != HandshakeComplete)
    return d_->fail(DtlsError::InvalidOperation,
                    std::string("shutdown: the connection is not encrypted (state ") +
                        stateName(d_->state) + ")");
  std::string write_error;
  if (!d_->sendCloseAndReset(socket, &write_error))
    return d_->fail(DtlsError::UnderlyingSocketError,
                    "shutdown: sending close_notify failed: " + write_error);
  d_->clearError();
  return true;
}

// ---- Errors ---------------------------------------------------------------------------------

DtlsError Connection::dtlsError() const { return d_->error; }
std::string Connection::dtlsErrorString() const { return d_->errorString(); }
int Connection::retransmissionCount() const { return d_->retransmissions; }

std::vector<ByteArray> Connection::takePendingDatagrams() {
  std::vector<ByteArray> out(std::make_move_iterator(d_->early_data.begin()),
                             std::make_move_iterator(d_->early_data.end()));
  d_->early_data.clear();
  return out;
}

void Connection::setKeyLogCallback(KeyLogCallback callback) {
  d_->keylog_callback = std::move(callback);
}

}  // namespace dtls
