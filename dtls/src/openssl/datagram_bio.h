// Private: the BIO through which OpenSSL talks to a DatagramSocket (OpenSSL 3.0 has no
// in-memory datagram BIO; BIO_s_dgram_pair arrived in 3.2). DESIGN.md §4.
//
// Reads hand OpenSSL exactly the bytes the caller fed (the datagram it is processing, or one
// record of it: decryptDatagram feeds records one at a time), then report "retry";
// writes send exactly one datagram to the peer through the socket of the current call.
#pragma once

#include <openssl/bio.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/ssl.h"
#include "link_mtu.h"

namespace dtls::detail {

// The state a datagram BIO reads and writes. Owned by the connection; outlives the BIO's use.
struct DatagramChannel {
  // Set for the duration of one public call (bind/unbind), null otherwise.
  DatagramSocket* socket = nullptr;
  std::string_view incoming;  // what the next read hands OpenSSL, unless consumed
  bool incoming_consumed = true;

  HostAddress peer_address;
  std::uint16_t peer_port = 0;

  // What OpenSSL is told of a failed socket write.
  enum class FailedWrite : std::uint8_t {
    // Reported as sent: to a datagram protocol a write that failed is a datagram lost, which
    // retransmission repairs. The caller reports the failure instead. Used outside the
    // handshake, where OpenSSL 3.0 cannot retry a record write (do_dtls1_write asserts an
    // empty write buffer and fails the connection).
    kLost,
    // A transient failure (EAGAIN, EWOULDBLOCK, ENOBUFS, EINTR) is reported as "retry write",
    // as OpenSSL's own socket BIO does (BIO_dgram_should_retry) and as QDtls's BIO does for
    // every failure (q_dgram_write): OpenSSL then keeps the unsent datagram and the flight's
    // write position, and the handshake goes on through the timer. That is the path real
    // applications take when a socket's send buffer is full (CVE-2026-84782 lives there).
    kRetryTransient,
  };

  bool write_failed = false;
  std::string write_error;
  FailedWrite failed_write = FailedWrite::kLost;
  std::uint64_t datagrams_written = 0;

  void bind(DatagramSocket* s, const ByteArray* datagram, FailedWrite on_failure = FailedWrite::kLost) {
    socket = s;
    feed(datagram == nullptr ? std::string_view() : std::string_view(*datagram));
    write_failed = false;
    write_error.clear();
    failed_write = on_failure;
  }
  // While bound: `datagram` is what the next read returns (the caller keeps it alive). A write
  // failure of an earlier feed stays reported.
  void feed(std::string_view datagram) {
    incoming = datagram;
    incoming_consumed = datagram.empty();
  }
  void unbind() {
    socket = nullptr;
    feed({});
  }
};

// A new BIO over `channel` (not owned). Free it with BIO_free or hand it to SSL_set_bio.
BIO* newDatagramBio(DatagramChannel* channel);

}  // namespace dtls::detail
