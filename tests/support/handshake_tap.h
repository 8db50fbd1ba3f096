// tests/support/handshake_tap.h — one handshake message of a flight, reassembled from the
// datagrams that carried it: a stack packs its flight as it likes and may split a message
// between datagrams (RFC 6347 §4.2.3).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "dtls/ssl.h"
#include "dtls/wire/record.h"

namespace dtls::test {

class HandshakeMessageTap {
 public:
  explicit HandshakeMessageTap(std::uint8_t msg_type) : msg_type_(msg_type) {}

  // Feed every datagram of one direction.
  void take(const dtls::ByteArray& datagram) {
    for (const dtls::wire::Record& record : dtls::wire::decodeDatagram(datagram).records) {
      for (const dtls::wire::HandshakeMessage& m : record.handshake_messages) {
        if (m.msg_type != msg_type_) continue;
        if (!seen_) {
          body_.assign(m.length, '\0');
          have_.assign(m.length, false);
          seen_ = true;
        }
        if (m.length != body_.size()) continue;
        for (std::size_t i = 0; i < m.fragment_length; ++i) {
          body_[m.fragment_offset + i] = m.body[i];
          have_[m.fragment_offset + i] = true;
        }
      }
    }
  }

  // The message body once every byte of it came.
  std::optional<dtls::ByteArray> body() const {
    if (!seen_ || std::find(have_.begin(), have_.end(), false) != have_.end()) return std::nullopt;
    return body_;
  }

 private:
  std::uint8_t msg_type_;
  bool seen_ = false;
  dtls::ByteArray body_;
  std::vector<bool> have_;
};

}  // namespace dtls::test
