// dtls/posix/udp_socket.h — a non-blocking UDP socket (the role of QUdpSocket) that implements
// the dtls::DatagramSocket port, so a dtls::Connection runs against real peers.
//
// IPv4 and IPv6. Binding to :: (HostAddress::Any / AnyIPv6) makes a dual-stack socket
// (IPV6_V6ONLY off): IPv4 peers are reported as IPv4 addresses (not ::ffff:a.b.c.d), as
// QUdpSocket does, and writing to an IPv4 address goes out v4-mapped.
//
// Errors are values: failing calls return false / -1 and set error() (the errno value) and
// errorString() ("bind 127.0.0.1:4433: Address already in use"). Nothing throws.
// Not thread-safe: one thread (one event loop) uses a socket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/ssl.h"

namespace dtls::posix {

class UdpSocket final : public DatagramSocket {
 public:
  // The largest UDP payload over IPv4 (65535 - 20 - 8); readDatagram's buffer size.
  static constexpr std::size_t kMaxDatagramBytes = 65507;

  UdpSocket() = default;
  ~UdpSocket() override;  // closes the descriptor
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;

  // Opens a non-blocking, close-on-exec socket of the address's family and binds it to
  // `address`:`port` (port 0 = an ephemeral port; read it back with localPort()).
  // Errors: a null address (EINVAL), an already bound socket (EISCONN), socket() or bind()
  // failing (EADDRINUSE, EADDRNOTAVAIL, EACCES, EAFNOSUPPORT when the host has no IPv6...).
  // On failure the socket stays closed.
  bool bind(const HostAddress& address, std::uint16_t port);

  // Sets the default peer (connect(2)), which lets the kernel report the path MTU
  // (pathMtuBytes) and ICMP errors (ECONNREFUSED on the next read or write). writeDatagram may
  // still name any address. Precondition: bound. Errors: EBADF if not bound, connect()'s errno.
  bool connectTo(const HostAddress& address, std::uint16_t port);

  bool isOpen() const { return fd_ >= 0; }
  // The descriptor to watch for readability (EventLoop::watch); -1 when closed. The socket
  // keeps ownership: do not close it.
  int fd() const { return fd_; }
  // The bound port (the actual one after binding to 0); 0 when closed.
  std::uint16_t localPort() const;
  // The bound address; null when closed.
  HostAddress localAddress() const;

  // Reads one pending datagram into `*data` and its sender into `*from` / `*port` (either may
  // be null). Never blocks. Returns false when nothing is pending (error() stays 0) or on a
  // socket error such as ECONNREFUSED on a connected socket (error() says which).
  // Precondition: `data` is not null.
  bool readDatagram(ByteArray* data, HostAddress* from = nullptr, std::uint16_t* port = nullptr);

  // Whether a datagram (possibly empty) is waiting; never blocks, never sets error().
  bool hasPendingDatagrams() const;
  // The size in bytes of the next pending datagram, -1 if none.
  std::int64_t pendingDatagramSize() const;

  // Closes the descriptor; the socket may be bound again. Clears error().
  void close();

  // DatagramSocket: sends one datagram with sendto(2). Returns datagram.size() or -1 with
  // error() set: EBADF (not bound), EINVAL (null address), EAFNOSUPPORT (an IPv6 peer on an IPv4
  // socket), EMSGSIZE (larger than the path or than 65507 bytes), EAGAIN (send buffer full:
  // the datagram is dropped, as on a lossy network), ECONNREFUSED (an earlier ICMP error).
  std::int64_t writeDatagram(std::string_view datagram, const HostAddress& address,
                             std::uint16_t port) override;
  int error() const override { return error_; }
  std::string errorString() const override { return error_string_; }

  // The path MTU the kernel knows (IP_MTU / IPV6_MTU), only for a connected socket
  // (connectTo); std::nullopt otherwise. Clamped to 65535 (loopback reports 65536).
  std::optional<std::uint16_t> pathMtuBytes() const override;

 private:
  bool fail(int error, const std::string& what);
  void clearError();

  int fd_ = -1;
  int family_ = 0;  // AF_INET or AF_INET6 once bound
  int error_ = 0;
  std::string error_string_;
};

}  // namespace dtls::posix
