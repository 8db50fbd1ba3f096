// Bare DTLS between any two of the libraries dtls wraps: the baseline of bench_world's
// handshake rows and of bench_dtls's round trips. Each library side is set up like the matching
// dtls backend sets up its own (test PKI, pinned cipher, cookie exchange, a CertificateRequest
// answered with an empty Certificate, a session ticket, the link MTU), so a ratio measures
// dtlsim's wrapper and simulation, not a difference in configuration.
//
// Library-free (bare_common.h), so that every library's side can include it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bare_common.h"

namespace bench {

// One end of a connection over a QueueEnd, whichever library runs it.
class BareEnd {
 public:
  enum class Step { kDone, kMore, kFailed };
  virtual ~BareEnd() = default;
  // Advances the handshake with what its queue holds. Once it returned kDone, the end carries
  // application data (write, read) in records that may exceed kLinkMtuBytes.
  virtual Step step() = 0;
  // After the handshake: `bytes` of `data` as one application record in one datagram. False
  // unless the library took all of it.
  virtual bool write(const char* data, std::size_t bytes) = 0;
  // After the handshake: the plaintext of the next queued datagram into `buffer` (`size`
  // bytes); the bytes read, or -1 when none were (nothing queued, or error() says why).
  virtual long read(char* buffer, std::size_t size) = 0;
  // The IANA id of the suite the handshake negotiated; 0 before it or if unknown.
  virtual std::uint16_t suite() const = 0;
  // Why step() failed, in the library's words.
  virtual std::string error() const = 0;
};

// One library's client or server setup (OpenSSL's SSL_CTX, mbedTLS's ssl_config and keys,
// GnuTLS's credentials and priority cache, wolfSSL's WOLFSSL_CTX), built once per batch as a
// World builds its own; it makes the ends and must outlive them.
class BareSide {
 public:
  virtual ~BareSide() = default;
  virtual bool ok() const = 0;
  virtual std::unique_ptr<BareEnd> newEnd(QueueEnd* end) = 0;
};

// The libraries this build has a bare side for, by their dtls/backend.h names ("openssl",
// "mbedtls", then "gnutls" and "wolfssl" when the build has those backends).
std::vector<std::string> bareLibraries();

// A side of `library` (a name of bareLibraries()); null for another name or when the side
// cannot be set up.
std::unique_ptr<BareSide> newBareSide(const std::string& library, bool server,
                                      const BareOptions& options);

// Each library's side (bare_mbedtls.cpp, bare_gnutls.cpp, bare_wolfssl.cpp). They map only
// kPinnedCipher and fail on another `options.cipher`.
std::unique_ptr<BareSide> newMbedtlsSide(bool server, const BareOptions& options);
std::unique_ptr<BareSide> newGnutlsSide(bool server, const BareOptions& options);
std::unique_ptr<BareSide> newWolfsslSide(bool server, const BareOptions& options);

// A client end and a server end joined by two queues (not movable: the ends point into it).
class BareLink {
 public:
  BareLink(BareSide& client, BareSide& server);
  BareLink(const BareLink&) = delete;
  BareLink& operator=(const BareLink&) = delete;

  bool ok() const { return client_ && server_; }
  // Runs both handshakes to completion; false if either fails or it does not finish. `error`
  // then says which end and why.
  bool handshake(std::string* error);
  // From now on a copy of every datagram each way is appended to `to_server` / `to_client`
  // (both must outlive the link): for a debug run that compares flights.
  void copyDatagrams(DatagramQueue* to_server, DatagramQueue* to_client);

  BareEnd& client() { return *client_; }
  BareEnd& server() { return *server_; }
  bool queuesEmpty() const { return to_server_.empty() && to_client_.empty(); }

 private:
  DatagramQueue to_server_;
  DatagramQueue to_client_;
  QueueEnd client_end_{&to_client_, &to_server_};
  QueueEnd server_end_{&to_server_, &to_client_};
  std::unique_ptr<BareEnd> client_;
  std::unique_ptr<BareEnd> server_;
};

}  // namespace bench
