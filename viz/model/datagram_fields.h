// viz/model/datagram_fields.h — a datagram as a tree of fields with their byte ranges, for the
// detail pane: records (type, version, epoch, sequence, length), handshake fragments (type,
// length, message_seq, fragment offset and length, body), alerts, ciphertext. Selecting a
// field highlights its bytes in the hex dump. Decoded with dtls/wire (RFC 6347 §4.1, §4.2.2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace viz {

struct Field {
  std::string name;   // "Record 1: handshake", "epoch", "ClientHello"
  std::string value;  // "DTLS 1.2 (0xfefd)", "1", "length 174, message_seq 0, fragment 0+174"
  std::size_t offset = 0;  // first byte in the datagram
  std::size_t length = 0;  // bytes covered
  std::vector<Field> children;
};

// The fields of `bytes`. Never fails: what does not decode becomes a last field "decode error"
// whose value is the decoder's message and whose range is the undecoded tail.
std::vector<Field> datagramFields(std::string_view bytes);

}  // namespace viz
