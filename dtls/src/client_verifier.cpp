#include "dtls/client_verifier.h"

#include "backend.h"
#include "fragmented_hello.h"

namespace dtls {

namespace {

std::unique_ptr<detail::VerifierEngine> makeEngine(const std::string& backend) {
  const detail::Backend* found = detail::findBackend(backend);
  return found != nullptr ? found->makeVerifier() : detail::makeUnavailableVerifier(backend);
}

}  // namespace

struct ClientVerifier::Impl {
  explicit Impl(const std::string& backend_name)
      : backend(backend_name.empty() ? activeBackend() : backend_name),
        engine(makeEngine(backend_name)),
        params(engine->defaultParameters()) {}

  const std::string backend;
  const std::unique_ptr<detail::VerifierEngine> engine;
  GeneratorParameters params;
  ByteArray verified_hello;
  DtlsError error = DtlsError::NoError;
  std::string error_string;

  bool fail(DtlsError code, std::string message) {
    error = code;
    error_string = std::move(message);
    return false;
  }
  void clearError() {
    error = DtlsError::NoError;
    error_string.clear();
  }
};

ClientVerifier::ClientVerifier(const std::string& backend)
    : d_(std::make_unique<Impl>(backend)) {}
ClientVerifier::~ClientVerifier() = default;

std::string ClientVerifier::backend() const { return d_->backend; }

bool ClientVerifier::setCookieGeneratorParameters(const GeneratorParameters& params) {
  if (params.secret.empty())
    return d_->fail(DtlsError::InvalidInputParameters,
                    "setCookieGeneratorParameters: the secret is empty");
  d_->params = params;
  d_->clearError();
  return true;
}

GeneratorParameters ClientVerifier::cookieGeneratorParameters() const { return d_->params; }

bool ClientVerifier::verifyClient(DatagramSocket* socket, const ByteArray& datagram,
                                  const HostAddress& address, std::uint16_t port) {
  d_->verified_hello.clear();
  if (socket == nullptr)
    return d_->fail(DtlsError::InvalidInputParameters, "verifyClient: the socket is null");
  if (datagram.empty())
    return d_->fail(DtlsError::InvalidInputParameters, "verifyClient: the datagram is empty");
  if (address.isNull())
    return d_->fail(DtlsError::InvalidInputParameters, "verifyClient: the address is null");
  if (address.isBroadcast() || address.isMulticast())
    return d_->fail(DtlsError::InvalidInputParameters,
                    "verifyClient: " + address.toString() + " is a " +
                        (address.isBroadcast() ? "broadcast" : "multicast") + " address");
  if (detail::carriesFragmentedClientHello(datagram)) {
    d_->clearError();  // dropped, as DTLS drops what it cannot use
    return false;
  }
  DtlsError code = DtlsError::NoError;
  std::string why;
  switch (d_->engine->verify(socket, datagram, address, port, d_->params, &code, &why)) {
    case detail::VerifierEngine::Outcome::kFailed:
      return d_->fail(code, std::move(why));
    case detail::VerifierEngine::Outcome::kAnswered:
      d_->clearError();
      return false;  // answered with HelloVerifyRequest, or not a ClientHello
    case detail::VerifierEngine::Outcome::kVerified:
      break;
  }
  d_->clearError();
  d_->verified_hello = datagram;
  return true;
}

ByteArray ClientVerifier::verifiedHello() const { return d_->verified_hello; }
DtlsError ClientVerifier::dtlsError() const { return d_->error; }
std::string ClientVerifier::dtlsErrorString() const { return d_->error_string; }

}  // namespace dtls
