#include "recorder.h"

#include "scenarios/trace_builder.h"

namespace scenarios::detail {

namespace {

dtlsim::TraceEvent::Kind kindOf(simnet::EventKind k) {
  switch (k) {
    case simnet::EventKind::kSend: return dtlsim::TraceEvent::SEND;
    case simnet::EventKind::kDeliver: return dtlsim::TraceEvent::DELIVER;
    case simnet::EventKind::kDrop: return dtlsim::TraceEvent::DROP;
    case simnet::EventKind::kDuplicate: return dtlsim::TraceEvent::DUPLICATE;
    case simnet::EventKind::kCorrupt: return dtlsim::TraceEvent::CORRUPT;
    case simnet::EventKind::kTruncate: return dtlsim::TraceEvent::TRUNCATE;
    case simnet::EventKind::kDelay: return dtlsim::TraceEvent::DELAY;
  }
  return dtlsim::TraceEvent::UNKNOWN;
}

}  // namespace

dtlsim::TraceEvent* Recorder::append(dtlsim::TraceEvent::Kind kind) {
  dtlsim::TraceEvent* e = trace_->add_events();
  e->set_time_us(static_cast<std::uint64_t>(net_.now_us()));
  e->set_kind(kind);
  return e;
}

std::string Recorder::nameOf(const simnet::Endpoint& e) const {
  auto it = names_.find(e.toString());
  return it == names_.end() ? e.toString() : it->second;
}

void Recorder::nameEndpoint(const std::string& address_port, const std::string& name) {
  names_[address_port] = name;
}

void Recorder::onEvent(const simnet::NetEvent& e) {
  dtlsim::TraceEvent* out = append(kindOf(e.kind));
  out->set_time_us(static_cast<std::uint64_t>(e.time_us));
  out->set_endpoint(nameOf(e.kind == simnet::EventKind::kDeliver ? e.destination : e.source));
  out->set_datagram_id(e.datagram_id);
  out->set_copy(e.copy);
  out->set_source(e.source.toString());
  out->set_destination(e.destination.toString());
  out->set_size_bytes(e.size_bytes);
  out->set_value(e.value);
  if (e.kind == simnet::EventKind::kDrop) out->set_drop_reason(std::string(simnet::toString(e.reason)));
  for (std::uint32_t bit : e.flipped_bits) out->add_flipped_bits(bit);
  if (e.kind == simnet::EventKind::kSend && pending_send_ != nullptr) {
    out->set_data(*pending_send_);
    TraceBuilder::decodeInto(*pending_send_, out);
    pending_send_ = nullptr;
  }
  if (e.kind == simnet::EventKind::kDeliver)
    deliver_index_[{e.datagram_id, e.copy}] = trace_->events_size() - 1;
}

void Recorder::delivered(std::uint64_t datagram_id, std::uint32_t copy,
                         const dtls::ByteArray& bytes) {
  auto it = deliver_index_.find({datagram_id, copy});
  if (it == deliver_index_.end()) return;
  dtlsim::TraceEvent* e = trace_->mutable_events(it->second);
  e->set_data(bytes);
  TraceBuilder::decodeInto(bytes, e);
  deliver_index_.erase(it);
}

void Recorder::endpointEvent(const std::string& endpoint, dtlsim::TraceEvent::Kind kind,
                             const std::string& detail) {
  dtlsim::TraceEvent* e = append(kind);
  e->set_endpoint(endpoint);
  e->set_detail(detail);
}

void Recorder::keylog(const std::string& line) {
  if (keylog_seen_.insert(line).second) trace_->add_keylog_lines(line);
}

}  // namespace scenarios::detail
