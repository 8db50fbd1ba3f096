// DecodeProblem::text(): the words for a decoding problem, built only when someone reads them.
#include <string>

#include "dtls/wire/record.h"
#include "text_sink.h"

namespace dtls::wire {
namespace {

void appendNumber(TextSink* out, std::uint64_t value) { out->number(value); }

void appendHex16(TextSink* out, std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  *out << "0x";
  for (int shift = 12; shift >= 0; shift -= 4) *out << kDigits[(value >> shift) & 0xf];
}

// "<what> N at offset O: "
void appendWhere(TextSink* out, const char* what, std::uint64_t index, std::uint64_t offset) {
  *out << what << ' ';
  appendNumber(out, index);
  *out << " at offset ";
  appendNumber(out, offset);
  *out << ": ";
}

}  // namespace

std::string DecodeProblem::text() const {
  std::string out;
  appendText(&out);
  return out;
}

void DecodeProblem::appendText(std::string* text) const {
  using K = Kind;
  TextSink out(text);
  if (kind == K::kNone) return;
  if (kind == K::kEmptyDatagram) {
    out << kEmptyDatagramError;
    return;
  }
  if (record != 0) appendWhere(&out, "record", record, record_offset);
  switch (kind) {
    case K::kTooManyMessages:
    case K::kMessageHeaderShort:
    case K::kFragmentPastMessage:
    case K::kFragmentPastRecord:
      appendWhere(&out, "handshake message", message, message_offset);
      break;
    default: break;
  }
  switch (kind) {
    case K::kNone:
    case K::kEmptyDatagram: break;
    case K::kTooManyRecords:
      out << "more than ";
      appendNumber(&out, kMaxRecordsPerDatagram);
      out << " records in one datagram";
      break;
    case K::kRecordHeaderShort:
      out << "header needs ";
      appendNumber(&out, kRecordHeaderBytes);
      out << " bytes, ";
      appendNumber(&out, value);
      out << " remain";
      break;
    case K::kNotDtls:
      out << "version ";
      appendHex16(&out, value);
      out << " is not DTLS (RFC 6347 §4.1: major byte 0xfe)";
      break;
    case K::kRecordTooLong:
      out << "length ";
      appendNumber(&out, value);
      out << " exceeds the maximum ";
      appendNumber(&out, kMaxRecordFragmentBytes);
      out << " (RFC 5246 §6.2.3)";
      break;
    case K::kRecordPastEnd:
      out << "length ";
      appendNumber(&out, value);
      out << " exceeds the ";
      appendNumber(&out, limit);
      out << " remaining bytes";
      break;
    case K::kTooManyMessages:
      out << "more than ";
      appendNumber(&out, kMaxHandshakeMessagesPerRecord);
      out << " handshake messages in one record";
      break;
    case K::kMessageHeaderShort:
      out << "header needs ";
      appendNumber(&out, kHandshakeHeaderBytes);
      out << " bytes, ";
      appendNumber(&out, value);
      out << " remain";
      break;
    case K::kFragmentPastMessage:
      out << "fragment ";
      appendNumber(&out, value);
      out << '+';
      appendNumber(&out, limit);
      out << " exceeds message length ";
      appendNumber(&out, extra);
      break;
    case K::kFragmentPastRecord:
      out << "fragment_length ";
      appendNumber(&out, value);
      out << " exceeds the ";
      appendNumber(&out, limit);
      out << " remaining bytes of the record";
      break;
    case K::kAlertLength:
      out << "alert of ";
      appendNumber(&out, value);
      out << " bytes, expected 2";
      break;
  }
}

}  // namespace dtls::wire
