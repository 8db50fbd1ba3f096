// The backends built in, the active one, and the public queries of dtls/backend.h.
#include <array>
#include <atomic>

#include "backend.h"
#include "connection_impl.h"

namespace dtls {

namespace {

// The default first: it is what availableBackends() lists first and activeBackend() starts as.
const std::array<const detail::Backend*, 4>& builtIn() {
  static const std::array<const detail::Backend*, 4> backends{
      &detail::opensslBackend(), &detail::mbedtlsBackend(), &detail::gnutlsBackend(),
      &detail::wolfsslBackend()};
  return backends;
}

std::atomic<const detail::Backend*>& active() {
  static std::atomic<const detail::Backend*> backend{builtIn().front()};
  return backend;
}

std::string availableList() {
  std::string list;
  for (const detail::Backend* b : builtIn()) list += (list.empty() ? "" : ", ") + std::string(b->name());
  return list;
}

}  // namespace

namespace detail {

const Backend* findBackend(std::string_view name) {
  if (name.empty()) return active().load();
  for (const Backend* b : builtIn())
    if (name == b->name()) return b;
  return nullptr;
}

namespace {

std::string unavailableText(const std::string& call, const std::string& name) {
  return call + ": no DTLS backend is named '" + name + "' (available: " + availableList() + ")";
}

class UnavailableConnection : public ConnectionImpl {
 public:
  UnavailableConnection(SslMode ssl_mode, TimerService* timer_service, std::string name)
      : ConnectionImpl(ssl_mode, timer_service, {}), name_(std::move(name)) {}
  const char* backendName() const override { return name_.c_str(); }
  bool startTls(DatagramSocket*) override {
    return fail(DtlsError::TlsInitializationError, unavailableText("doHandshake", name_));
  }
  // Never reached: startTls fails, so the state never leaves HandshakeNotStarted.
  bool continueHandshake(DatagramSocket*, const ByteArray&) override { return false; }
  bool handleTimeout(DatagramSocket*) override { return false; }
  std::int64_t writeEncrypted(DatagramSocket*, std::string_view) override { return -1; }
  void decrypt(DatagramSocket*, std::string_view, ByteArray*) override {}
  bool sendCloseAndReset(DatagramSocket*, std::string*) override { return true; }
  std::size_t dataRoomBytes() const override { return 0; }

 protected:
  void collectSessionState() override {}
  void collectEarlyData(DatagramSocket*) override {}
  void resetTls() override {}

 private:
  const std::string name_;
};

class UnavailableVerifier : public VerifierEngine {
 public:
  explicit UnavailableVerifier(std::string name) : name_(std::move(name)) {}
  GeneratorParameters defaultParameters() override { return {}; }
  Outcome verify(DatagramSocket*, const ByteArray&, const HostAddress&, std::uint16_t,
                 const GeneratorParameters&, DtlsError* code, std::string* error) override {
    *code = DtlsError::TlsInitializationError;
    *error = unavailableText("verifyClient", name_);
    return Outcome::kFailed;
  }

 private:
  const std::string name_;
};

}  // namespace

std::unique_ptr<ConnectionImpl> makeUnavailableConnection(SslMode mode, TimerService* timers,
                                                          const std::string& name) {
  return std::make_unique<UnavailableConnection>(mode, timers, name);
}

std::unique_ptr<VerifierEngine> makeUnavailableVerifier(const std::string& name) {
  return std::make_unique<UnavailableVerifier>(name);
}

}  // namespace detail

std::vector<std::string> availableBackends() {
  std::vector<std::string> names;
  for (const detail::Backend* b : builtIn()) names.emplace_back(b->name());
  return names;
}

std::string activeBackend() { return active().load()->name(); }

bool setActiveBackend(const std::string& name) {
  const detail::Backend* found = name.empty() ? nullptr : detail::findBackend(name);
  if (found == nullptr) return false;
  active().store(found);
  return true;
}

bool isClassImplemented(ImplementedClass implemented_class, const std::string& backend) {
  const detail::Backend* b = detail::findBackend(backend);
  return b != nullptr && b->isClassImplemented(implemented_class);
}

bool isFeatureSupported(SupportedFeature feature, const std::string& backend) {
  const detail::Backend* b = detail::findBackend(backend);
  return b != nullptr && b->isFeatureSupported(feature);
}

std::vector<SslProtocol> supportedProtocols(const std::string& backend) {
  const detail::Backend* b = detail::findBackend(backend);
  return b != nullptr ? b->supportedProtocols() : std::vector<SslProtocol>{};
}

std::string backendVersion(const std::string& backend) {
  const detail::Backend* b = detail::findBackend(backend);
  return b != nullptr ? b->version() : std::string();
}

const char* toString(SupportedFeature feature) {
  switch (feature) {
    case SupportedFeature::CertificateVerification: return "CertificateVerification";
    case SupportedFeature::ClientSideAlpn: return "ClientSideAlpn";
    case SupportedFeature::ServerSideAlpn: return "ServerSideAlpn";
    case SupportedFeature::Ocsp: return "Ocsp";
    case SupportedFeature::Psk: return "Psk";
    case SupportedFeature::SessionTicket: return "SessionTicket";
    case SupportedFeature::Alerts: return "Alerts";
    case SupportedFeature::BackendConfiguration: return "BackendConfiguration";
    case SupportedFeature::InterruptOnVerificationError: return "InterruptOnVerificationError";
    case SupportedFeature::DiffieHellmanParameters: return "DiffieHellmanParameters";
    case SupportedFeature::PeerVerifyDepth: return "PeerVerifyDepth";
    case SupportedFeature::DtlsV1_0: return "DtlsV1_0";
    case SupportedFeature::PskIdentityHint: return "PskIdentityHint";
    case SupportedFeature::ClientCipherPreference: return "ClientCipherPreference";
    case SupportedFeature::MtuControl: return "MtuControl";
  }
  return "?";
}

const char* toString(ImplementedClass implemented_class) {
  switch (implemented_class) {
    case ImplementedClass::Key: return "Key";
    case ImplementedClass::Certificate: return "Certificate";
    case ImplementedClass::Socket: return "Socket";
    case ImplementedClass::DiffieHellman: return "DiffieHellman";
    case ImplementedClass::EllipticCurve: return "EllipticCurve";
    case ImplementedClass::Dtls: return "Dtls";
    case ImplementedClass::DtlsCookie: return "DtlsCookie";
  }
  return "?";
}

}  // namespace dtls
