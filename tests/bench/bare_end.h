// Bare handshakes between any two of the libraries dtls wraps: the baseline of bench_world's
// handshake rows when a world mixes backends. Each library side is set up like the matching
// dtls backend sets up its own (test PKI, pinned cipher, cookie exchange, a CertificateRequest
// answered with an empty Certificate, a session ticket, the link MTU), so a ratio measures
// dtlsim's wrapper and simulation, not a difference in configuration.
#pragma once

#include <memory>
#include <string>

#include "bare_dtls.h"

namespace bench {

// One end of a handshake over a QueueEnd, whichever library runs it.
class BareEnd {
 public:
  enum class Step { kDone, kMore, kFailed };
  virtual ~BareEnd() = default;
  // Advances the handshake with what its queue holds.
  virtual Step step() = 0;
  // Why step() failed, in the library's words.
  virtual std::string error() const = 0;
};

// One library's client or server setup (OpenSSL's SSL_CTX, mbedTLS's ssl_config and keys),
// built once per batch as a World builds its own; it makes the ends and must outlive them.
class BareSide {
 public:
  virtual ~BareSide() = default;
  virtual bool ok() const = 0;
  virtual std::unique_ptr<BareEnd> newEnd(QueueEnd* end) = 0;
};

// "openssl" or "mbedtls" (dtls/backend.h names); null for another name.
std::unique_ptr<BareSide> newBareSide(const std::string& library, bool server,
                                      const BareOptions& options);

// An mbedTLS side (bare_mbedtls.cpp). `options.cipher` is an OpenSSL name; only
// ECDHE-ECDSA-AES128-GCM-SHA256 is mapped, as the benchmark pins that one.
std::unique_ptr<BareSide> newMbedtlsSide(bool server, const BareOptions& options);

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

 private:
  DatagramQueue to_server_;
  DatagramQueue to_client_;
  QueueEnd client_end_{&to_client_, &to_server_};
  QueueEnd server_end_{&to_server_, &to_client_};
  std::unique_ptr<BareEnd> client_;
  std::unique_ptr<BareEnd> server_;
};

}  // namespace bench
