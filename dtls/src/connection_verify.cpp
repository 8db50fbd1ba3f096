// ConnectionImpl: peer verification decisions, the same on every backend (as QDtls makes them).
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "configuration_access.h"
#include "connection_impl.h"

namespace dtls::detail {

namespace {

// True if the negotiated suite authenticates the server by the pre-shared key alone: then no
// certificate is expected, and its absence is not a verification error.
bool pskAuthenticated(const Cipher& cipher) { return cipher.authenticationMethod() == "PSK"; }

// The value types are OpenSSL's for every backend (backend.h), so the name check is too.
bool hostMatches(X509* cert, const std::string& name) {
  // An address literal is matched against iPAddress SANs (RFC 6125 §6.2.1), a name against
  // dNSName SANs, falling back to the CN only when no SAN exists (OpenSSL's default).
  const int rc = HostAddress(name).isNull()
                     ? X509_check_host(cert, name.data(), name.size(), 0, nullptr)
                     : X509_check_ip_asc(cert, name.c_str(), 0);
  ERR_clear_error();
  return rc == 1;
}

}  // namespace

std::vector<SslError> blacklistErrors(const std::vector<Certificate>& chain) {
  std::vector<SslError> errors;
  for (const auto& certificate : chain)
    if (certificate.isBlacklisted())
      errors.emplace_back(SslError::CertificateBlacklisted, certificate);
  return errors;
}

bool ConnectionImpl::noteVerificationError(const SslError& found) {
  if (std::find(verification_errors.begin(), verification_errors.end(), found) ==
      verification_errors.end()) {
    verification_errors.push_back(found);
  }
  // Only VerifyPeer requires a valid certificate; under QueryPeer errors are dropped later.
  if (configuration.handshakeMustInterruptOnError() &&
      effectiveVerifyMode() == PeerVerifyMode::VerifyPeer && !isIgnored(found)) {
    verification_interrupted_ = true;
    return true;
  }
  return false;  // collect and go on; finishHandshake() decides (as QDtls does)
}

PeerVerifyMode ConnectionImpl::effectiveVerifyMode() const {
  const PeerVerifyMode verify = configuration.peerVerifyMode();
  if (verify != PeerVerifyMode::AutoVerifyPeer) return verify;
  return mode == SslMode::SslServerMode ? PeerVerifyMode::QueryPeer : PeerVerifyMode::VerifyPeer;
}

bool ConnectionImpl::isIgnored(const SslError& e) const {
  return std::find(errors_to_ignore.begin(), errors_to_ignore.end(), e) !=
         errors_to_ignore.end();
}

std::vector<SslError> ConnectionImpl::remainingErrors() const {
  std::vector<SslError> remaining;
  for (const auto& e : verification_errors)
    if (!isIgnored(e)) remaining.push_back(e);
  return remaining;
}

bool ConnectionImpl::finishHandshake(DatagramSocket* socket) {
  collectSessionState();
  const PeerVerifyMode verify = effectiveVerifyMode();
  const bool server = mode == SslMode::SslServerMode;

  // QueryPeer asks for the certificate but does not require it to be valid.
  if (verify != PeerVerifyMode::VerifyPeer) verification_errors.clear();

  const Certificate peer = configuration.peerCertificate();
  if (verify == PeerVerifyMode::VerifyPeer) {
    // Qt checks the whole chain, root included, since a blacklist entry may name the issuer.
    for (const auto& e : blacklistErrors(configuration.peerCertificateChain()))
      if (std::find(verification_errors.begin(), verification_errors.end(), e) ==
          verification_errors.end())
        verification_errors.push_back(e);
    if (peer.isNull()) {
      if (!pskAuthenticated(configuration.sessionCipher()))
        verification_errors.emplace_back(SslError::NoPeerCertificate);
    } else if (!server) {
      const std::string name = verification_name.empty() ? peer_address.toString()
                                                         : verification_name;
      if (!hostMatches(peer.handle(), name))
        verification_errors.emplace_back(SslError::HostNameMismatch, peer);
    }
  }

  const auto remaining = remainingErrors();
  if (remaining.empty()) {
    state = Connection::HandshakeComplete;
    collectEarlyData(socket);
    clearError();
    return true;
  }
  const bool missing_is_fatal =
      configuration.missingCertificateIsFatal() &&
      std::any_of(remaining.begin(), remaining.end(),
                  [](const SslError& e) { return e.error() == SslError::NoPeerCertificate; });
  std::string message = "doHandshake: peer verification failed: " + remaining.front().errorString();
  if (remaining.size() > 1)
    message += " (and " + std::to_string(remaining.size() - 1) + " more)";
  if (missing_is_fatal) {
    // missingCertificateIsFatal: not ignorable; tell the peer and start over.
    std::string ignored_write_error;  // the verification error is what the caller needs
    sendCloseAndReset(socket, &ignored_write_error);
    return fail(DtlsError::PeerVerificationError, message + "; a missing certificate is fatal");
  }
  state = Connection::PeerVerificationFailed;
  return fail(DtlsError::PeerVerificationError, message);
}

bool ConnectionImpl::resumeAfterVerification(DatagramSocket* socket) {
  if (verification_interrupted_)
    return fail(DtlsError::InvalidOperation,
                "resumeHandshake: the handshake was interrupted at the first verification "
                "error (handshakeMustInterruptOnError) and cannot be resumed; call "
                "abortHandshake()");
  const auto remaining = remainingErrors();
  if (!remaining.empty())
    return fail(DtlsError::PeerVerificationError,
                "resumeHandshake: " + std::to_string(remaining.size()) +
                    " verification error(s) are not ignored, first: " +
                    remaining.front().errorString());
  state = Connection::HandshakeComplete;
  collectEarlyData(socket);
  clearError();
  return true;
}

}  // namespace dtls::detail
