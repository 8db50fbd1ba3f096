// Bare OpenSSL DTLS over in-memory datagram queues: the baseline every dtlsim benchmark is
// divided by. Both sides are set up like the dtls library sets up its own (test PKI, pinned
// cipher, the same link MTU, one datagram per BIO read or write), so a ratio measures the
// wrapper and the simulation, not a difference in configuration.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "bare_common.h"

namespace bench {

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

// The oldest queued OpenSSL error as text (and the queue cleared); "no OpenSSL error" if none.
std::string opensslError();

// A context with the test PKI: the server presents server-chain.pem / server.key.pem, the
// client verifies against ca.pem (with `options.psk`, the PSK above instead). Null on failure
// (see opensslError()).
SslCtxPtr newBareContext(bool server, const BareOptions& options);

// An SSL of `ctx` reading and writing through `end` (which must outlive it), link MTU set;
// the client also checks the name server.dtlsim.test. Null on failure.
SslPtr newBareSsl(SSL_CTX* ctx, bool server, QueueEnd* end);

// Runs both handshakes to completion over their queues; with `cookies`, the server first
// answers through DTLSv1_listen (ClientHello, HelloVerifyRequest, ClientHello with cookie),
// as a cookie-checking server must. False if either side fails or it does not finish.
bool bareHandshake(SSL* client, SSL* server, bool cookies);

// A client and a server joined by two queues (members own everything; not movable, the BIOs
// point into it).
class BarePair {
 public:
  BarePair(SSL_CTX* client_ctx, SSL_CTX* server_ctx);
  BarePair(const BarePair&) = delete;
  BarePair& operator=(const BarePair&) = delete;

  SSL* client() const { return client_.get(); }
  SSL* server() const { return server_.get(); }
  bool ok() const { return client_ && server_; }
  bool queuesEmpty() const { return to_server_.empty() && to_client_.empty(); }

 private:
  DatagramQueue to_server_;
  DatagramQueue to_client_;
  QueueEnd client_end_{&to_client_, &to_server_};
  QueueEnd server_end_{&to_server_, &to_client_};
  SslPtr client_;
  SslPtr server_;
};

}  // namespace bench
