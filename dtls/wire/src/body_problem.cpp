// BodyProblem::text(): the words for a ClientHello / HelloVerifyRequest problem, built only
// when someone reads them.
#include <string>

#include "dtls/wire/client_hello.h"

namespace dtls::wire {

std::string BodyProblem::text() const {
  using K = Kind;
  const std::string at =
      std::string(field) + " at body offset " + std::to_string(offset) + ": ";
  switch (kind) {
    case K::kNone: return {};
    case K::kHeaderShort:
      return std::string(field) + " " + std::to_string(limit) + " bytes, the body has " +
             std::to_string(value);
    case K::kLengthShort:
      return at + "length needs " + std::to_string(value) + " bytes, " + std::to_string(limit) +
             " remain";
    case K::kVectorShort:
      return at + "needs " + std::to_string(value) + " bytes, " + std::to_string(limit) +
             " remain";
    case K::kSessionIdLong:
      return at + std::to_string(value) + " bytes, at most " + std::to_string(kMaxSessionIdBytes);
    case K::kBadCipherSuites:
      return at + "length " + std::to_string(value) + " is not a positive even number";
    case K::kNoCompression:
      return at + "empty (RFC 5246 §7.4.1.2 requires at least one)";
    case K::kExtensionShort: return at + "does not fit in the extensions block";
    case K::kTrailing:
      return std::to_string(value) + " trailing bytes at body offset " + std::to_string(offset);
  }
  return {};
}

}  // namespace dtls::wire
