#include "model/datagram_fields.h"

#include <cstdio>

#include "dtls/wire/names.h"
#include "dtls/wire/record.h"

namespace viz {
namespace {

using dtls::wire::kHandshakeHeaderBytes;
using dtls::wire::kRecordHeaderBytes;

std::string hex16(unsigned value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", value & 0xffffu);
  return buf;
}

Field leaf(std::string name, std::string value, std::size_t offset, std::size_t length) {
  return {std::move(name), std::move(value), offset, length, {}};
}

// The 12-byte handshake header fields (RFC 6347 §4.2.2) and the body.
Field handshakeField(const dtls::wire::HandshakeMessage& m) {
  const std::size_t o = m.offset;
  Field f{std::string(dtls::wire::handshakeTypeTitle(m.msg_type)),
          "length " + std::to_string(m.length) + ", message_seq " +
              std::to_string(m.message_seq) + ", fragment " +
              std::to_string(m.fragment_offset) + "+" + std::to_string(m.fragment_length),
          o, kHandshakeHeaderBytes + m.body.size(), {}};
  f.children = {
      leaf("msg_type", std::string(dtls::wire::handshakeTypeName(m.msg_type)) + " (" +
                           std::to_string(m.msg_type) + ")", o, 1),
      leaf("length", std::to_string(m.length), o + 1, 3),
      leaf("message_seq", std::to_string(m.message_seq), o + 4, 2),
      leaf("fragment_offset", std::to_string(m.fragment_offset), o + 6, 3),
      leaf("fragment_length", std::to_string(m.fragment_length), o + 9, 3),
      leaf("body", std::to_string(m.body.size()) + " B", o + kHandshakeHeaderBytes, m.body.size()),
  };
  return f;
}

Field recordField(const dtls::wire::Record& r, std::size_t number) {
  const std::size_t o = r.offset;
  Field f{"Record " + std::to_string(number) + ": " + std::string(dtls::wire::contentTypeName(r.content_type)),
          dtls::wire::versionName(r.version) + ", epoch " + std::to_string(r.epoch) + ", seq " +
              std::to_string(r.sequence_number) + ", " + std::to_string(r.length()) + " B",
          o, kRecordHeaderBytes + r.length(), {}};
  f.children = {
      leaf("content type", std::string(dtls::wire::contentTypeName(r.content_type)) + " (" +
                               std::to_string(r.content_type) + ")", o, 1),
      leaf("version", dtls::wire::versionName(r.version) + " (" + hex16(r.version) + ")", o + 1, 2),
      leaf("epoch", std::to_string(r.epoch), o + 3, 2),
      leaf("sequence", std::to_string(r.sequence_number), o + 5, 6),
      leaf("length", std::to_string(r.length()), o + 11, 2),
  };
  const std::size_t body = o + kRecordHeaderBytes;
  if (r.encrypted()) {
    f.children.push_back(leaf("ciphertext", std::to_string(r.length()) + " B (epoch " +
                                                std::to_string(r.epoch) + ")", body, r.length()));
  } else if (r.alert) {
    f.children.push_back(leaf("alert level", std::string(dtls::wire::alertLevelName(r.alert->level)), body, 1));
    f.children.push_back(leaf("alert description",
                              std::string(dtls::wire::alertDescriptionName(r.alert->description)), body + 1, 1));
  } else if (!r.handshake_messages.empty()) {
    for (const auto& m : r.handshake_messages) f.children.push_back(handshakeField(m));
  } else if (r.length() > 0) {
    f.children.push_back(leaf("fragment", std::to_string(r.length()) + " B", body, r.length()));
  }
  return f;
}

}  // namespace

std::vector<Field> datagramFields(std::string_view bytes) {
  std::vector<Field> out;
  const dtls::wire::DecodedDatagram d = dtls::wire::decodeDatagram(bytes);
  std::size_t end = 0;
  for (std::size_t i = 0; i < d.records.size(); ++i) {
    out.push_back(recordField(d.records[i], i + 1));
    end = d.records[i].offset + kRecordHeaderBytes + d.records[i].length();
  }
  if (!d.ok())
    out.push_back(leaf("decode error", d.error(), end, bytes.size() > end ? bytes.size() - end : 0));
  return out;
}

}  // namespace viz
