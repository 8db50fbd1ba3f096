#include "mbed_cookie.h"

#include <optional>
#include <string>

#include "mbed_random.h"

namespace dtls::detail {

namespace {

constexpr std::uint8_t kHandshake = 22;           // RFC 5246 §6.2.1 ContentType
constexpr std::uint8_t kHelloVerifyRequest = 3;   // RFC 6347 §4.3.2
// RFC 6347 §4.2.1: a DTLS 1.2 server SHOULD send HelloVerifyRequest as DTLS 1.0 (0xfeff).
constexpr std::uint16_t kDtls10 = 0xfeff;
constexpr std::size_t kCookieSecretBytes = 16;

void put(ByteArray* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// RFC 6347 §4.2.1: the record sequence number and message_seq of the ClientHello it answers.
ByteArray helloVerifyRequest(const FirstHello& hello, const unsigned char* cookie,
                             std::size_t cookie_bytes) {
  const std::size_t body_bytes = 2 + 1 + cookie_bytes;
  ByteArray out;
  put(&out, kHandshake, 1);
  put(&out, kDtls10, 2);
  put(&out, 0, 2);  // epoch
  put(&out, hello.record_sequence, 6);
  put(&out, 12 + body_bytes, 2);
  put(&out, kHelloVerifyRequest, 1);
  put(&out, body_bytes, 3);
  put(&out, hello.message_seq, 2);
  put(&out, 0, 3);  // fragment_offset
  put(&out, body_bytes, 3);
  put(&out, kDtls10, 2);
  put(&out, cookie_bytes, 1);
  out.append(reinterpret_cast<const char*>(cookie), cookie_bytes);
  return out;
}

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
    const ByteArray answer =
        helloVerifyRequest(*hello, fresh, static_cast<std::size_t>(end - fresh));
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
