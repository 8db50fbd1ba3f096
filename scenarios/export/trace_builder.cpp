#include "scenarios/trace_builder.h"

#include <cassert>
#include <cstdio>

#include "dtls/wire/describe.h"
#include "dtls/wire/record.h"

namespace scenarios {

TraceBuilder::TraceBuilder(dtlsim::Trace* trace) : trace_(trace) { assert(trace_ != nullptr); }

dtlsim::TraceEvent& TraceBuilder::add(dtlsim::TraceEvent::Kind kind, std::uint64_t time_us) {
  dtlsim::TraceEvent* e = trace_->add_events();
  e->set_time_us(time_us);
  e->set_kind(kind);
  return *e;
}

void TraceBuilder::decodeInto(std::string_view bytes, dtlsim::TraceEvent* event,
                              bool with_label) {
  // Every datagram of a run is decoded for its event: one buffer per thread serves them all.
  thread_local dtls::wire::DecodedDatagram decoded;
  dtls::wire::decodeDatagram(bytes, &decoded);
  event->clear_records();
  for (const dtls::wire::Record& r : decoded.records) {
    dtlsim::Record* out = event->add_records();
    out->set_content_type(r.content_type);
    out->set_version(r.version);
    out->set_epoch(r.epoch);
    out->set_sequence_number(r.sequence_number);
    out->set_length(static_cast<std::uint32_t>(r.length()));
    out->set_offset(static_cast<std::uint32_t>(r.offset));
    for (const dtls::wire::HandshakeMessage& m : r.handshake_messages) {
      dtlsim::HandshakeFragment* f = out->add_handshake();
      f->set_msg_type(m.msg_type);
      f->set_length(m.length);
      f->set_message_seq(m.message_seq);
      f->set_fragment_offset(m.fragment_offset);
      f->set_fragment_length(m.fragment_length);
      f->set_offset(static_cast<std::uint32_t>(m.offset));
    }
  }
  if (with_label) dtls::wire::describe(decoded, event->mutable_label());
}

dtlsim::TraceEvent& TraceBuilder::send(std::uint64_t time_us, const std::string& endpoint,
                                       std::uint64_t datagram_id, const std::string& source,
                                       const std::string& destination, std::string_view bytes) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::SEND, time_us);
  e.set_endpoint(endpoint);
  e.set_datagram_id(datagram_id);
  e.set_source(source);
  e.set_destination(destination);
  e.set_size_bytes(static_cast<std::uint32_t>(bytes.size()));
  e.set_data(bytes.data(), bytes.size());
  decodeInto(bytes, &e);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::deliver(std::uint64_t time_us, const std::string& endpoint,
                                          std::uint64_t datagram_id, std::uint32_t copy,
                                          const std::string& source,
                                          const std::string& destination,
                                          std::string_view bytes) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::DELIVER, time_us);
  e.set_endpoint(endpoint);
  e.set_datagram_id(datagram_id);
  e.set_copy(copy);
  e.set_source(source);
  e.set_destination(destination);
  e.set_size_bytes(static_cast<std::uint32_t>(bytes.size()));
  e.set_data(bytes.data(), bytes.size());
  decodeInto(bytes, &e);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::drop(std::uint64_t time_us, std::uint64_t datagram_id,
                                       std::uint32_t copy, const std::string& reason,
                                       std::uint32_t size_bytes) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::DROP, time_us);
  e.set_datagram_id(datagram_id);
  e.set_copy(copy);
  e.set_drop_reason(reason);
  e.set_size_bytes(size_bytes);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::duplicate(std::uint64_t time_us, std::uint64_t datagram_id,
                                            std::uint32_t extra_copies) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::DUPLICATE, time_us);
  e.set_datagram_id(datagram_id);
  e.set_value(extra_copies);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::corrupt(std::uint64_t time_us, std::uint64_t datagram_id,
                                          std::uint32_t copy,
                                          const std::vector<std::uint32_t>& flipped_bits) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::CORRUPT, time_us);
  e.set_datagram_id(datagram_id);
  e.set_copy(copy);
  e.set_value(static_cast<std::int64_t>(flipped_bits.size()));
  for (std::uint32_t bit : flipped_bits) e.add_flipped_bits(bit);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::truncate(std::uint64_t time_us, std::uint64_t datagram_id,
                                           std::uint32_t copy, std::uint32_t new_size_bytes) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::TRUNCATE, time_us);
  e.set_datagram_id(datagram_id);
  e.set_copy(copy);
  e.set_value(new_size_bytes);
  e.set_size_bytes(new_size_bytes);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::delay(std::uint64_t time_us, std::uint64_t datagram_id,
                                        std::uint32_t copy, std::int64_t delay_us) {
  dtlsim::TraceEvent& e = add(dtlsim::TraceEvent::DELAY, time_us);
  e.set_datagram_id(datagram_id);
  e.set_copy(copy);
  e.set_value(delay_us);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::endpointEvent(dtlsim::TraceEvent::Kind kind,
                                                std::uint64_t time_us,
                                                const std::string& endpoint,
                                                const std::string& detail) {
  dtlsim::TraceEvent& e = add(kind, time_us);
  e.set_endpoint(endpoint);
  e.set_detail(detail);
  return e;
}

dtlsim::TraceEvent& TraceBuilder::state(std::uint64_t time_us, const std::string& endpoint,
                                        const std::string& new_state) {
  return endpointEvent(dtlsim::TraceEvent::STATE, time_us, endpoint, new_state);
}

dtlsim::TraceEvent& TraceBuilder::timerExpired(std::uint64_t time_us,
                                               const std::string& endpoint) {
  return endpointEvent(dtlsim::TraceEvent::TIMER_EXPIRED, time_us, endpoint, {});
}

dtlsim::TraceEvent& TraceBuilder::retransmit(std::uint64_t time_us, const std::string& endpoint,
                                             const std::string& detail) {
  return endpointEvent(dtlsim::TraceEvent::RETRANSMIT, time_us, endpoint, detail);
}

dtlsim::TraceEvent& TraceBuilder::appSend(std::uint64_t time_us, const std::string& endpoint,
                                          std::string_view payload) {
  dtlsim::TraceEvent& e =
      endpointEvent(dtlsim::TraceEvent::APP_SEND, time_us, endpoint, summarizePayload(payload));
  e.set_size_bytes(static_cast<std::uint32_t>(payload.size()));
  return e;
}

dtlsim::TraceEvent& TraceBuilder::appReceive(std::uint64_t time_us, const std::string& endpoint,
                                             std::string_view payload) {
  dtlsim::TraceEvent& e = endpointEvent(dtlsim::TraceEvent::APP_RECEIVE, time_us, endpoint,
                                        summarizePayload(payload));
  e.set_size_bytes(static_cast<std::uint32_t>(payload.size()));
  return e;
}

dtlsim::TraceEvent& TraceBuilder::error(std::uint64_t time_us, const std::string& endpoint,
                                        const std::string& detail) {
  return endpointEvent(dtlsim::TraceEvent::ERROR, time_us, endpoint, detail);
}

void TraceBuilder::keylog(const std::string& line) { trace_->add_keylog_lines(line); }

std::string TraceBuilder::summarizePayload(std::string_view payload) {
  constexpr std::size_t kMaxTextBytes = 32;
  constexpr std::size_t kHexBytes = 8;
  std::string out = std::to_string(payload.size()) + " B";
  bool printable = !payload.empty() && payload.size() <= kMaxTextBytes;
  for (char c : payload) printable = printable && c >= 0x20 && c < 0x7f && c != '"';
  if (printable) return out + " \"" + std::string(payload) + "\"";
  if (payload.empty()) return out;
  out += ' ';
  char hex[3];
  for (std::size_t i = 0; i < payload.size() && i < kHexBytes; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(payload[i]));
    out += hex;
  }
  if (payload.size() > kHexBytes) out += "...";
  return out;
}

std::string TraceBuilder::formatAddress(const std::string& address, std::uint16_t port) {
  if (address.find(':') != std::string::npos)
    return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

}  // namespace scenarios
