#include "bare_end.h"

#include <utility>

#include "bare_dtls.h"

namespace bench {
namespace {

// OpenSSL: a cookie-checking server first answers through DTLSv1_listen (ClientHello,
// HelloVerifyRequest, ClientHello with cookie), as bareHandshake(SSL*, SSL*, true) does.
class OpensslEnd : public BareEnd {
 public:
  OpensslEnd(SslPtr ssl, bool listen) : ssl_(std::move(ssl)), listening_(listen) {}
  ~OpensslEnd() override {
    if (peer_) BIO_ADDR_free(peer_);
  }

  Step step() override {
    if (listening_) {
      if (!peer_) peer_ = BIO_ADDR_new();
      const int r = DTLSv1_listen(ssl_.get(), peer_);
      if (r < 0) return fail();
      if (r == 0) return Step::kMore;
      listening_ = false;
    }
    const int r = SSL_do_handshake(ssl_.get());
    if (r == 1) return Step::kDone;
    const int e = SSL_get_error(ssl_.get(), r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? Step::kMore : fail();
  }
  bool write(const char* data, std::size_t bytes) override {
    return SSL_write(ssl_.get(), data, static_cast<int>(bytes)) == static_cast<int>(bytes);
  }
  long read(char* buffer, std::size_t size) override {
    const int n = SSL_read(ssl_.get(), buffer, static_cast<int>(size));
    return n > 0 ? n : -1;
  }
  std::uint16_t suite() const override {
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
    return cipher != nullptr ? SSL_CIPHER_get_protocol_id(cipher) : 0;
  }
  std::string error() const override { return error_; }

 private:
  Step fail() {
    error_ = opensslError();
    return Step::kFailed;
  }

  SslPtr ssl_;
  bool listening_;
  BIO_ADDR* peer_ = nullptr;
  std::string error_;
};

class OpensslSide : public BareSide {
 public:
  OpensslSide(bool server, const BareOptions& options)
      : ctx_(newBareContext(server, options)), server_(server), cookies_(options.cookies) {}
  bool ok() const override { return ctx_ != nullptr; }
  std::unique_ptr<BareEnd> newEnd(QueueEnd* end) override {
    SslPtr ssl = newBareSsl(ctx_.get(), server_, end);
    if (!ssl) return nullptr;
    return std::make_unique<OpensslEnd>(std::move(ssl), server_ && cookies_);
  }

 private:
  SslCtxPtr ctx_;
  bool server_;
  bool cookies_;
};

}  // namespace

std::vector<std::string> bareLibraries() {
  std::vector<std::string> names = {"openssl", "mbedtls"};
#ifdef DTLSIM_BENCH_GNUTLS
  names.emplace_back("gnutls");
#endif
#ifdef DTLSIM_BENCH_WOLFSSL
  names.emplace_back("wolfssl");
#endif
  return names;
}

std::unique_ptr<BareSide> newBareSide(const std::string& library, bool server,
                                      const BareOptions& options) {
  std::unique_ptr<BareSide> side;
  if (library == "openssl") side = std::make_unique<OpensslSide>(server, options);
  if (library == "mbedtls") side = newMbedtlsSide(server, options);
#ifdef DTLSIM_BENCH_GNUTLS
  if (library == "gnutls") side = newGnutlsSide(server, options);
#endif
#ifdef DTLSIM_BENCH_WOLFSSL
  if (library == "wolfssl") side = newWolfsslSide(server, options);
#endif
  return side && side->ok() ? std::move(side) : nullptr;
}

BareLink::BareLink(BareSide& client, BareSide& server)
    : client_(client.newEnd(&client_end_)), server_(server.newEnd(&server_end_)) {}

void BareLink::copyDatagrams(DatagramQueue* to_server, DatagramQueue* to_client) {
  client_end_.copy = to_server;
  server_end_.copy = to_client;
}

bool BareLink::handshake(std::string* error) {
  // A lossless handshake with cookies takes 4 round trips; the bound only stops a stuck pair.
  constexpr int kMaxRounds = 20;
  bool client_done = false, server_done = false;
  for (int round = 0; round < kMaxRounds; ++round) {
    if (!client_done) {
      const BareEnd::Step c = client_->step();
      if (c == BareEnd::Step::kFailed) {
        *error = "client: " + client_->error();
        return false;
      }
      client_done = c == BareEnd::Step::kDone;
    }
    if (!server_done) {
      const BareEnd::Step s = server_->step();
      if (s == BareEnd::Step::kFailed) {
        *error = "server: " + server_->error();
        return false;
      }
      server_done = s == BareEnd::Step::kDone;
    }
    if (client_done && server_done) return true;
  }
  *error = "the handshake did not finish in " + std::to_string(kMaxRounds) + " rounds";
  return false;
}

}  // namespace bench
