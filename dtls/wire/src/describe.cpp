#include "dtls/wire/describe.h"

#include <algorithm>
#include <array>

#include "dtls/wire/names.h"
#include "text_sink.h"

namespace dtls::wire {
namespace {

constexpr std::uint8_t kHandshake = static_cast<std::uint8_t>(ContentType::Handshake);

void appendEpoch(TextSink& out, std::string_view title, std::uint16_t epoch) {
  out << title << " (epoch ";
  out.number(epoch) << ')';
}

void appendMessage(TextSink& out, const HandshakeMessage& message) {
  out << handshakeTypeTitle(message.msg_type) << " (msg ";
  out.number(message.message_seq) << ", frag ";
  out.number(message.fragment_offset) << '-';
  out.number(std::uint64_t{message.fragment_offset} + message.fragment_length);
  if (message.isFragmented()) {
    out << " of ";
    out.number(message.length);
  }
  out << ')';
}

void appendHandshakeRecord(TextSink& out, const Record& record) {
  if (record.encrypted()) {
    appendEpoch(out, record.epoch == 1 ? "Finished" : "EncryptedHandshake", record.epoch);
    return;
  }
  const std::size_t start = out.size();
  std::size_t decoded = 0;
  std::size_t listed = 0;
  for (const HandshakeMessage& message : record.handshake_messages) {
    decoded += kHandshakeHeaderBytes + message.body.size();
    if (listed++ >= kMaxListedFragments) continue;
    if (out.size() != start) out << " + ";
    appendMessage(out, message);
  }
  if (listed > kMaxListedFragments) {
    out << " + ";
    out.number(listed - kMaxListedFragments) << " more";
  }
  // The record's body stops short of its length only when a fragment did not decode.
  if (decoded != record.fragment.size()) {
    out << (out.size() == start ? "[malformed]" : " [malformed]");
  } else if (out.size() == start) {
    out << "Handshake (empty)";
  }
}

void appendAlert(TextSink& out, const Record& record) {
  if (record.encrypted()) {
    out << "Alert (encrypted, epoch ";
    out.number(record.epoch) << ')';
    return;
  }
  if (!record.alert) {
    out << "Alert [malformed, ";
    out.number(record.length()) << " B]";
    return;
  }
  out << "Alert " << alertLevelName(record.alert->level) << ' '
      << alertDescriptionName(record.alert->description);
}

void appendRecord(TextSink& out, const Record& record) {
  switch (record.content_type) {
    case static_cast<std::uint8_t>(ContentType::ChangeCipherSpec):
      if (record.encrypted()) {
        appendEpoch(out, "ChangeCipherSpec", record.epoch);
      } else {
        out << "ChangeCipherSpec";
      }
      return;
    case static_cast<std::uint8_t>(ContentType::Alert): appendAlert(out, record); return;
    case kHandshake: appendHandshakeRecord(out, record); return;
    case static_cast<std::uint8_t>(ContentType::ApplicationData): out << "AppData "; break;
    case static_cast<std::uint8_t>(ContentType::Heartbeat): out << "Heartbeat "; break;
    default: out << "Record " << contentTypeName(record.content_type) << ' '; break;
  }
  out.number(record.length()) << " B";
}

// "<prefix><name>" for every byte value, built once: classification labels are views of them.
using Labels = std::array<std::string, 256>;

const Labels& handshakeLabels() {
  static const Labels labels = [] {
    Labels l;
    for (unsigned type = 0; type < l.size(); ++type)
      l[type] = "handshake:" + std::string(handshakeTypeName(static_cast<std::uint8_t>(type)));
    return l;
  }();
  return labels;
}

const Labels& unknownLabels() {
  static const Labels labels = [] {
    Labels l;
    for (unsigned type = 0; type < l.size(); ++type) l[type] = "unknown:" + std::to_string(type);
    return l;
  }();
  return labels;
}

std::string_view recordClass(const Record& record) {
  switch (record.content_type) {
    case static_cast<std::uint8_t>(ContentType::ChangeCipherSpec): return "ccs";
    case static_cast<std::uint8_t>(ContentType::Alert): return "alert";
    case static_cast<std::uint8_t>(ContentType::ApplicationData): return "appdata";
    case static_cast<std::uint8_t>(ContentType::Heartbeat): return "heartbeat";
    case kHandshake:
      if (record.epoch == 1) return "handshake:finished";
      if (record.encrypted()) return "handshake:encrypted";
      if (record.handshake_messages.empty()) return "handshake:empty";
      return handshakeLabels()[record.handshake_messages.front().msg_type];
    default: return unknownLabels()[record.content_type];
  }
}

}  // namespace

std::string describe(const HandshakeMessage& message) {
  std::string text;
  TextSink sink(&text);
  appendMessage(sink, message);
  sink.flush();
  return text;
}

std::string describe(const Record& record) {
  std::string text;
  TextSink sink(&text);
  appendRecord(sink, record);
  sink.flush();
  return text;
}

void describe(const DecodedDatagram& datagram, std::string* out) {
  out->clear();
  TextSink sink(out);
  const std::size_t listed = std::min(datagram.records.size(), kMaxListedRecords);
  for (std::size_t i = 0; i < listed; ++i) {
    if (sink.size() != 0) sink << ", ";
    appendRecord(sink, datagram.records[i]);
  }
  if (datagram.records.size() > listed) {
    sink << ", ";
    sink.number(datagram.records.size() - listed) << " more records";
  }
  if (!datagram.ok()) {
    sink << (sink.size() == 0 ? "[error: " : " [error: ");
    sink.flush();
    datagram.problem.appendText(out);
    *out += ']';
  }
}

std::string describe(const DecodedDatagram& datagram) {
  std::string text;
  describe(datagram, &text);
  return text;
}

bool Classification::contains(std::string_view wanted) const {
  return std::find(labels.begin(), labels.end(), wanted) != labels.end();
}

bool isLabel(std::string_view label) {
  for (std::string_view fixed : {"ccs", "alert", "appdata", "heartbeat", "handshake:finished",
                                 "handshake:encrypted", "handshake:empty", "malformed", "empty"})
    if (label == fixed) return true;
  const auto in = [label](const Labels& all) {
    return std::find(all.begin(), all.end(), label) != all.end();
  };
  return in(handshakeLabels()) || in(unknownLabels());
}

void appendRecordLabels(const Record& record, std::vector<std::string_view>* labels) {
  if (record.content_type == kHandshake && !record.encrypted() &&
      record.handshake_messages.size() > 1) {
    for (const HandshakeMessage& message : record.handshake_messages)
      labels->push_back(handshakeLabels()[message.msg_type]);
  } else {
    labels->push_back(recordClass(record));
  }
}

void classify(const DecodedDatagram& datagram, Classification* into) {
  Classification& result = *into;
  result.labels.clear();
  result.labels.reserve(datagram.records.size());
  for (const Record& record : datagram.records) appendRecordLabels(record, &result.labels);
  if (!datagram.records.empty()) {
    result.label = recordClass(datagram.records.front());
    result.epoch = datagram.records.front().epoch;
  } else {
    // Zero records: either nothing to decode or the first header was bad.
    result.label =
        datagram.problem.kind == DecodeProblem::Kind::kEmptyDatagram ? "empty" : "malformed";
    result.epoch = 0;
  }
}

Classification classify(const DecodedDatagram& datagram) {
  Classification result;
  classify(datagram, &result);
  return result;
}

Classification classify(std::string_view datagram) {
  // Fault rules classify every datagram a world sends: decoding reuses one buffer per thread.
  thread_local DecodedDatagram scratch;
  decodeDatagram(datagram, &scratch);
  return classify(scratch);
}

}  // namespace dtls::wire
