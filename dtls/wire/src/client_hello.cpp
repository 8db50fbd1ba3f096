#include "dtls/wire/client_hello.h"

#include "byte_reader.h"
#include "dtls/wire/names.h"

namespace dtls::wire {
namespace {

// "cookie at body offset 67: needs 20 bytes, 3 remain" for a vector whose length prefix says
// more than the body holds.
std::string shortVector(const char* field, ByteReader reader, std::size_t length_bytes) {
  const std::size_t offset = reader.position();
  std::size_t length = 0;
  if (!reader.read(length_bytes, &length)) {
    return std::string(field) + " at body offset " + std::to_string(offset) + ": length needs " +
           std::to_string(length_bytes) + " bytes, " + std::to_string(reader.remaining()) +
           " remain";
  }
  return std::string(field) + " at body offset " + std::to_string(offset) + ": needs " +
         std::to_string(length) + " bytes, " + std::to_string(reader.remaining()) + " remain";
}

bool readVector(ByteReader* reader, const char* field, std::size_t length_bytes,
                std::string_view* bytes, std::string* error) {
  if (reader->readVector(length_bytes, bytes)) return true;
  *error = shortVector(field, *reader, length_bytes);
  return false;
}

std::vector<std::uint16_t> uint16List(std::string_view bytes) {
  std::vector<std::uint16_t> values;
  ByteReader reader(bytes);
  std::uint16_t value = 0;
  while (reader.read(2, &value)) values.push_back(value);
  return values;
}

// RFC 5246 §7.4.1.4: extensions<0..2^16-1>, each type(2) extension_data<0..2^16-1>.
std::string parseExtensions(ByteReader* reader, ClientHello* hello) {
  std::string error;
  std::string_view block;
  const std::size_t block_offset = reader->position();
  if (!readVector(reader, "extensions", 2, &block, &error)) return error;
  ByteReader extensions(block);
  while (extensions.remaining() > 0) {
    const std::size_t offset = block_offset + 2 + extensions.position();
    std::uint16_t type = 0;
    std::string_view data;
    if (!extensions.read(2, &type) || !extensions.readVector(2, &data)) {
      return "extension at body offset " + std::to_string(offset) +
             ": does not fit in the extensions block";
    }
    hello->extension_types.push_back(type);
  }
  return {};
}

}  // namespace

ClientHelloResult parseClientHello(std::string_view body) {
  ClientHelloResult result;
  ClientHello& hello = result.hello;
  ByteReader reader(body);
  std::string& error = result.error;
  if (!reader.read(2, &hello.client_version) || !reader.readBytes(kRandomBytes, &hello.random)) {
    error = "client_version and random need 34 bytes, the body has " +
            std::to_string(body.size());
    hello.random = {};
    return result;
  }
  const std::size_t session_offset = reader.position();
  if (!readVector(&reader, "session_id", 1, &hello.session_id, &error)) return result;
  if (hello.session_id.size() > kMaxSessionIdBytes) {
    error = "session_id at body offset " + std::to_string(session_offset) + ": " +
            std::to_string(hello.session_id.size()) + " bytes, at most 32";
    return result;
  }
  if (!readVector(&reader, "cookie", 1, &hello.cookie, &error)) return result;
  const std::size_t suites_offset = reader.position();
  std::string_view suites;
  if (!readVector(&reader, "cipher_suites", 2, &suites, &error)) return result;
  if (suites.empty() || suites.size() % 2 != 0) {
    error = "cipher_suites at body offset " + std::to_string(suites_offset) + ": length " +
            std::to_string(suites.size()) + " is not a positive even number";
    return result;
  }
  hello.cipher_suites = uint16List(suites);
  const std::size_t compression_offset = reader.position();
  if (!readVector(&reader, "compression_methods", 1, &hello.compression_methods, &error)) {
    return result;
  }
  if (hello.compression_methods.empty()) {
    error = "compression_methods at body offset " + std::to_string(compression_offset) +
            ": empty (RFC 5246 §7.4.1.2 requires at least one)";
    return result;
  }
  if (reader.remaining() == 0) return result;  // no extensions: allowed (RFC 5246 §7.4.1.2)
  error = parseExtensions(&reader, &hello);
  if (error.empty() && reader.remaining() != 0) {
    error = std::to_string(reader.remaining()) + " trailing bytes at body offset " +
            std::to_string(reader.position());
  }
  return result;
}

std::optional<HelloVerifyRequest> parseHelloVerifyRequest(std::string_view body,
                                                          std::string* error) {
  ByteReader reader(body);
  HelloVerifyRequest request;
  std::string problem;
  if (!reader.read(2, &request.server_version)) {
    problem = "server_version needs 2 bytes, the body has " + std::to_string(body.size());
  } else if (readVector(&reader, "cookie", 1, &request.cookie, &problem) &&
             reader.remaining() != 0) {
    problem = std::to_string(reader.remaining()) + " trailing bytes at body offset " +
              std::to_string(reader.position());
  }
  if (error != nullptr) *error = problem;
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
