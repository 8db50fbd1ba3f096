#include "dtls/wire/describe.h"

#include <algorithm>

#include "dtls/wire/names.h"

namespace dtls::wire {
namespace {

constexpr std::uint8_t kHandshake = static_cast<std::uint8_t>(ContentType::Handshake);

std::string encryptedHandshakeTitle(std::uint16_t epoch) {
  return (epoch == 1 ? "Finished (epoch " : "EncryptedHandshake (epoch ") +
         std::to_string(epoch) + ")";
}

std::string handshakeRecordLabel(const Record& record) {
  if (record.encrypted()) return encryptedHandshakeTitle(record.epoch);
  std::string text;
  for (const HandshakeMessage& message : record.handshake_messages) {
    if (!text.empty()) text += " + ";
    text += describe(message);
  }
  // The record's body stops short of its length only when a fragment did not decode.
  std::size_t decoded = 0;
  for (const HandshakeMessage& message : record.handshake_messages) {
    decoded += kHandshakeHeaderBytes + message.body.size();
  }
  if (decoded != record.fragment.size()) text += text.empty() ? "[malformed]" : " [malformed]";
  return text.empty() ? "Handshake (empty)" : text;
}

std::string alertLabel(const Record& record) {
  if (record.encrypted()) return "Alert (encrypted, epoch " + std::to_string(record.epoch) + ")";
  if (!record.alert) return "Alert [malformed, " + std::to_string(record.length()) + " B]";
  return "Alert " + alertLevelName(record.alert->level) + " " +
         alertDescriptionName(record.alert->description);
}

std::string recordClass(const Record& record) {
  switch (record.content_type) {
    case static_cast<std::uint8_t>(ContentType::ChangeCipherSpec): return "ccs";
    case static_cast<std::uint8_t>(ContentType::Alert): return "alert";
    case static_cast<std::uint8_t>(ContentType::ApplicationData): return "appdata";
    case static_cast<std::uint8_t>(ContentType::Heartbeat): return "heartbeat";
    case kHandshake:
      if (record.epoch == 1) return "handshake:finished";
      if (record.encrypted()) return "handshake:encrypted";
      if (record.handshake_messages.empty()) return "handshake:empty";
      return "handshake:" + handshakeTypeName(record.handshake_messages.front().msg_type);
    default: return "unknown:" + std::to_string(record.content_type);
  }
}

}  // namespace

std::string describe(const HandshakeMessage& message) {
  std::string text = handshakeTypeTitle(message.msg_type) + " (msg " +
                     std::to_string(message.message_seq) + ", frag " +
                     std::to_string(message.fragment_offset) + "-" +
                     std::to_string(std::uint64_t{message.fragment_offset} +
                                    message.fragment_length);
  if (message.isFragmented()) text += " of " + std::to_string(message.length);
  return text + ")";
}

std::string describe(const Record& record) {
  const std::string length = std::to_string(record.length()) + " B";
  switch (record.content_type) {
    case static_cast<std::uint8_t>(ContentType::ChangeCipherSpec):
      return record.encrypted() ? "ChangeCipherSpec (epoch " + std::to_string(record.epoch) + ")"
                                : "ChangeCipherSpec";
    case static_cast<std::uint8_t>(ContentType::Alert): return alertLabel(record);
    case kHandshake: return handshakeRecordLabel(record);
    case static_cast<std::uint8_t>(ContentType::ApplicationData): return "AppData " + length;
    case static_cast<std::uint8_t>(ContentType::Heartbeat): return "Heartbeat " + length;
    default: return "Record " + contentTypeName(record.content_type) + " " + length;
  }
}

std::string describe(const DecodedDatagram& datagram) {
  std::string text;
  for (const Record& record : datagram.records) {
    if (!text.empty()) text += ", ";
    text += describe(record);
  }
  if (!datagram.ok()) text += (text.empty() ? "[error: " : " [error: ") + datagram.error + "]";
  return text;
}

bool Classification::contains(std::string_view wanted) const {
  return std::find(labels.begin(), labels.end(), wanted) != labels.end();
}

Classification classify(const DecodedDatagram& datagram) {
  Classification result;
  for (const Record& record : datagram.records) {
    if (record.content_type == kHandshake && !record.encrypted() &&
        record.handshake_messages.size() > 1) {
      for (const HandshakeMessage& message : record.handshake_messages) {
        result.labels.push_back("handshake:" + handshakeTypeName(message.msg_type));
      }
    } else {
      result.labels.push_back(recordClass(record));
    }
  }
  if (!datagram.records.empty()) {
    result.label = recordClass(datagram.records.front());
    result.epoch = datagram.records.front().epoch;
  } else {
    // Zero records: either nothing to decode or the first header was bad.
    result.label = datagram.error == kEmptyDatagramError ? "empty" : "malformed";
  }
  return result;
}

Classification classify(std::string_view datagram) { return classify(decodeDatagram(datagram)); }

}  // namespace dtls::wire
