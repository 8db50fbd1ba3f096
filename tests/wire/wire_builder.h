// Hand-built DTLS bytes for the wire tests: records, handshake fragments, ClientHello bodies,
// and a ClientHello captured from OpenSSL 3.0's `openssl s_client -dtls1_2`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dtls::wire::testing {

inline void putUint(std::string* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// RFC 6347 §4.1 record: type version epoch seq(48) length fragment.
inline std::string record(std::uint8_t type, std::uint16_t epoch, std::uint64_t seq,
                          std::string_view fragment, std::uint16_t version = 0xfefd) {
  std::string out;
  putUint(&out, type, 1);
  putUint(&out, version, 2);
  putUint(&out, epoch, 2);
  putUint(&out, seq, 6);
  putUint(&out, fragment.size(), 2);
  out.append(fragment);
  return out;
}

// RFC 6347 §4.2.2 handshake fragment; `length` 0 means "the body is the whole message".
inline std::string handshake(std::uint8_t type, std::uint16_t message_seq, std::string_view body,
                             std::uint32_t fragment_offset = 0, std::uint32_t length = 0) {
  std::string out;
  putUint(&out, type, 1);
  putUint(&out, length == 0 ? body.size() : length, 3);
  putUint(&out, message_seq, 2);
  putUint(&out, fragment_offset, 3);
  putUint(&out, body.size(), 3);
  out.append(body);
  return out;
}

// A ClientHello body (RFC 6347 §4.2.1) with one suite and one extension.
inline std::string clientHelloBody(std::string_view cookie, char random_fill = 'R',
                                   std::string_view session_id = {}) {
  std::string out;
  putUint(&out, 0xfefd, 2);
  out.append(32, random_fill);
  putUint(&out, session_id.size(), 1);
  out.append(session_id);
  putUint(&out, cookie.size(), 1);
  out.append(cookie);
  putUint(&out, 4, 2);  // two suites
  putUint(&out, 0xc02b, 2);
  putUint(&out, 0x00ff, 2);
  putUint(&out, 1, 1);  // compression: null
  putUint(&out, 0, 1);
  putUint(&out, 4, 2);       // extensions block
  putUint(&out, 0x0017, 2);  // extended_master_secret, empty
  putUint(&out, 0, 2);
  return out;
}

inline std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The first datagram of `openssl s_client -dtls1_2` (OpenSSL 3.0.x, Debian 12): one record
// (DTLS 1.0 record version, epoch 0, seq 0) with one unfragmented ClientHello, empty cookie.
inline std::string opensslClientHello() {
  return fromHex(
      "16feff000000000000000000c0010000b400000000000000b4fefd6d292bf2d0545fc3dc81422336be4c4cb8"
      "5b28504638719f6aeaa53e654cbd4b00000038c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc0"
      "23c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff01000052000b00040300010200"
      "0a000c000a001d0017001e00190018002300000016000000170000000d002a00280403050306030807080808"
      "09080a080b080408050806040105010601030303010302040205020602");
}

}  // namespace dtls::wire::testing
