#include "dtls/client_verifier.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "cookie.h"
#include "datagram_bio.h"
#include "dtls/openssl_context.h"
#include "ossl_ptr.h"
#include "tls_context.h"

namespace dtls {

struct ClientVerifier::Impl {
  OSSL_LIB_CTX* libctx = currentLibraryContext();
  GeneratorParameters params = detail::defaultGeneratorParameters(libctx);
  // Built on first use; shared by every verifyClient call and every verifier on libctx.
  detail::SharedSslCtx ctx;
  // One SSL for every call: DTLSv1_listen starts with SSL_clear, which leaves nothing of the
  // last client, and keeping it saves an SSL_new/SSL_free (and its buffers) per datagram from an
  // unknown peer, the datagrams a flood consists of. Dropped after a failure. Its BIO reads and
  // writes `channel`, declared first so that it outlives the SSL.
  detail::DatagramChannel channel;
  detail::OsslPtr<SSL> ssl;
  ByteArray verified_hello;
  DtlsError error = DtlsError::NoError;
  std::string error_string;

  bool fail(DtlsError code, std::string message) {
    error = code;
    error_string = std::move(message);
    return false;
  }

  bool ensureContext() {
    if (ctx) return true;
    std::string why;
    ctx = detail::sharedVerifierContext(libctx, &why);
    if (!ctx) return fail(DtlsError::TlsInitializationError, "verifyClient: " + why);
    return true;
  }

  // The SSL, built if needed, with its BIO over `channel`.
  bool ensureSsl() {
    if (ssl) return true;
    detail::OsslPtr<SSL> fresh(SSL_new(ctx.get()));
    BIO* bio = fresh ? detail::newDatagramBio(&channel) : nullptr;
    if (bio == nullptr)
      return fail(DtlsError::TlsFatalError,
                  "verifyClient: out of memory: " + detail::takeOpenSslError());
    SSL_set_bio(fresh.get(), bio, bio);
    ssl = std::move(fresh);
    return true;
  }
};

ClientVerifier::ClientVerifier() : d_(std::make_unique<Impl>()) {}
ClientVerifier::~ClientVerifier() = default;

bool ClientVerifier::setCookieGeneratorParameters(const GeneratorParameters& params) {
  if (params.secret.empty())
    return d_->fail(DtlsError::InvalidInputParameters,
                    "setCookieGeneratorParameters: the secret is empty");
  d_->params = params;
  d_->error = DtlsError::NoError;
  d_->error_string.clear();
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
    d_->error = DtlsError::NoError;  // dropped, as DTLS drops what it cannot use
    d_->error_string.clear();
    return false;
  }
  if (!d_->ensureContext() || !d_->ensureSsl()) return false;
  detail::OsslPtr<BIO_ADDR> client(BIO_ADDR_new());
  if (!client)
    return d_->fail(DtlsError::TlsFatalError,
                    "verifyClient: out of memory: " + detail::takeOpenSslError());

  detail::DatagramChannel& channel = d_->channel;
  channel.peer_address = address;
  channel.peer_port = port;
  detail::CookiePeer peer{d_->libctx, &d_->params, address, port};
  detail::attachCookiePeer(d_->ssl.get(), &peer);

  ERR_clear_error();
  channel.bind(socket, &datagram);
  const int ret = DTLSv1_listen(d_->ssl.get(), client.get());
  channel.unbind();
  detail::attachCookiePeer(d_->ssl.get(), nullptr);
  if (ret < 0) {
    d_->ssl.reset();
    return d_->fail(DtlsError::TlsFatalError,
                    "verifyClient: DTLSv1_listen failed: " + detail::takeOpenSslError());
  }
  ERR_clear_error();
  if (channel.write_failed)
    return d_->fail(DtlsError::UnderlyingSocketError,
                    "verifyClient: sending HelloVerifyRequest to " + address.toString() + ":" +
                        std::to_string(port) + " failed: " + channel.write_error);
  d_->error = DtlsError::NoError;
  d_->error_string.clear();
  if (ret == 0) return false;  // answered with HelloVerifyRequest, or not a ClientHello
  d_->verified_hello = datagram;
  return true;
}

ByteArray ClientVerifier::verifiedHello() const { return d_->verified_hello; }
DtlsError ClientVerifier::dtlsError() const { return d_->error; }
std::string ClientVerifier::dtlsErrorString() const { return d_->error_string; }

}  // namespace dtls
