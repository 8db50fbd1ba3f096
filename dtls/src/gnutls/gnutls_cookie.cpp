#include "gnutls_cookie.h"

#include <gnutls/dtls.h>
#include <gnutls/gnutls.h>

#include <optional>
#include <string>

#include "first_hello.h"
#include "gnutls_context.h"
#include "gnutls_global.h"
#include "gnutls_random.h"

namespace dtls::detail {

namespace {

constexpr std::size_t kCookieSecretBytes = 16;
constexpr std::size_t kCookieKeyBytes = 32;

struct Reply {
  DatagramSocket* socket;
  const HostAddress* address;
  std::uint16_t port;
  bool failed = false;
};

ssize_t sendReply(gnutls_transport_ptr_t ptr, const void* data, size_t bytes) {
  auto* reply = static_cast<Reply*>(ptr);
  if (reply->socket->writeDatagram(std::string_view(static_cast<const char*>(data), bytes),
                                   *reply->address, reply->port) < 0) {
    reply->failed = true;
    return -1;
  }
  return static_cast<ssize_t>(bytes);
}

class GnutlsVerifier : public VerifierEngine {
 public:
  GnutlsVerifier() : random_(currentRandomSource()) { ensureGnutlsInitialized(); }

  GeneratorParameters defaultParameters() override {
    GeneratorParameters params;
    params.secret.resize(kCookieSecretBytes);
    fillGnutlsRandom(random_, reinterpret_cast<unsigned char*>(params.secret.data()),
                     params.secret.size());
    return params;
  }

  Outcome verify(DatagramSocket* socket, const ByteArray& datagram, const HostAddress& address,
                 std::uint16_t port, const GeneratorParameters& params, DtlsError* code,
                 std::string* error) override {
    // gnutls_dtls_cookie_verify reads the cookie at fixed offsets without checking that the
    // record is a ClientHello: only one that parses reaches it.
    const std::optional<FirstHello> hello = firstHello(datagram);
    if (!hello) return Outcome::kAnswered;  // not a ClientHello: dropped
    if (key_.empty() || key_params_ != params) {
      key_ = gnutlsCookieKey(params);
      key_params_ = params;
    }
    if (key_.empty()) {
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: deriving the gnutls cookie key failed";
      return Outcome::kFailed;
    }
    GnutlsRandomScope scope(random_);
    gnutls_datum_t key{key_.data(), static_cast<unsigned>(key_.size())};
    auto id = transportId(address, port);
    gnutls_dtls_prestate_st prestate{};
    const int checked = gnutls_dtls_cookie_verify(
        &key, id.data(), id.size(), const_cast<char*>(datagram.data()), datagram.size(),
        &prestate);
    if (checked == 0) return Outcome::kVerified;
    if (checked != GNUTLS_E_BAD_COOKIE) return Outcome::kAnswered;  // truncated: dropped
    // The HelloVerifyRequest echoes the hello's record sequence number (RFC 6347 §4.2.1);
    // GnuTLS writes its low byte only, as its server does.
    prestate.record_seq = static_cast<unsigned>(hello->record_sequence & 0xff);
    prestate.hsk_read_seq = hello->message_seq;
    prestate.hsk_write_seq = 0;
    Reply reply{socket, &address, port};
    if (gnutls_dtls_cookie_send(&key, id.data(), id.size(), &prestate, &reply, sendReply) < 0) {
      *code = reply.failed ? DtlsError::UnderlyingSocketError : DtlsError::TlsFatalError;
      *error = "verifyClient: sending HelloVerifyRequest to " + address.toString() + ":" +
               std::to_string(port) + " failed" +
               (reply.failed ? ": " + socket->errorString() : std::string());
      return Outcome::kFailed;
    }
    return Outcome::kAnswered;
  }

 private:
  RandomSource* const random_;
  std::vector<unsigned char> key_;  // for key_params_
  GeneratorParameters key_params_;
};

}  // namespace

std::vector<unsigned char> gnutlsCookieKey(const GeneratorParameters& params) {
  if (params.secret.empty()) return {};
  return deriveKey(params, "dtlsim gnutls cookie", kCookieKeyBytes);
}

std::unique_ptr<VerifierEngine> makeGnutlsVerifier() {
  return std::make_unique<GnutlsVerifier>();
}

}  // namespace dtls::detail
