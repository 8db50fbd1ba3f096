#include "first_hello.h"

#include "dtls/wire/client_hello.h"
#include "dtls/wire/record.h"

namespace dtls::detail {

namespace {
constexpr std::uint8_t kHandshake = 22;   // RFC 5246 §6.2.1 ContentType
constexpr std::uint8_t kClientHello = 1;  // RFC 5246 §7.4 HandshakeType
}  // namespace

std::array<unsigned char, 18> transportId(const HostAddress& address, std::uint16_t port) {
  std::array<unsigned char, 18> id{};
  const auto bytes = address.toIPv6Address();  // IPv4 comes back IPv4-mapped
  for (std::size_t i = 0; i < 16; ++i) id[i] = bytes[i];
  id[16] = static_cast<unsigned char>(port >> 8);
  id[17] = static_cast<unsigned char>(port & 0xff);
  return id;
}

std::optional<FirstHello> firstHello(const ByteArray& datagram) {
  const wire::DecodedDatagram decoded = wire::decodeDatagram(datagram);
  if (decoded.records.empty()) return std::nullopt;
  const wire::Record& record = decoded.records.front();
  if (record.content_type != kHandshake || record.encrypted()) return std::nullopt;
  for (const auto& message : record.handshake_messages) {
    if (message.msg_type != kClientHello || message.isFragmented()) continue;
    const wire::ClientHelloResult parsed = wire::parseClientHello(message.body);
    if (!parsed.ok()) return std::nullopt;
    return FirstHello{record.sequence_number, message.message_seq, ByteArray(message.body),
                      ByteArray(parsed.hello.cookie)};
  }
  return std::nullopt;
}

}  // namespace dtls::detail
