// Bare OpenSSL DTLS over in-memory datagram queues: the baseline every dtlsim benchmark is
// divided by. Both sides are set up like the dtls library sets up its own (test PKI, pinned
// cipher, the same link MTU, one datagram per BIO read or write), so a ratio measures the
// wrapper and the simulation, not a difference in configuration.
#pragma once

#include <openssl/ssl.h>

#include <deque>
#include <memory>
#include <string>

namespace bench {

using DatagramQueue = std::deque<std::string>;

// What dtls::Connection gives OpenSSL without an MTU hint: 576 minus IPv4 and UDP headers.
inline constexpr long kLinkMtuBytes = 576 - 20 - 8;

// One end of an in-memory link: a read pops the next datagram of `in` (or asks to retry), a
// write pushes one onto `out`. The contract of dtls' datagram BIO (dtls/src/datagram_bio.cpp).
struct QueueEnd {
  DatagramQueue* in = nullptr;
  DatagramQueue* out = nullptr;
};

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

struct BareOptions {
  std::string cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
  // Server: SSL_OP_COOKIE_EXCHANGE with an HMAC-SHA256 cookie, as dtls' ClientVerifier makes.
  bool cookies = false;
  // Server: send a CertificateRequest and accept an empty Certificate, as a dtls server with
  // the default AutoVerifyPeer (QueryPeer) mode does.
  bool query_peer = false;
  // Plain PSK instead of certificates (then `cipher` must be a PSK suite): the client offers
  // identity kBarePskIdentity, both sides use kBarePskKeyHex; no PKI is loaded.
  bool psk = false;
};

// The bare PSK ends' identity and key (hex), for a World to give its endpoints the same.
inline constexpr const char* kBarePskIdentity = "sensor";
inline constexpr const char* kBarePskKeyHex = "000102030405060708090a0b0c0d0e0f";

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
