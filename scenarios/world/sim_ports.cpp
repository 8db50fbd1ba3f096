#include "sim_ports.h"

#include <algorithm>
#include <cerrno>
#include <span>

#include "dtls/wire/record.h"

namespace scenarios::detail {

// IPv4, the common case, converts without formatting and parsing text (once per datagram);
// IPv6 goes through text, which carries a zone and writes v4-mapped addresses as simnet reads them.
dtls::HostAddress toHostAddress(const simnet::Address& address) {
  if (address.isV4()) {
    const auto& b = address.bytes();
    return dtls::HostAddress(static_cast<std::uint32_t>(b[0]) << 24 |
                             static_cast<std::uint32_t>(b[1]) << 16 |
                             static_cast<std::uint32_t>(b[2]) << 8 | b[3]);
  }
  return dtls::HostAddress(address.toString());
}

simnet::Address toSimAddress(const dtls::HostAddress& address) {
  if (address.protocol() == dtls::NetworkLayerProtocol::IPv4Protocol) {
    const std::uint32_t v4 = address.toIPv4Address();
    return simnet::Address::v4(static_cast<std::uint8_t>(v4 >> 24),
                               static_cast<std::uint8_t>(v4 >> 16),
                               static_cast<std::uint8_t>(v4 >> 8), static_cast<std::uint8_t>(v4));
  }
  return simnet::Address::parse(address.toString()).value_or(simnet::Address());
}

std::int64_t SimSocket::writeDatagram(std::string_view datagram,
                                      const dtls::HostAddress& address, std::uint16_t port) {
  if (!one_record_per_datagram_) return sendOne(datagram, address, port);
  // Only the record boundaries matter here: scanning them allocates nothing, where a full
  // decode built every handshake fragment of every datagram.
  std::size_t records = 0;
  if (!dtls::wire::scanRecords(datagram, [&](const dtls::wire::Record&) { ++records; }).empty() ||
      records <= 1)
    return sendOne(datagram, address, port);
  // libssl wrote a flight's records into one datagram; send them one by one, in order.
  bool failed = false;
  dtls::wire::scanRecords(datagram, [&](const dtls::wire::Record& record) {
    const std::size_t size = dtls::wire::kRecordHeaderBytes + record.length();
    failed = failed || sendOne(datagram.substr(record.offset, size), address, port) < 0;
  });
  return failed ? -1 : static_cast<std::int64_t>(datagram.size());
}

std::int64_t SimSocket::sendOne(std::string_view datagram, const dtls::HostAddress& address,
                                std::uint16_t port) {
  if (before_send_) before_send_(datagram, address, port);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(datagram.data());
  const simnet::SendResult result =
      net_.sendTo(id_, simnet::Endpoint{toSimAddress(address), port},
                  std::span<const std::uint8_t>(bytes, datagram.size()));
  // Only a failure needs the destination as text; formatting it for every datagram sent showed
  // in profiles of whole runs.
  const auto where = [&] {
    return "writeDatagram to " + address.toString() + ":" + std::to_string(port);
  };
  switch (result.status) {
    case simnet::SendStatus::kSent:
      bytes_written_ += datagram.size();
      error_ = 0;
      error_string_.clear();
      return static_cast<std::int64_t>(datagram.size());
    case simnet::SendStatus::kMessageTooLarge:
      // The link told us its MTU, as EMSGSIZE + IP_MTU would on Linux: remember it so the
      // next handshake fragments for it.
      error_ = EMSGSIZE;
      error_string_ = where() + ": Message too long (" + std::to_string(datagram.size()) + " bytes)";
      // One value for the socket, not one per destination: the smallest any path reported.
      if (result.mtu_bytes != 0 && (!path_mtu_ || result.mtu_bytes < *path_mtu_))
        path_mtu_ = static_cast<std::uint16_t>(std::min<std::uint32_t>(result.mtu_bytes, 65535));
      return -1;
    case simnet::SendStatus::kBadSocket:
      error_ = EBADF;
      error_string_ = where() + ": the socket is closed";
      return -1;
    case simnet::SendStatus::kBadDestination:
      error_ = EAFNOSUPPORT;
      error_string_ = where() + ": address family or port not usable from this socket";
      return -1;
    case simnet::SendStatus::kWouldBlock:
      error_ = EAGAIN;
      error_string_ = where() + ": Resource temporarily unavailable (the send buffer is full)";
      return -1;
    case simnet::SendStatus::kTooLarge:
      error_ = EMSGSIZE;
      error_string_ = where() + ": larger than a UDP datagram can be";
      return -1;
  }
  return -1;
}

}  // namespace scenarios::detail
