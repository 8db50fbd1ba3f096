// dtls/wire/describe.h — human labels (timelines, logs) and stable machine labels (fault rules,
// trace filters) for decoded datagrams.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/wire/record.h"

namespace dtls::wire {

// One line for a handshake fragment of an epoch-0 record:
//   "ClientHello (msg 0, frag 0-186)"            whole message: fragment [offset, offset+length)
//   "Certificate (msg 2, frag 0-500 of 1200)"    a fragment of a longer message
std::string describe(const HandshakeMessage& message);

// A label lists at most this many records of a datagram, then ", N more records", and at most
// this many fragments of a handshake record, then " + N more". Real flights fit (OpenSSL sends
// one message per record, and a server's first flight is 4 or 5 records); a hostile 64 KB
// datagram of empty records would otherwise write kilobytes of label into every trace event
// about it, and every fuzz_wire input would format all of its parts.
inline constexpr std::size_t kMaxListedRecords = 8;
inline constexpr std::size_t kMaxListedFragments = 4;

// One label per record (a plaintext handshake record with several fragments gives their
// labels joined by " + "):
//   "ClientHello (msg 0, frag 0-186)", "HelloVerifyRequest (msg 0, frag 0-23)",
//   "ChangeCipherSpec", "Finished (epoch 1)", "AppData 1024 B", "Alert fatal handshake_failure",
//   "Alert (encrypted, epoch 1)", "Heartbeat 19 B", "Record unknown(99) 7 B".
// An encrypted handshake record in epoch 1 is labelled Finished: the first handshake message of
// the new epoch after ChangeCipherSpec is the Finished (RFC 5246 §7.4.9). dtlsim never
// renegotiates, so no other handshake message travels in epoch 1; in epoch >= 2 it is
// "EncryptedHandshake (epoch N)". An epoch-0 handshake record whose fragments did not all decode
// ends with " [malformed]".
std::string describe(const Record& record);

// The labels of the records joined by ", " (at most kMaxListedRecords), and " [error: ...]" if
// decoding stopped early.
std::string describe(const DecodedDatagram& datagram);
// The same into `*out` (replacing what it held, reusing its buffer).
void describe(const DecodedDatagram& datagram, std::string* out);

// A short, stable label per datagram for fault rules (DESIGN.md §5). The strings are part of
// the scenario format: never rename one. They are views of static storage: they stay valid for
// the life of the process, whatever happens to the datagram.
struct Classification {
  // The first record's label:
  //   "handshake:<handshake type name>" for a plaintext handshake record, by its first
  //       fragment ("handshake:client_hello", "handshake:server_hello", ...);
  //   "handshake:finished" for an encrypted handshake record in epoch 1;
  //   "handshake:encrypted" for an encrypted handshake record in epoch >= 2;
  //   "handshake:empty" for a plaintext handshake record without a fragment;
  //   "ccs", "alert", "appdata", "heartbeat", "unknown:<type number>";
  //   "malformed" when not even the first record decoded; "empty" for a zero-byte datagram.
  std::string_view label;
  // The first record's epoch (0 for "malformed" and "empty").
  std::uint16_t epoch = 0;
  // Every record's label (and every fragment's, for plaintext handshake records) in order,
  // so a rule can match a flight such as "ccs" + "handshake:finished" by any of its parts.
  std::vector<std::string_view> labels;

  // "handshake:client_hello@0": the label with its epoch.
  std::string text() const { return std::string(label) + "@" + std::to_string(epoch); }
  bool contains(std::string_view wanted) const;
};

Classification classify(const DecodedDatagram& datagram);
// The same into `*into` (replacing what it held, reusing its buffer).
void classify(const DecodedDatagram& datagram, Classification* into);
// Decodes and classifies `datagram` (lifetime: only during the call).
Classification classify(std::string_view datagram);
// The labels one record contributes to Classification::labels, appended to `*labels`.
void appendRecordLabels(const Record& record, std::vector<std::string_view>* labels);
// Whether some datagram can be classified with `label`: a rule naming anything else would
// silently never match, so scenario files are checked against this.
bool isLabel(std::string_view label);

}  // namespace dtls::wire
