// Record and handshake-fragment framing (RFC 6347 §4.1, §4.2.2). Every length read from the
// wire is checked against the bytes that remain before it is used.
#include "dtls/wire/record.h"

#include <functional>

#include "dtls/wire/names.h"

namespace dtls::wire {
namespace {

using Kind = DecodeProblem::Kind;

// Big-endian loads of header fields whose bytes are known to be there.
std::uint16_t load16(const unsigned char* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t load24(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}
std::uint64_t load48(const unsigned char* p) {
  return (std::uint64_t{load16(p)} << 32) | (std::uint64_t{load16(p + 2)} << 16) | load16(p + 4);
}

// A problem with the record (index, offset) itself.
DecodeProblem recordProblem(Kind kind, std::uint32_t index, std::size_t offset,
                            std::uint64_t value = 0, std::uint64_t limit = 0) {
  return DecodeProblem{kind, index, offset, 0, 0, value, limit, 0};
}

// A problem with a handshake fragment; the caller adds which record it is in.
DecodeProblem messageProblem(Kind kind, std::uint32_t index, std::size_t offset,
                             std::uint64_t value = 0, std::uint64_t limit = 0,
                             std::uint64_t extra = 0) {
  return DecodeProblem{kind, 0, 0, index, offset, value, limit, extra};
}

// Decodes what an epoch-0 record's body says into `record` (handshake fragments are appended to
// `messages`; the caller points the record at them).
DecodeProblem decodeBody(Record* record, std::vector<HandshakeMessage>* messages) {
  if (record->encrypted()) return {};
  switch (record->content_type) {
    case static_cast<std::uint8_t>(ContentType::Handshake):
      return decodeHandshakeMessages(record->fragment, record->offset + kRecordHeaderBytes,
                                     messages);
    case static_cast<std::uint8_t>(ContentType::Alert):
      // OpenSSL accepts exactly one 2-byte alert per record (ssl3_read_bytes / dtls1_read_bytes).
      if (record->fragment.size() != 2)
        return recordProblem(Kind::kAlertLength, 0, 0, record->fragment.size());
      record->alert = Alert{static_cast<std::uint8_t>(record->fragment[0]),
                            static_cast<std::uint8_t>(record->fragment[1])};
      return {};
    default:
      return {};
  }
}

}  // namespace

DecodeProblem readRecordFraming(std::string_view datagram, std::size_t* position,
                                std::uint32_t index, Record* record) {
  const std::size_t offset = *position;
  if (index > kMaxRecordsPerDatagram) return recordProblem(Kind::kTooManyRecords, index, offset);
  const std::size_t remaining = datagram.size() - offset;
  record->offset = offset;
  record->handshake_messages = {};
  record->alert.reset();
  if (remaining < kRecordHeaderBytes) {
    *record = Record{};
    record->offset = offset;
    return recordProblem(Kind::kRecordHeaderShort, index, offset, remaining);
  }
  // One bounds check for the whole header, then fixed loads: this runs for every record of
  // every datagram, and fuzzers pay for each comparison.
  const auto* h = reinterpret_cast<const unsigned char*>(datagram.data() + offset);
  record->content_type = h[0];
  record->version = load16(h + 1);
  record->epoch = load16(h + 3);
  record->sequence_number = load48(h + 5);
  const std::size_t length = load16(h + 11);
  record->fragment = {};
  // OpenSSL drops records whose major version is not DTLS's (dtls1_get_record).
  if ((record->version >> 8) != kDtlsMajorVersion)
    return recordProblem(Kind::kNotDtls, index, offset, record->version);
  if (length > kMaxRecordFragmentBytes)
    return recordProblem(Kind::kRecordTooLong, index, offset, length);
  const std::size_t body_remaining = remaining - kRecordHeaderBytes;
  if (length > body_remaining)
    return recordProblem(Kind::kRecordPastEnd, index, offset, length, body_remaining);
  record->fragment = std::string_view(datagram.data() + offset + kRecordHeaderBytes, length);
  *position = offset + kRecordHeaderBytes + length;
  return {};
}

DecodeProblem decodeHandshakeMessages(std::string_view fragment, std::size_t base_offset,
                                      std::vector<HandshakeMessage>* messages) {
  std::size_t position = 0;
  for (std::uint32_t index = 1; position < fragment.size(); ++index) {
    const std::size_t offset = base_offset + position;
    const std::size_t remaining = fragment.size() - position;
    if (index > kMaxHandshakeMessagesPerRecord)
      return messageProblem(Kind::kTooManyMessages, index, offset);
    if (remaining < kHandshakeHeaderBytes)
      return messageProblem(Kind::kMessageHeaderShort, index, offset, remaining);
    const auto* h = reinterpret_cast<const unsigned char*>(fragment.data() + position);
    HandshakeMessage message;
    message.offset = offset;
    message.msg_type = h[0];
    message.length = load24(h + 1);
    message.message_seq = load16(h + 4);
    message.fragment_offset = load24(h + 6);
    message.fragment_length = load24(h + 9);
    // RFC 6347 §4.2.3: a fragment lies within its message.
    if (std::uint64_t{message.fragment_offset} + message.fragment_length > message.length) {
      return messageProblem(Kind::kFragmentPastMessage, index, offset, message.fragment_offset,
                            message.fragment_length, message.length);
    }
    const std::size_t body_remaining = remaining - kHandshakeHeaderBytes;
    if (message.fragment_length > body_remaining) {
      return messageProblem(Kind::kFragmentPastRecord, index, offset, message.fragment_length,
                            body_remaining);
    }
    message.body = std::string_view(reinterpret_cast<const char*>(h) + kHandshakeHeaderBytes,
                                    message.fragment_length);
    messages->push_back(message);
    position += kHandshakeHeaderBytes + message.fragment_length;
  }
  return {};
}

void decodeDatagram(std::string_view datagram, DecodedDatagram* into) {
  DecodedDatagram& result = *into;
  result.records.clear();
  result.messages_.clear();
  result.problem = {};
  if (datagram.empty()) {
    result.problem.kind = Kind::kEmptyDatagram;
    return;
  }
  std::size_t position = 0;
  for (std::uint32_t index = 1; position < datagram.size(); ++index) {
    const std::size_t offset = position;
    Record& record = result.records.emplace_back();
    const DecodeProblem framing = readRecordFraming(datagram, &position, index, &record);
    if (!framing.empty()) {
      result.records.pop_back();
      result.problem = framing;
      break;
    }
    DecodeProblem body = decodeBody(&record, &result.messages_);
    if (!body.empty() && result.problem.empty()) {
      body.record = index;
      body.record_offset = offset;
      result.problem = body;
    }
  }
  // messages_ may have moved while it grew, so the records are pointed at their fragments only
  // now. Fragments are stored in datagram order, so each record's are those that start inside
  // its body.
  std::size_t next = 0;
  for (Record& record : result.records) {
    const std::size_t first = next;
    const std::size_t body_end = record.offset + kRecordHeaderBytes + record.length();
    while (next < result.messages_.size() && result.messages_[next].offset < body_end) ++next;
    record.handshake_messages = {result.messages_.data() + first, next - first};
  }
}

DecodedDatagram decodeDatagram(std::string_view datagram) {
  DecodedDatagram result;
  decodeDatagram(datagram, &result);
  return result;
}

DecodedDatagram::DecodedDatagram(const DecodedDatagram& other)
    : records(other.records), problem(other.problem), messages_(other.messages_) {
  const HandshakeMessage* from = other.messages_.data();
  const HandshakeMessage* from_end = from + other.messages_.size();
  for (Record& record : records) {
    const HandshakeMessage* first = record.handshake_messages.data();
    // A record copied in from another result keeps pointing there.
    const std::less<const HandshakeMessage*> before;
    if (record.handshake_messages.empty() || before(first, from) || !before(first, from_end))
      continue;
    record.handshake_messages = {messages_.data() + (first - from),
                                 record.handshake_messages.size()};
  }
}

DecodedDatagram& DecodedDatagram::operator=(const DecodedDatagram& other) {
  if (this != &other) *this = DecodedDatagram(other);
  return *this;
}

}  // namespace dtls::wire
