// Record and handshake-fragment framing (RFC 6347 §4.1, §4.2.2). Every length read from the
// wire is checked against the bytes that remain before it is used.
#include "dtls/wire/record.h"

#include <utility>

#include "byte_reader.h"
#include "dtls/wire/names.h"

namespace dtls::wire {
namespace {

std::string at(const char* what, std::size_t index, std::size_t offset) {
  return std::string(what) + " " + std::to_string(index) + " at offset " + std::to_string(offset);
}

std::string hex16(std::uint16_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) text += kDigits[(value >> shift) & 0xf];
  return text;
}

// Decodes the header and framing of one record; on failure returns the problem (no prefix).
std::string readRecord(ByteReader* reader, std::size_t offset, Record* record) {
  record->offset = offset;
  if (reader->remaining() < kRecordHeaderBytes) {
    return "header needs " + std::to_string(kRecordHeaderBytes) + " bytes, " +
           std::to_string(reader->remaining()) + " remain";
  }
  std::size_t length = 0;
  // The header fits, so these reads cannot fail.
  reader->read(1, &record->content_type);
  reader->read(2, &record->version);
  reader->read(2, &record->epoch);
  reader->read(6, &record->sequence_number);
  reader->read(2, &length);
  // OpenSSL drops records whose major version is not DTLS's (dtls1_get_record).
  if ((record->version >> 8) != kDtlsMajorVersion) {
    return "version " + hex16(record->version) + " is not DTLS (RFC 6347 §4.1: major byte 0xfe)";
  }
  if (length > kMaxRecordFragmentBytes) {
    return "length " + std::to_string(length) + " exceeds the maximum " +
           std::to_string(kMaxRecordFragmentBytes) + " (RFC 5246 §6.2.3)";
  }
  if (!reader->readBytes(length, &record->fragment)) {
    return "length " + std::to_string(length) + " exceeds the " +
           std::to_string(reader->remaining()) + " remaining bytes";
  }
  return {};
}

// Decodes what an epoch-0 record's body says; returns the problem (no prefix) or "".
std::string decodeBody(Record* record) {
  if (record->encrypted()) return {};
  const std::size_t body_offset = record->offset + kRecordHeaderBytes;
  switch (record->content_type) {
    case static_cast<std::uint8_t>(ContentType::Handshake):
      return decodeHandshakeMessages(record->fragment, body_offset, &record->handshake_messages);
    case static_cast<std::uint8_t>(ContentType::Alert): {
      // OpenSSL accepts exactly one 2-byte alert per record (ssl3_read_bytes / dtls1_read_bytes).
      if (record->fragment.size() != 2) {
        return "alert of " + std::to_string(record->fragment.size()) + " bytes, expected 2";
      }
      record->alert = Alert{static_cast<std::uint8_t>(record->fragment[0]),
                            static_cast<std::uint8_t>(record->fragment[1])};
      return {};
    }
    default:
      return {};
  }
}

}  // namespace

std::string decodeHandshakeMessages(std::string_view fragment, std::size_t base_offset,
                                    std::vector<HandshakeMessage>* messages) {
  ByteReader reader(fragment);
  std::size_t index = 0;
  while (reader.remaining() > 0) {
    ++index;
    const std::size_t offset = base_offset + reader.position();
    // Only formatted on the error paths: this loop runs for every fragment of every datagram.
    const auto where = [&] { return at("handshake message", index, offset) + ": "; };
    if (index > kMaxHandshakeMessagesPerRecord) {
      return where() + "more than " + std::to_string(kMaxHandshakeMessagesPerRecord) +
             " handshake messages in one record";
    }
    if (reader.remaining() < kHandshakeHeaderBytes) {
      return where() + "header needs " + std::to_string(kHandshakeHeaderBytes) + " bytes, " +
             std::to_string(reader.remaining()) + " remain";
    }
    HandshakeMessage message;
    message.offset = offset;
    reader.read(1, &message.msg_type);
    reader.read(3, &message.length);
    reader.read(2, &message.message_seq);
    reader.read(3, &message.fragment_offset);
    reader.read(3, &message.fragment_length);
    // RFC 6347 §4.2.3: a fragment lies within its message.
    if (std::uint64_t{message.fragment_offset} + message.fragment_length > message.length) {
      return where() + "fragment " + std::to_string(message.fragment_offset) + "+" +
             std::to_string(message.fragment_length) + " exceeds message length " +
             std::to_string(message.length);
    }
    if (!reader.readBytes(message.fragment_length, &message.body)) {
      return where() + "fragment_length " + std::to_string(message.fragment_length) +
             " exceeds the " + std::to_string(reader.remaining()) +
             " remaining bytes of the record";
    }
    messages->push_back(message);
  }
  return {};
}

std::string scanRecords(std::string_view datagram,
                        const std::function<void(const Record&)>& visit) {
  if (datagram.empty()) return std::string(kEmptyDatagramError);
  ByteReader reader(datagram);
  std::size_t index = 0;
  Record record;
  while (reader.remaining() > 0) {
    ++index;
    const std::size_t offset = reader.position();
    if (index > kMaxRecordsPerDatagram) {
      return at("record", index, offset) + ": more than " +
             std::to_string(kMaxRecordsPerDatagram) + " records in one datagram";
    }
    const std::string framing_error = readRecord(&reader, offset, &record);
    if (!framing_error.empty()) return at("record", index, offset) + ": " + framing_error;
    visit(record);
  }
  return {};
}

DecodedDatagram decodeDatagram(std::string_view datagram) {
  DecodedDatagram result;
  if (datagram.empty()) {
    result.error = std::string(kEmptyDatagramError);
    return result;
  }
  ByteReader reader(datagram);
  std::size_t index = 0;
  while (reader.remaining() > 0) {
    ++index;
    const std::size_t offset = reader.position();
    if (index > kMaxRecordsPerDatagram) {
      result.error = at("record", index, offset) + ": more than " +
                     std::to_string(kMaxRecordsPerDatagram) + " records in one datagram";
      return result;
    }
    Record record;
    const std::string framing_error = readRecord(&reader, offset, &record);
    if (!framing_error.empty()) {
      result.error = at("record", index, offset) + ": " + framing_error;
      return result;
    }
    const std::string body_error = decodeBody(&record);
    if (!body_error.empty() && result.error.empty()) {
      result.error = at("record", index, offset) + ": " + body_error;
    }
    result.records.push_back(std::move(record));
  }
  return result;
}

}  // namespace dtls::wire
