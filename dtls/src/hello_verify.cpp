#include "hello_verify.h"

namespace dtls::detail {

namespace {

constexpr std::uint8_t kHandshake = 22;           // RFC 5246 §6.2.1 ContentType
constexpr std::uint8_t kHelloVerifyRequest = 3;   // RFC 6347 §4.3.2
// RFC 6347 §4.2.1: a DTLS 1.2 server SHOULD send HelloVerifyRequest as DTLS 1.0 (0xfeff).
constexpr std::uint16_t kDtls10 = 0xfeff;

void put(ByteArray* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

ByteArray helloVerifyRequest(const FirstHello& hello, std::string_view cookie) {
  const std::size_t body_bytes = 2 + 1 + cookie.size();
  ByteArray out;
  put(&out, kHandshake, 1);
  put(&out, kDtls10, 2);
  put(&out, 0, 2);  // epoch
  put(&out, hello.record_sequence, 6);
  put(&out, 12 + body_bytes, 2);
  put(&out, kHelloVerifyRequest, 1);
  put(&out, body_bytes, 3);
  put(&out, hello.message_seq, 2);
  put(&out, 0, 3);  // fragment_offset
  put(&out, body_bytes, 3);
  put(&out, kDtls10, 2);
  put(&out, cookie.size(), 1);
  out.append(cookie);
  return out;
}

}  // namespace dtls::detail
