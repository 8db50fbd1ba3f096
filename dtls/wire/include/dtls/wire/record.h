// dtls/wire/record.h — decodes one UDP datagram into DTLS records and, for plaintext handshake
// records, into handshake message fragments. No OpenSSL, no allocation beyond the result.
//
// Layouts decoded (network byte order):
//   record header, RFC 6347 §4.1 (13 bytes):
//     type(1) version(2) epoch(2) sequence_number(6) length(2), then `length` fragment bytes.
//     A datagram may carry several records (RFC 6347 §4.1.1); each is framed by its length.
//   handshake header, RFC 6347 §4.2.2 (12 bytes):
//     msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3), then
//     `fragment_length` body bytes. A record may carry several handshake fragments.
//   alert, RFC 5246 §7.2: level(1) description(1).
//
// Records in epoch 0 are plaintext and decoded further. Records in epoch >= 1 are encrypted:
// their header is visible, their fragment is opaque (`encrypted()`); a handshake record in
// epoch 1 is the encrypted Finished (RFC 5246 §7.4.9) as far as dtlsim is concerned.
//
// Malformed input never crashes and never reads out of bounds; nothing throws. The result holds
// everything decoded before the first problem and `problem` names it with its byte offset.
//
// Lifetime: every std::string_view in a result points into the decoded datagram, which must
// stay alive (and unchanged) while the result is used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dtls::wire {

inline constexpr std::size_t kRecordHeaderBytes = 13;     // RFC 6347 §4.1
inline constexpr std::size_t kHandshakeHeaderBytes = 12;  // RFC 6347 §4.2.2
// The largest record fragment a peer may send: 2^14 + 2048 (TLSCiphertext, RFC 5246 §6.2.3,
// which RFC 6347 §4.1 inherits). OpenSSL drops longer records; the decoder reports them.
inline constexpr std::size_t kMaxRecordFragmentBytes = (1u << 14) + 2048;
// At most this many records are decoded per datagram. The largest datagram libssl writes in
// dtlsim is 4096 bytes (DESIGN.md §4), which holds at most 4096 / 13 = 315 empty records, so no
// real datagram reaches the bound; a 64 KiB hostile one stops here with an error.
inline constexpr std::size_t kMaxRecordsPerDatagram = 512;
// At most this many handshake fragments are decoded per record (same reasoning: 4096 / 12).
inline constexpr std::size_t kMaxHandshakeMessagesPerRecord = 512;

// One handshake message fragment (RFC 6347 §4.2.2).
struct HandshakeMessage {
  std::size_t offset = 0;  // of its 12-byte header, from the start of the datagram
  std::uint8_t msg_type = 0;
  std::uint32_t length = 0;  // of the whole message body (24 bits)
  std::uint16_t message_seq = 0;
  std::uint32_t fragment_offset = 0;  // 24 bits
  std::uint32_t fragment_length = 0;  // 24 bits; == body.size()
  std::string_view body;              // the fragment's bytes

  // True when this fragment is not the whole message (RFC 6347 §4.2.3). A fragment that covers
  // the whole message (offset 0, fragment_length == length) is "unfragmented".
  bool isFragmented() const { return fragment_offset != 0 || fragment_length != length; }
};

// A plaintext alert (RFC 5246 §7.2).
struct Alert {
  std::uint8_t level = 0;        // AlertLevel
  std::uint8_t description = 0;  // AlertDescription
};

// One DTLS record (RFC 6347 §4.1).
struct Record {
  std::size_t offset = 0;  // of its 13-byte header, from the start of the datagram
  std::uint8_t content_type = 0;
  std::uint16_t version = 0;
  std::uint16_t epoch = 0;
  std::uint64_t sequence_number = 0;  // 48 bits
  std::string_view fragment;          // `length` bytes after the header
  // Epoch-0 handshake records: the fragments decoded (all of them unless the datagram's problem
  // says why not). The view points into the DecodedDatagram that decoded the record.
  std::span<const HandshakeMessage> handshake_messages;
  // Epoch-0 alert records of exactly 2 bytes.
  std::optional<Alert> alert;

  std::size_t length() const { return fragment.size(); }
  // Epoch >= 1: the fragment is ciphertext (RFC 6347 §4.1, epoch increments at each
  // ChangeCipherSpec).
  bool encrypted() const { return epoch != 0; }
};

// Why decoding stopped, or why a record's body was rejected. Decoding runs on every datagram of
// every run and on every fuzz input, almost all of them fine or thrown away unread, so the
// problem is kept as numbers and only text() formats it, e.g.
//   "record 2 at offset 87: length 300 exceeds the 12 remaining bytes".
struct DecodeProblem {
  enum class Kind : std::uint8_t {
    kNone,
    kEmptyDatagram,         // zero bytes
    kTooManyRecords,        // more than kMaxRecordsPerDatagram
    kRecordHeaderShort,     // value = bytes remaining
    kNotDtls,               // value = the version field
    kRecordTooLong,         // value = length (over kMaxRecordFragmentBytes)
    kRecordPastEnd,         // value = length, limit = bytes remaining
    kTooManyMessages,       // more than kMaxHandshakeMessagesPerRecord
    kMessageHeaderShort,    // value = bytes remaining in the record
    kFragmentPastMessage,   // value = fragment_offset, limit = fragment_length, extra = length
    kFragmentPastRecord,    // value = fragment_length, limit = bytes remaining in the record
    kAlertLength,           // value = the alert record's length
  };
  Kind kind = Kind::kNone;
  std::uint32_t record = 0;  // 1-based; 0 when the problem was found outside a datagram
  std::size_t record_offset = 0;
  std::uint32_t message = 0;  // 1-based, for the handshake-fragment kinds
  std::size_t message_offset = 0;
  std::uint64_t value = 0;
  std::uint64_t limit = 0;
  std::uint64_t extra = 0;

  bool empty() const { return kind == Kind::kNone; }
  // The problem in words, prefixed with "record N at offset O: " (when `record` is set) and
  // "handshake message M at offset P: " (for the fragment kinds); "" when there is none.
  std::string text() const;
  // The same appended to `*out`.
  void appendText(std::string* out) const;
};

// The decoded datagram. Copies and moves keep every record's handshake_messages pointing into
// their own storage.
class DecodedDatagram {
 public:
  DecodedDatagram() = default;
  DecodedDatagram(const DecodedDatagram& other);
  DecodedDatagram& operator=(const DecodedDatagram& other);
  DecodedDatagram(DecodedDatagram&&) noexcept = default;
  DecodedDatagram& operator=(DecodedDatagram&&) noexcept = default;

  std::vector<Record> records;  // in datagram order
  // The first problem found. A framing problem (bad record header or length) stops decoding; a
  // problem inside a record's body (a bad handshake fragment or alert) keeps that record with
  // what was decoded of its body and decoding goes on with the next record.
  DecodeProblem problem;

  bool ok() const { return problem.empty(); }
  // problem.text(): "" when the whole datagram decoded.
  std::string error() const { return problem.text(); }

 private:
  friend void decodeDatagram(std::string_view datagram, DecodedDatagram* into);
  // Every record's handshake fragments, in order: one buffer for the whole datagram, reused
  // when a DecodedDatagram decodes again.
  std::vector<HandshakeMessage> messages_;
};

// DecodeProblem::text() of a zero-byte datagram.
inline constexpr std::string_view kEmptyDatagramError = "empty datagram";

// Decodes `datagram`. Problems (in DecodedDatagram::problem), all with the record number and
// offset:
//  - "empty datagram" for zero bytes;
//  - a header that does not fit ("header needs 13 bytes, 5 remain");
//  - a version whose major byte is not 0xfe (not DTLS; OpenSSL drops such records);
//  - a length over kMaxRecordFragmentBytes, or over the bytes that remain;
//  - more than kMaxRecordsPerDatagram records;
//  - in an epoch-0 handshake record: a fragment header that does not fit, a fragment_length over
//    the record's remaining bytes, fragment_offset + fragment_length over length, more than
//    kMaxHandshakeMessagesPerRecord fragments;
//  - an epoch-0 alert record whose length is not 2.
DecodedDatagram decodeDatagram(std::string_view datagram);

// The same into an existing result, which is cleared first; its buffers are reused, so a caller
// that decodes datagram after datagram (a trace recorder, a fuzzer) does not allocate once they
// have grown.
void decodeDatagram(std::string_view datagram, DecodedDatagram* into);

// The same for raw bytes (libFuzzer's entry point); `data` may be null when `size` is 0.
inline DecodedDatagram decodeDatagram(const std::uint8_t* data, std::size_t size) {
  return decodeDatagram(size == 0 ? std::string_view()
                                  : std::string_view(reinterpret_cast<const char*>(data), size));
}

// Reads the record header at `*position` of `datagram` (the `index`th record, 1-based) into
// `record` (fields and fragment; handshake_messages and alert are left empty) and moves
// `*position` past it. Returns the framing problem, if any; the building block of scanRecords.
DecodeProblem readRecordFraming(std::string_view datagram, std::size_t* position,
                                std::uint32_t index, Record* record);

// The framing of `datagram` only: calls `visit(const Record&)` with each record in order (its
// header fields and fragment; handshake_messages and alert stay empty), without allocating.
// Returns no problem when the datagram is a whole number of well-framed records (at least one),
// else the framing problem decodeDatagram would report; records before it were visited. Bodies
// are not checked: a hot path (the connection's decryptDatagram) can afford this on every
// datagram.
template <typename Visit>
DecodeProblem scanRecords(std::string_view datagram, Visit&& visit) {
  DecodeProblem problem;
  if (datagram.empty()) {
    problem.kind = DecodeProblem::Kind::kEmptyDatagram;
    return problem;
  }
  std::size_t position = 0;
  Record record;
  for (std::uint32_t index = 1; position < datagram.size(); ++index) {
    problem = readRecordFraming(datagram, &position, index, &record);
    if (!problem.empty()) return problem;
    visit(static_cast<const Record&>(record));
  }
  return problem;
}

// Decodes the handshake fragments of one plaintext handshake record's fragment and appends them
// to `messages`. `base_offset` is the fragment's offset in the datagram (reported in offsets).
// Returns the first problem (its `record` field is 0: the caller knows which record it was).
DecodeProblem decodeHandshakeMessages(std::string_view fragment, std::size_t base_offset,
                                      std::vector<HandshakeMessage>* messages);

}  // namespace dtls::wire
