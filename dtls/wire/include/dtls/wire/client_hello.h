// dtls/wire/client_hello.h — the fields of a ClientHello and a HelloVerifyRequest body that
// cookie exchange, fuzzers and traces look at.
//
// ClientHello body, RFC 6347 §4.2.1 (RFC 5246 §7.4.1.2 plus the cookie):
//   client_version(2) random(32) session_id<0..32> cookie<0..2^8-1>
//   cipher_suites<2..2^16-2> compression_methods<1..2^8-1> [extensions<0..2^16-1>]
// HelloVerifyRequest body, RFC 6347 §4.2.1:
//   server_version(2) cookie<0..2^8-1>
//
// The body must be the whole message (HandshakeMessage::isFragmented() false): a fragment of a
// ClientHello is not parsed (DTLSv1_listen does not accept one either, DESIGN.md §4).
// Lifetime: the string_views point into `body`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/wire/record.h"

namespace dtls::wire {

inline constexpr std::size_t kRandomBytes = 32;         // RFC 5246 §7.4.1.2
inline constexpr std::size_t kMaxSessionIdBytes = 32;   // RFC 5246 §7.4.1.2
inline constexpr std::size_t kMaxCookieBytes = 255;     // RFC 6347 §4.2.1 (DTLS 1.2)

struct ClientHello {
  std::uint16_t client_version = 0;
  std::string_view random;      // 32 bytes
  std::string_view session_id;  // 0..32 bytes
  std::string_view cookie;      // empty in the first ClientHello, the server's cookie after HVR
  // The cipher_suites vector's bytes, two per suite; cipherSuites() decodes them. (Kept as bytes:
  // a hostile hello lists up to 32767 suites, and the cookie check never reads them.)
  std::string_view cipher_suites;
  std::string_view compression_methods;
  std::vector<std::uint16_t> extension_types;  // in order; empty if there are no extensions

  std::vector<std::uint16_t> cipherSuites() const;
};

// Why a ClientHello or HelloVerifyRequest body did not parse, kept as numbers: fuzzers and
// cookie checks parse bodies that are mostly wrong and rarely read why; text() says it with the
// offset inside the body, e.g. "cookie at body offset 67: needs 20 bytes, 3 remain".
struct BodyProblem {
  enum class Kind : std::uint8_t {
    kNone,
    kHeaderShort,       // the fixed fields; value = the body's size, limit = bytes they need
    kLengthShort,       // a vector's length prefix; value = its width, limit = bytes remaining
    kVectorShort,       // a vector's bytes; value = its length, limit = bytes remaining
    kSessionIdLong,     // value = the session id's length
    kBadCipherSuites,   // value = the cipher_suites length (odd or zero)
    kNoCompression,     // compression_methods is empty
    kExtensionShort,    // an extension does not fit in the extensions block
    kTrailing,          // value = bytes after the last field
  };
  Kind kind = Kind::kNone;
  const char* field = "";  // "session_id", "cookie", ...; "" for kTrailing
  std::size_t offset = 0;  // inside the body
  std::uint64_t value = 0;
  std::uint64_t limit = 0;

  bool empty() const { return kind == Kind::kNone; }
  std::string text() const;  // "" when there is none
};

struct ClientHelloResult {
  ClientHello hello;    // the fields decoded before any problem
  BodyProblem problem;  // none, or the first problem
  bool ok() const { return problem.empty(); }
  // problem.text(): "" or the problem with its offset inside the body.
  std::string error() const { return problem.text(); }
};

// Parses a complete ClientHello body. Problems: a field that does not fit in the body
// ("cookie at body offset 67: needs 20 bytes, 3 remain"), a session id over 32 bytes, an odd or
// empty cipher_suites length, an empty compression_methods list, extensions that do not add up,
// trailing bytes after the extensions.
ClientHelloResult parseClientHello(std::string_view body);

struct HelloVerifyRequest {
  std::uint16_t server_version = 0;
  std::string_view cookie;
};

// Parses a complete HelloVerifyRequest body; std::nullopt and `*error` set if it does not fit
// or has trailing bytes.
std::optional<HelloVerifyRequest> parseHelloVerifyRequest(std::string_view body,
                                                          std::string* error = nullptr);

// The first unfragmented ClientHello in a decoded datagram, parsed; std::nullopt when there is
// none or it does not parse. Convenience for cookie checks and fuzzers.
std::optional<ClientHello> findClientHello(const DecodedDatagram& datagram);

}  // namespace dtls::wire
