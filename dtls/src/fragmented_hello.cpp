#include "fragmented_hello.h"

#include "dtls/wire/record.h"

namespace dtls::detail {

bool carriesFragmentedClientHello(const ByteArray& datagram) {
  constexpr std::uint8_t kHandshake = 22;    // RFC 5246 §6.2.1 ContentType
  constexpr std::uint8_t kClientHello = 1;   // RFC 5246 §7.4 HandshakeType
  for (const auto& record : wire::decodeDatagram(datagram).records) {
    if (record.content_type != kHandshake || record.encrypted()) continue;
    for (const auto& message : record.handshake_messages)
      if (message.msg_type == kClientHello && message.isFragmented()) return true;
  }
  return false;
}

}  // namespace dtls::detail
