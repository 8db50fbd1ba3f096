#include "wolf_cookie.h"

#include <optional>
#include <string>

#include "dtls/random_source.h"
#include "dtls/wire/client_hello.h"
#include "wolf_tls.h"

namespace dtls::detail {

namespace {

constexpr std::size_t kCookieSecretBytes = 16;

class WolfsslVerifier : public VerifierEngine {
 public:
  WolfsslVerifier() : random_(currentRandomSource()) {}

  GeneratorParameters defaultParameters() override { return wolfDefaultParameters(random_); }

  Outcome verify(DatagramSocket* socket, const ByteArray& datagram, const HostAddress& address,
                 std::uint16_t port, const GeneratorParameters& params, DtlsError* code,
                 std::string* error) override {
    const std::optional<FirstHello> hello = firstHello(datagram);
    if (!hello) return Outcome::kAnswered;  // not a ClientHello: dropped
    const ByteArray expected = wolfExpectedCookie(*hello, params, address, port);
    if (expected.empty()) {
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: the wolfssl cookie HMAC failed";
      return Outcome::kFailed;
    }
    if (hello->cookie == expected) return Outcome::kVerified;
    if (socket->writeDatagram(helloVerifyRequest(*hello, expected), address, port) < 0) {
      *code = DtlsError::UnderlyingSocketError;
      *error = "verifyClient: sending HelloVerifyRequest to " + address.toString() + ":" +
               std::to_string(port) + " failed: " + socket->errorString();
      return Outcome::kFailed;
    }
    return Outcome::kAnswered;
  }

 private:
  RandomSource* const random_;
};

}  // namespace

ByteArray wolfPeerId(const HostAddress& address, std::uint16_t port) {
  // An IPv4 peer and its IPv4-mapped IPv6 form are one peer (cookie.h): both take the
  // sockaddr_in form, so a cookie issued to one verifies for the other.
  bool v4_form = false;
  const std::uint32_t v4 = address.toIPv4Address(&v4_form);
  if (v4_form) {
    const unsigned char bytes[4] = {static_cast<unsigned char>(v4 >> 24),
                                    static_cast<unsigned char>(v4 >> 16),
                                    static_cast<unsigned char>(v4 >> 8),
                                    static_cast<unsigned char>(v4)};
    return wolf::peerId(false, bytes, port);
  }
  const auto v6 = address.toIPv6Address();
  return wolf::peerId(true, reinterpret_cast<const unsigned char*>(v6.data()), port);
}

ByteArray wolfExpectedCookie(const FirstHello& hello, const GeneratorParameters& params,
                             const HostAddress& address, std::uint16_t port) {
  const wire::ClientHelloResult parsed = wire::parseClientHello(hello.body);
  const ByteArray key = wolf::cookieKey(params.secret, static_cast<int>(params.hash));
  if (!parsed.ok() || key.empty()) return {};
  const wire::ClientHello& h = parsed.hello;
  return wolf::helloCookie(key, wolfPeerId(address, port), h.client_version, h.random,
                           h.session_id, h.cipher_suites, h.compression_methods);
}

GeneratorParameters wolfDefaultParameters(RandomSource* source) {
  GeneratorParameters params;
  params.secret.resize(kCookieSecretBytes);
  wolf::fillRandom(source, reinterpret_cast<unsigned char*>(params.secret.data()),
                   params.secret.size());
  return params;
}

std::unique_ptr<VerifierEngine> makeWolfsslVerifier() {
  return std::make_unique<WolfsslVerifier>();
}

}  // namespace dtls::detail
