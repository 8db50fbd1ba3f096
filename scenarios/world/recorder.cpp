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
  dtlsim::TraceEvent* e = &scratch_;
  if (recording_) {
    e = trace_->add_events();
  } else {
    scratch_.Clear();
  }
  e->set_time_us(static_cast<std::uint64_t>(net_.now_us()));
  e->set_kind(kind);
  return e;
}

const Recorder::Labels& Recorder::labelsOf(const simnet::Endpoint& e) {
  auto it = labels_.find(e);
  if (it == labels_.end()) {
    std::string text = e.toString();
    it = labels_.emplace(e, Labels{text, text}).first;
  }
  return it->second;
}

void Recorder::nameEndpoint(const simnet::Endpoint& address_port, const std::string& name) {
  labels_[address_port] = Labels{address_port.toString(), name};
}

void Recorder::noteDamage(const simnet::NetEvent& e) {
  const std::pair<std::uint64_t, std::uint32_t> key{e.datagram_id, e.copy};
  switch (e.kind) {
    case simnet::EventKind::kCorrupt:
    case simnet::EventKind::kTruncate:
      damaged_in_flight_.insert(key);
      break;
    case simnet::EventKind::kDeliver:
      if (damaged_in_flight_.erase(key) != 0)
        first_damage_.try_emplace(labelsOf(e.destination).name, e.time_us);
      break;
    case simnet::EventKind::kDrop:
      damaged_in_flight_.erase(key);
      break;
    default:
      break;
  }
}

void Recorder::onEvent(const simnet::NetEvent& e) {
  noteDamage(e);
  if (!active()) return;
  dtlsim::TraceEvent* out = append(kindOf(e.kind));
  out->set_time_us(static_cast<std::uint64_t>(e.time_us));
  const Labels& source = labelsOf(e.source);
  const Labels& destination = labelsOf(e.destination);
  out->set_endpoint(e.kind == simnet::EventKind::kDeliver ? destination.name : source.name);
  out->set_datagram_id(e.datagram_id);
  out->set_copy(e.copy);
  out->set_source(source.text);
  out->set_destination(destination.text);
  out->set_size_bytes(e.size_bytes);
  out->set_value(e.value);
  if (e.kind == simnet::EventKind::kDrop) out->set_drop_reason(std::string(simnet::toString(e.reason)));
  for (std::uint32_t bit : e.flipped_bits) out->add_flipped_bits(bit);
  if (e.kind == simnet::EventKind::kSend && has_pending_send_) {
    out->set_data(pending_send_.data(), pending_send_.size());
    TraceBuilder::decodeInto(pending_send_, out, recording_);
    has_pending_send_ = false;
    if (recording_) {
      if (send_index_.size() <= e.datagram_id) send_index_.resize(e.datagram_id + 1, -1);
      send_index_[e.datagram_id] = trace_->events_size() - 1;
    }
  }
  if (e.kind != simnet::EventKind::kDeliver) {
    check(*out);
  } else if (recording_) {
    deliver_index_[{e.datagram_id, e.copy}] = trace_->events_size() - 1;
  } else {
    pending_delivers_[{e.datagram_id, e.copy}] = *out;
  }
}

void Recorder::delivered(std::uint64_t datagram_id, std::uint32_t copy,
                         const dtls::ByteArray& bytes) {
  if (!recording_) {
    auto it = pending_delivers_.find({datagram_id, copy});
    if (it == pending_delivers_.end()) return;
    TraceBuilder::decodeInto(bytes, &it->second, false);
    check(it->second);
    pending_delivers_.erase(it);
    return;
  }
  auto it = deliver_index_.find({datagram_id, copy});
  if (it == deliver_index_.end()) return;
  dtlsim::TraceEvent* e = trace_->mutable_events(it->second);
  e->set_data(bytes);
  // Most copies arrive as they were sent: their SEND event already holds the decoding, so
  // each datagram is decoded once. A damaged or cut copy is decoded for itself.
  const int sent = datagram_id < send_index_.size() ? send_index_[datagram_id] : -1;
  if (sent >= 0 && trace_->events(sent).data() == bytes) {
    const dtlsim::TraceEvent& send = trace_->events(sent);
    *e->mutable_records() = send.records();
    e->set_label(send.label());
  } else {
    TraceBuilder::decodeInto(bytes, e);
  }
  check(*e);
  deliver_index_.erase(it);
}

void Recorder::endpointEvent(const std::string& endpoint, dtlsim::TraceEvent::Kind kind,
                             const std::string& detail) {
  if (!active()) return;
  dtlsim::TraceEvent* e = append(kind);
  e->set_endpoint(endpoint);
  e->set_detail(detail);
  check(*e);
}

void Recorder::keylog(const std::string& line) {
  if (!recording_) return;
  if (keylog_seen_.insert(line).second) trace_->add_keylog_lines(line);
}

}  // namespace scenarios::detail
