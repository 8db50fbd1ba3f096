#include "dtls/wire/client_hello.h"

#include "byte_reader.h"
#include "dtls/wire/names.h"

namespace dtls::wire {
namespace {

using Kind = BodyProblem::Kind;

BodyProblem problemAt(Kind kind, const char* field, std::size_t offset, std::uint64_t value = 0,
                      std::uint64_t limit = 0) {
  return BodyProblem{kind, field, offset, value, limit};
}

// The problem with a vector whose length prefix or bytes do not fit in what remains.
BodyProblem shortVector(const char* field, ByteReader reader, std::size_t length_bytes) {
  const std::size_t offset = reader.position();
  std::uint64_t length = 0;
  if (!reader.readUint(length_bytes, &length))
    return problemAt(Kind::kLengthShort, field, offset, length_bytes, reader.remaining());
  return problemAt(Kind::kVectorShort, field, offset, length, reader.remaining());
}

bool readVector(ByteReader* reader, const char* field, std::size_t length_bytes,
                std::string_view* bytes, BodyProblem* problem) {
  if (reader->readVector(length_bytes, bytes)) return true;
  *problem = shortVector(field, *reader, length_bytes);
  return false;
}

// RFC 5246 §7.4.1.4: extensions<0..2^16-1>, each type(2) extension_data<0..2^16-1>.
BodyProblem parseExtensions(ByteReader* reader, ClientHello* hello) {
  BodyProblem problem;
  std::string_view block;
  const std::size_t block_offset = reader->position();
  if (!readVector(reader, "extensions", 2, &block, &problem)) return problem;
  ByteReader extensions(block);
  while (extensions.remaining() > 0) {
    const std::size_t offset = block_offset + 2 + extensions.position();
    std::uint16_t type = 0;
    std::string_view data;
    if (!extensions.read<2>(&type) || !extensions.readVector(2, &data))
      return problemAt(Kind::kExtensionShort, "extension", offset);
    hello->extension_types.push_back(type);
  }
  return problem;
}

}  // namespace

std::vector<std::uint16_t> ClientHello::cipherSuites() const {
  std::vector<std::uint16_t> values;
  values.reserve(cipher_suites.size() / 2);
  ByteReader reader(cipher_suites);
  std::uint16_t value = 0;
  while (reader.read<2>(&value)) values.push_back(value);
  return values;
}

ClientHelloResult parseClientHello(std::string_view body) {
  constexpr std::size_t kFixedBytes = 2 + kRandomBytes;
  ClientHelloResult result;
  ClientHello& hello = result.hello;
  ByteReader reader(body);
  BodyProblem& problem = result.problem;
  if (!reader.read<2>(&hello.client_version) || !reader.readBytes(kRandomBytes, &hello.random)) {
    problem = problemAt(Kind::kHeaderShort, "client_version and random need", 0, body.size(),
                        kFixedBytes);
    hello.random = {};
    return result;
  }
  const std::size_t session_offset = reader.position();
  if (!readVector(&reader, "session_id", 1, &hello.session_id, &problem)) return result;
  if (hello.session_id.size() > kMaxSessionIdBytes) {
    problem = problemAt(Kind::kSessionIdLong, "session_id", session_offset,
                        hello.session_id.size());
    return result;
  }
  if (!readVector(&reader, "cookie", 1, &hello.cookie, &problem)) return result;
  const std::size_t suites_offset = reader.position();
  std::string_view suites;
  if (!readVector(&reader, "cipher_suites", 2, &suites, &problem)) return result;
  if (suites.empty() || suites.size() % 2 != 0) {
    problem = problemAt(Kind::kBadCipherSuites, "cipher_suites", suites_offset, suites.size());
    return result;
  }
  hello.cipher_suites = suites;
  const std::size_t compression_offset = reader.position();
  if (!readVector(&reader, "compression_methods", 1, &hello.compression_methods, &problem))
    return result;
  if (hello.compression_methods.empty()) {
    problem = problemAt(Kind::kNoCompression, "compression_methods", compression_offset);
    return result;
  }
  if (reader.remaining() == 0) return result;  // no extensions: allowed (RFC 5246 §7.4.1.2)
  problem = parseExtensions(&reader, &hello);
  if (problem.empty() && reader.remaining() != 0)
    problem = problemAt(Kind::kTrailing, "", reader.position(), reader.remaining());
  return result;
}

std::optional<HelloVerifyRequest> parseHelloVerifyRequest(std::string_view body,
                                                          std::string* error) {
  ByteReader reader(body);
  HelloVerifyRequest request;
  BodyProblem problem;
  if (!reader.read<2>(&request.server_version)) {
    problem = problemAt(Kind::kHeaderShort, "server_version needs", 0, body.size(), 2);
  } else if (readVector(&reader, "cookie", 1, &request.cookie, &problem) &&
             reader.remaining() != 0) {
    problem = problemAt(Kind::kTrailing, "", reader.position(), reader.remaining());
  }
  if (error != nullptr) *error = problem.text();
  if (!problem.empty()) return std::nullopt;
  return request;
}

std::optional<ClientHello> findClientHello(const DecodedDatagram& datagram) {
  for (const Record& record : datagram.records) {
    for (const HandshakeMessage& message : record.handshake_messages) {
      if (message.msg_type != static_cast<std::uint8_t>(HandshakeType::ClientHello) ||
          message.isFragmented()) {
        continue;
      }
      ClientHelloResult parsed = parseClientHello(message.body);
      if (!parsed.ok()) return std::nullopt;
      return std::move(parsed.hello);
    }
  }
  return std::nullopt;
}

}  // namespace dtls::wire
