#include "mbed_cookie.h"

#include <optional>
#include <string>

#include "hello_verify.h"
#include "mbed_random.h"

namespace dtls::detail {

namespace {

constexpr std::size_t kCookieSecretBytes = 16;

class MbedtlsVerifier : public VerifierEngine {
 public:
  GeneratorParameters defaultParameters() override {
    GeneratorParameters params;
    params.secret.resize(kCookieSecretBytes);
    if (MbedRandom::generate(&random_, reinterpret_cast<unsigned char*>(params.secret.data()),
                             params.secret.size()) != 0)
      params.secret.clear();
    return params;
  }

  Outcome verify(DatagramSocket* socket, const ByteArray& datagram, const HostAddress& address,
                 std::uint16_t port, const GeneratorParameters& params, DtlsError* code,
                 std::string* error) override {
    const std::optional<FirstHello> hello = firstHello(datagram);
    if (!hello) return Outcome::kAnswered;  // not a ClientHello: dropped
    if (!key_ || key_params_ != params) {
      key_ = std::make_unique<MbedCookieKey>(params);
      key_params_ = params;
    }
    if (!key_->ok()) {
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: mbedtls_ssl_cookie_setup failed";
      return Outcome::kFailed;
    }
    const auto id = transportId(address, port);
    const auto* cookie = reinterpret_cast<const unsigned char*>(hello->cookie.data());
    if (!hello->cookie.empty() &&
        mbedtls_ssl_cookie_check(key_->get(), cookie, hello->cookie.size(), id.data(),
                                 id.size()) == 0)
      return Outcome::kVerified;

    unsigned char fresh[64];
    unsigned char* end = fresh;
    if (mbedtls_ssl_cookie_write(key_->get(), &end, fresh + sizeof fresh, id.data(),
                                 id.size()) != 0) {
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: mbedtls_ssl_cookie_write failed";
      return Outcome::kFailed;
    }
    const ByteArray answer = helloVerifyRequest(
        *hello, std::string_view(reinterpret_cast<const char*>(fresh),
                                 static_cast<std::size_t>(end - fresh)));
    if (socket->writeDatagram(answer, address, port) < 0) {
      *code = DtlsError::UnderlyingSocketError;
      *error = "verifyClient: sending HelloVerifyRequest to " + address.toString() + ":" +
               std::to_string(port) + " failed: " + socket->errorString();
      return Outcome::kFailed;
    }
    return Outcome::kAnswered;
  }

 private:
  MbedRandom random_;
  std::unique_ptr<MbedCookieKey> key_;  // for key_params_
  GeneratorParameters key_params_;
};

}  // namespace

MbedCookieKey::MbedCookieKey(const GeneratorParameters& params) {
  mbedtls_ssl_cookie_init(&ctx_);
  if (params.secret.empty()) return;
  DerivedStream key_stream(params, "dtlsim mbedtls cookie");
  ok_ = mbedtls_ssl_cookie_setup(&ctx_, DerivedStream::generate, &key_stream) == 0;
}

MbedCookieKey::~MbedCookieKey() { mbedtls_ssl_cookie_free(&ctx_); }

std::unique_ptr<VerifierEngine> makeMbedtlsVerifier() {
  return std::make_unique<MbedtlsVerifier>();
}

}  // namespace dtls::detail
