// Name <-> enum tables for scenario files and traces. Names come from the dtls library's own
// toString functions, so a name in a trace always parses back.

#include <string>
#include <string_view>
#include <vector>

#include "scenarios/endpoint_config.h"

namespace scenarios {
namespace {

template <class E>
std::vector<E> range(int first, int last) {
  std::vector<E> values;
  for (int v = first; v <= last; ++v) values.push_back(static_cast<E>(v));
  return values;
}

const std::vector<dtls::SslProtocol>& protocols() {
  static const auto values = range<dtls::SslProtocol>(0, static_cast<int>(dtls::SslProtocol::TlsV1_3OrLater));
  return values;
}
const std::vector<dtls::PeerVerifyMode>& verifyModes() {
  static const auto values = range<dtls::PeerVerifyMode>(0, static_cast<int>(dtls::PeerVerifyMode::AutoVerifyPeer));
  return values;
}
const std::vector<dtls::DtlsError>& dtlsErrors() {
  static const auto values = range<dtls::DtlsError>(0, static_cast<int>(dtls::DtlsError::TlsNonFatalError));
  return values;
}
const std::vector<dtls::Connection::HandshakeState>& handshakeStates() {
  static const auto values = range<dtls::Connection::HandshakeState>(
      0, static_cast<int>(dtls::Connection::HandshakeComplete));
  return values;
}
const std::vector<dtls::SslError::Error>& sslErrors() {
  static const std::vector<dtls::SslError::Error> values = [] {
    auto v = range<dtls::SslError::Error>(0, static_cast<int>(dtls::SslError::OcspStatusUnknown));
    v.push_back(dtls::SslError::UnspecifiedError);
    return v;
  }();
  return values;
}

template <class E, class NameOf>
std::optional<E> lookup(const std::vector<E>& values, std::string_view name, NameOf name_of) {
  for (E v : values) {
    if (name == name_of(v)) return v;
  }
  return std::nullopt;
}

template <class E, class NameOf>
std::string join(const std::vector<E>& values, NameOf name_of) {
  std::string out;
  for (E v : values) {
    if (!out.empty()) out += ", ";
    out += name_of(v);
  }
  return out;
}

const char* protocolName(dtls::SslProtocol v) { return dtls::toString(v); }
const char* verifyModeName(dtls::PeerVerifyMode v) { return dtls::toString(v); }
const char* dtlsErrorName(dtls::DtlsError v) { return dtls::toString(v); }
const char* sslErrorName(dtls::SslError::Error v) { return dtls::SslError::toString(v); }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const char* handshakeStateName(dtls::Connection::HandshakeState state) {
  switch (state) {
    case dtls::Connection::HandshakeNotStarted: return "HandshakeNotStarted";
    case dtls::Connection::HandshakeInProgress: return "HandshakeInProgress";
    case dtls::Connection::PeerVerificationFailed: return "PeerVerificationFailed";
    case dtls::Connection::HandshakeComplete: return "HandshakeComplete";
  }
  return "Unknown";
}

std::optional<dtls::SslProtocol> sslProtocolFromName(std::string_view name) {
  return lookup(protocols(), name, protocolName);
}
std::optional<dtls::PeerVerifyMode> peerVerifyModeFromName(std::string_view name) {
  return lookup(verifyModes(), name, verifyModeName);
}
std::optional<dtls::DtlsError> dtlsErrorFromName(std::string_view name) {
  return lookup(dtlsErrors(), name, dtlsErrorName);
}
std::optional<dtls::Connection::HandshakeState> handshakeStateFromName(std::string_view name) {
  return lookup(handshakeStates(), name, handshakeStateName);
}
std::optional<dtls::SslError::Error> sslErrorFromName(std::string_view name) {
  return lookup(sslErrors(), name, sslErrorName);
}

std::string sslProtocolNames() { return join(protocols(), protocolName); }
std::string peerVerifyModeNames() { return join(verifyModes(), verifyModeName); }
std::string dtlsErrorNames() { return join(dtlsErrors(), dtlsErrorName); }
std::string handshakeStateNames() { return join(handshakeStates(), handshakeStateName); }
std::string sslErrorNames() { return join(sslErrors(), sslErrorName); }

bool hexDecode(std::string_view hex, dtls::ByteArray* out) {
  if (hex.size() % 2 != 0) return false;
  dtls::ByteArray bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hexValue(hex[i]);
    const int lo = hexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  *out = std::move(bytes);
  return true;
}

std::vector<dtls::SslError::Error> ignoredErrors(const dtlsim::DtlsConfig& dtls) {
  std::vector<dtls::SslError::Error> out;
  for (const std::string& name : dtls.ignore_errors()) {
    if (const auto e = sslErrorFromName(name)) out.push_back(*e);
  }
  return out;
}

dtls::ByteArray pskKey(const dtlsim::DtlsConfig& dtls) {
  dtls::ByteArray key;
  if (!hexDecode(dtls.psk().key_hex(), &key)) return {};
  return key;
}

}  // namespace scenarios
