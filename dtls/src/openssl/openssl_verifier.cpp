// The OpenSSL engine of a ClientVerifier: DTLSv1_listen on one reusable SSL.
#include "openssl_verifier.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "cookie.h"
#include "datagram_bio.h"
#include "dtls/openssl_context.h"
#include "ossl_ptr.h"
#include "tls_context.h"

namespace dtls::detail {

namespace {

class OpensslVerifier : public VerifierEngine {
 public:
  GeneratorParameters defaultParameters() override { return defaultGeneratorParameters(libctx_); }

  Outcome verify(DatagramSocket* socket, const ByteArray& datagram, const HostAddress& address,
                 std::uint16_t port, const GeneratorParameters& params, DtlsError* code,
                 std::string* error) override {
    if (!ensureContext(code, error) || !ensureSsl(code, error)) return Outcome::kFailed;
    OsslPtr<BIO_ADDR> client(BIO_ADDR_new());
    if (!client) {
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: out of memory: " + takeOpenSslError();
      return Outcome::kFailed;
    }
    channel_.peer_address = address;
    channel_.peer_port = port;
    CookiePeer peer{libctx_, &params, address, port};
    attachCookiePeer(ssl_.get(), &peer);

    ERR_clear_error();
    channel_.bind(socket, &datagram);
    const int ret = DTLSv1_listen(ssl_.get(), client.get());
    channel_.unbind();
    attachCookiePeer(ssl_.get(), nullptr);
    if (ret < 0) {
      ssl_.reset();
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: DTLSv1_listen failed: " + takeOpenSslError();
      return Outcome::kFailed;
    }
    ERR_clear_error();
    if (channel_.write_failed) {
      *code = DtlsError::UnderlyingSocketError;
      *error = "verifyClient: sending HelloVerifyRequest to " + address.toString() + ":" +
               std::to_string(port) + " failed: " + channel_.write_error;
      return Outcome::kFailed;
    }
    return ret == 0 ? Outcome::kAnswered : Outcome::kVerified;
  }

 private:
  bool ensureContext(DtlsError* code, std::string* error) {
    if (ctx_) return true;
    std::string why;
    ctx_ = sharedVerifierContext(libctx_, &why);
    if (ctx_) return true;
    *code = DtlsError::TlsInitializationError;
    *error = "verifyClient: " + why;
    return false;
  }

  // The SSL, built if needed, with its BIO over `channel_`.
  bool ensureSsl(DtlsError* code, std::string* error) {
    if (ssl_) return true;
    OsslPtr<SSL> fresh(SSL_new(ctx_.get()));
    BIO* bio = fresh ? newDatagramBio(&channel_) : nullptr;
    if (bio == nullptr) {
      *code = DtlsError::TlsFatalError;
      *error = "verifyClient: out of memory: " + takeOpenSslError();
      return false;
    }
    SSL_set_bio(fresh.get(), bio, bio);
    ssl_ = std::move(fresh);
    return true;
  }

  OSSL_LIB_CTX* const libctx_ = currentLibraryContext();
  // Built on first use; shared by every verifyClient call and every verifier on libctx.
  SharedSslCtx ctx_;
  // One SSL for every call: DTLSv1_listen starts with SSL_clear, which leaves nothing of the
  // last client, and keeping it saves an SSL_new/SSL_free (and its buffers) per datagram from an
  // unknown peer, the datagrams a flood consists of. Dropped after a failure. Its BIO reads and
  // writes `channel_`, declared first so that it outlives the SSL.
  DatagramChannel channel_;
  OsslPtr<SSL> ssl_;
};

}  // namespace

std::unique_ptr<VerifierEngine> makeOpensslVerifier() {
  return std::make_unique<OpensslVerifier>();
}

}  // namespace dtls::detail
