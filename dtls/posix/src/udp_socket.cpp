#include "dtls/posix/udp_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "sockaddr.h"

namespace dtls::posix {
namespace {

std::string endpoint(const HostAddress& address, std::uint16_t port) {
  const std::string text = address.toString();
  const bool bracket = address.protocol() == NetworkLayerProtocol::IPv6Protocol;
  return (bracket ? "[" + text + "]" : text) + ":" + std::to_string(port);
}

}  // namespace

UdpSocket::~UdpSocket() { close(); }

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      family_(std::exchange(other.family_, 0)),
      error_(std::exchange(other.error_, 0)),
      error_string_(std::move(other.error_string_)) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    family_ = std::exchange(other.family_, 0);
    error_ = std::exchange(other.error_, 0);
    error_string_ = std::move(other.error_string_);
  }
  return *this;
}

bool UdpSocket::fail(int error, const std::string& what) {
  error_ = error;
  error_string_ = what + ": " + std::strerror(error);
  return false;
}

void UdpSocket::clearError() {
  error_ = 0;
  error_string_.clear();
}

bool UdpSocket::bind(const HostAddress& address, std::uint16_t port) {
  const std::string what = "bind " + endpoint(address, port);
  if (address.isNull()) return fail(EINVAL, "bind: the address is null");
  if (isOpen()) return fail(EISCONN, what + ": the socket is already bound");
  const int family =
      address.protocol() == NetworkLayerProtocol::IPv4Protocol ? AF_INET : AF_INET6;
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) return fail(errno, what + ": socket");
  if (family == AF_INET6) {
    // :: is the dual-stack wildcard (HostAddress::Any); a specific IPv6 address is v6-only.
    const int v6only = address.isAny() ? 0 : 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (!toSockaddr(address, port, family, &storage, &length)) {
    ::close(fd);
    return fail(EAFNOSUPPORT, what);
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    const int bind_error = errno;
    ::close(fd);
    return fail(bind_error, what);
  }
  fd_ = fd;
  family_ = family;
  clearError();
  return true;
}

bool UdpSocket::connectTo(const HostAddress& address, std::uint16_t port) {
  const std::string what = "connect " + endpoint(address, port);
  if (!isOpen()) return fail(EBADF, what + ": the socket is not bound");
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (!toSockaddr(address, port, family_, &storage, &length)) return fail(EAFNOSUPPORT, what);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    return fail(errno, what);
  }
  clearError();
  return true;
}

std::uint16_t UdpSocket::localPort() const {
  std::uint16_t port = 0;
  if (!isOpen()) return 0;
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return 0;
  fromSockaddr(storage, nullptr, &port);
  return port;
}

HostAddress UdpSocket::localAddress() const {
  HostAddress address;
  if (!isOpen()) return address;
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return address;
  fromSockaddr(storage, &address, nullptr);
  return address;
}

bool UdpSocket::readDatagram(ByteArray* data, HostAddress* from, std::uint16_t* port) {
  if (!isOpen()) return fail(EBADF, "readDatagram: the socket is not bound");
  data->resize(kMaxDatagramBytes);
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  const ssize_t received = ::recvfrom(fd_, data->data(), data->size(), MSG_DONTWAIT,
                                      reinterpret_cast<sockaddr*>(&storage), &length);
  if (received < 0) {
    data->clear();
    const int read_error = errno;
    if (read_error == EAGAIN || read_error == EWOULDBLOCK || read_error == EINTR) return false;
    return fail(read_error, "readDatagram");
  }
  data->resize(static_cast<std::size_t>(received));
  fromSockaddr(storage, from, port);
  clearError();
  return true;
}

std::int64_t UdpSocket::pendingDatagramSize() const {
  if (!isOpen()) return -1;
  char byte = 0;
  // MSG_TRUNC makes Linux return the datagram's real length even though only 1 byte is copied.
  const ssize_t size = ::recv(fd_, &byte, sizeof byte, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
  return size < 0 ? -1 : static_cast<std::int64_t>(size);
}

bool UdpSocket::hasPendingDatagrams() const { return pendingDatagramSize() >= 0; }

void UdpSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  family_ = 0;
  clearError();
}

std::int64_t UdpSocket::writeDatagram(std::string_view datagram, const HostAddress& address,
                                      std::uint16_t port) {
  const std::string what = "writeDatagram to " + endpoint(address, port);
  auto failed = [this](int error, const std::string& message) -> std::int64_t {
    fail(error, message);
    return -1;
  };
  if (!isOpen()) return failed(EBADF, what + ": the socket is not bound");
  if (address.isNull()) return failed(EINVAL, "writeDatagram: the address is null");
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (!toSockaddr(address, port, family_, &storage, &length)) return failed(EAFNOSUPPORT, what);
  const ssize_t sent = ::sendto(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT,
                                reinterpret_cast<const sockaddr*>(&storage), length);
  if (sent < 0) return failed(errno, what);
  clearError();
  return static_cast<std::int64_t>(sent);
}

std::optional<std::uint16_t> UdpSocket::pathMtuBytes() const {
  if (!isOpen()) return std::nullopt;
  int mtu = 0;
  socklen_t length = sizeof mtu;
  const int level = family_ == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
  const int option = family_ == AF_INET ? IP_MTU : IPV6_MTU;
  // Fails with ENOTCONN on an unconnected socket: the kernel knows a path MTU only per peer.
  if (::getsockopt(fd_, level, option, &mtu, &length) != 0 || mtu <= 0) return std::nullopt;
  return static_cast<std::uint16_t>(mtu > 0xffff ? 0xffff : mtu);
}

}  // namespace dtls::posix
