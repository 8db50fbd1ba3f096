// dtls/datagram_socket.h — the port a Connection writes its datagrams through (DESIGN.md §1).
//
// The reference (QDtls) takes a QUdpSocket* in doHandshake / handleTimeout /
// writeDatagramEncrypted / shutdown. dtls takes this abstract port instead, so the same
// connection code writes to a real UDP socket (dtls::posix::UdpSocket) or to a simulated one
// (simnet). The connection only ever WRITES through it: datagrams to read are handed to the
// connection by its caller (sans-I/O, STYLE.md "Architecture").
//
// Ownership: a Connection or ClientVerifier never owns the socket and never stores it; the
// pointer or reference given to a call must stay valid for the duration of that call only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dtls/host_address.h"
#include "dtls/ssl.h"

namespace dtls {

class DatagramSocket {
 public:
  virtual ~DatagramSocket() = default;

  // Sends `datagram` as exactly one datagram to `address`:`port`.
  // Returns the number of bytes written (datagram.size() on success: a datagram is never
  // partially written), or -1 on failure, in which case error() and errorString() describe the
  // failure. A datagram that is larger than the path allows fails with an EMSGSIZE-like error
  // (error() == EMSGSIZE) rather than being silently truncated.
  // Preconditions: `address` is not null; the callee must not keep references to the arguments.
  // The bytes are a view (QUdpSocket::writeDatagram takes a QByteArray): a backend hands the
  // record layer's own buffer, and a ByteArray still converts, so no caller copies to call it.
  virtual std::int64_t writeDatagram(std::string_view datagram, const HostAddress& address,
                                     std::uint16_t port) = 0;

  // The last error, as an errno value (EMSGSIZE, ECONNREFUSED, EAGAIN...); 0 for none.
  // Adapters that do not run on an OS use the errno value that best names the condition.
  virtual int error() const = 0;

  // A human-readable description of the last error, naming the operation and its input
  // ("writeDatagram to 127.0.0.1:4433: Message too long"); empty when error() == 0.
  virtual std::string errorString() const = 0;

  // The path MTU in bytes (the largest IP packet; the connection subtracts IP/UDP headers) if
  // the socket knows it, e.g. from IP_MTU on a connected socket or an EMSGSIZE report from the
  // network. std::nullopt when unknown; the connection then uses its MTU hint or 576
  // (DESIGN.md §2 "MTU").
  virtual std::optional<std::uint16_t> pathMtuBytes() const { return std::nullopt; }

 protected:
  DatagramSocket() = default;
  DatagramSocket(const DatagramSocket&) = default;
  DatagramSocket& operator=(const DatagramSocket&) = default;
};

}  // namespace dtls
