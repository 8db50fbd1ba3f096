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
// everything decoded before the first problem and `error` names it with its byte offset.
//
// Lifetime: every std::string_view in a result points into the decoded datagram, which must
// stay alive (and unchanged) while the result is used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
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
  // Epoch-0 handshake records: the fragments decoded (all of them unless `error` says why not).
  std::vector<HandshakeMessage> handshake_messages;
  // Epoch-0 alert records of exactly 2 bytes.
  std::optional<Alert> alert;

  std::size_t length() const { return fragment.size(); }
  // Epoch >= 1: the fragment is ciphertext (RFC 6347 §4.1, epoch increments at each
  // ChangeCipherSpec).
  bool encrypted() const { return epoch != 0; }
};

// The decoded datagram.
struct DecodedDatagram {
  std::vector<Record> records;  // in datagram order
  // The first problem found, naming the record (1-based), its offset and what was wrong, e.g.
  // "record 2 at offset 87: length 300 exceeds the 12 remaining bytes". Empty when the whole
  // datagram decoded. A framing problem (bad record header or length) stops decoding; a problem
  // inside a record's body (a bad handshake fragment or alert) keeps that record with what was
  // decoded of its body and decoding goes on with the next record.
  std::string error;

  bool ok() const { return error.empty(); }
};

// DecodedDatagram::error for a zero-byte datagram.
inline constexpr std::string_view kEmptyDatagramError = "empty datagram";

// Decodes `datagram`. Errors (in DecodedDatagram::error), all with the record number and offset:
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

// The framing of `datagram` only: calls `visit` with each record in order (its header fields
// and fragment; handshake_messages and alert stay empty) without allocating for valid input.
// Returns "" when the datagram is a whole number of well-framed records (at least one), else
// the framing error decodeDatagram would report. Bodies are not checked: a hot path (the
// connection's decryptDatagram) can afford this on every datagram.
std::string scanRecords(std::string_view datagram,
                        const std::function<void(const Record&)>& visit);

// The same for raw bytes (libFuzzer's entry point); `data` may be null when `size` is 0.
inline DecodedDatagram decodeDatagram(const std::uint8_t* data, std::size_t size) {
  return decodeDatagram(size == 0 ? std::string_view()
                                  : std::string_view(reinterpret_cast<const char*>(data), size));
}

// Decodes the handshake fragments of one plaintext handshake record's fragment. `base_offset`
// is the fragment's offset in the datagram (reported in offsets and errors). Returns "" or the
// first problem (without the "record N" prefix); `messages` receives what was decoded.
std::string decodeHandshakeMessages(std::string_view fragment, std::size_t base_offset,
                                    std::vector<HandshakeMessage>* messages);

}  // namespace dtls::wire
