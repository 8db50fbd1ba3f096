#include "endpoint.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "dtls/ssl.h"
#include "dtls/wire/describe.h"
#include "dtls/wire/record.h"

namespace scenarios::detail {

namespace {

const char* stateName(dtls::Connection::HandshakeState s) {
  switch (s) {
    case dtls::Connection::HandshakeNotStarted: return "HandshakeNotStarted";
    case dtls::Connection::HandshakeInProgress: return "HandshakeInProgress";
    case dtls::Connection::PeerVerificationFailed: return "PeerVerificationFailed";
    case dtls::Connection::HandshakeComplete: return "HandshakeComplete";
  }
  return "?";
}

}  // namespace

std::vector<std::pair<std::string, std::uint16_t>> datagramLabels(std::string_view bytes) {
  std::vector<std::pair<std::string, std::uint16_t>> out;
  const dtls::wire::DecodedDatagram d = dtls::wire::decodeDatagram(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (d.records.empty()) {
    out.emplace_back(dtls::wire::classify(d).label, 0);  // "malformed", "empty"
    return out;
  }
  std::vector<std::string_view> labels;
  for (const auto& record : d.records) {
    labels.clear();
    dtls::wire::appendRecordLabels(record, &labels);
    for (std::string_view label : labels) out.emplace_back(label, record.epoch);
  }
  return out;
}

Endpoint::Endpoint(WorldContext& ctx, const dtlsim::Endpoint& spec, dtls::Configuration config)
    : ctx_(ctx),
      spec_(spec),
      index_(ctx.endpoints_created++),
      timers_(ctx.net, timerOwner(index_, TimerKind::kDtls),
              static_cast<simnet::DurationUs>(spec.broken_timer_below_ms()) * 1000),
      config_(std::move(config)) {}

std::string transportName(const dtls::HostAddress& address, std::uint16_t port) {
  return address.toString() + ":" + std::to_string(port);
}

std::string Endpoint::transport() const {
  const simnet::Endpoint l = local();
  return transportName(toHostAddress(l.address), l.port);
}

void Endpoint::noteSent(const dtls::ByteArray& payload, const std::string& to) {
  ledger_.sent.push_back(payload);
  if (ctx_.net.now_us() >= ctx_.faults_stop_us) late_sends_.push_back({payload, to});
}

void Endpoint::noteReceived(const dtls::ByteArray& payload) {
  ledger_.received.push_back(payload);
  if (ctx_.net.now_us() >= ctx_.faults_stop_us) late_received_.push_back(payload);
}

bool Endpoint::bind(std::string* error) {
  const auto address = simnet::Address::parse(spec_.address());
  if (!address) {
    *error = "endpoint " + name() + ": bad address '" + spec_.address() + "'";
    return false;
  }
  auto id = ctx_.net.bind(*address, static_cast<std::uint16_t>(spec_.port()));
  if (!id.ok()) {
    *error = "endpoint " + name() + ": " + id.message();
    return false;
  }
  socket_ = std::make_unique<SimSocket>(
      ctx_.net, id.value(),
      [this](std::string_view b, const dtls::HostAddress& to, std::uint16_t port) {
        ctx_.recorder.willSend(b);
        if (!capture_wanted_.empty() && !replaying_) captureSent(b, to, port);
      });
  socket_->setOneRecordPerDatagram(spec_.one_record_per_datagram());
  ctx_.net.setReceiveCallback(id.value(), [this](simnet::SocketId) { onReadable(); });
  ctx_.recorder.nameEndpoint(local(), name());
  return true;
}

void Endpoint::onReadable() {
  while (ctx_.net.receive(socket_->id(), scratch_)) {
    const dtls::ByteArray bytes(scratch_.bytes.begin(), scratch_.bytes.end());
    ctx_.recorder.delivered(scratch_.datagram_id, scratch_.copy, bytes);
    onDatagram(scratch_);
  }
}

void Endpoint::note(dtlsim::TraceEvent::Kind kind, const std::string& detail) {
  ctx_.recorder.endpointEvent(name(), kind, detail);
}

void Endpoint::observe(dtls::Connection& c, Watch& w, const std::string& who) {
  const auto state = c.handshakeState();
  if (state != w.state) {
    note(dtlsim::TraceEvent::STATE, who + stateName(state));
    if (state == dtls::Connection::HandshakeComplete && !w.done_us)
      w.done_us = ctx_.net.now_us();
    w.state = state;
    if (state == dtls::Connection::HandshakeComplete && !first_handshake_seen_) {
      first_handshake_seen_ = true;
      for (auto& callback : first_handshake_callbacks_) callback();
    }
  }
  if (c.dtlsError() != dtls::DtlsError::NoError) {
    w.last_error = dtls::toString(c.dtlsError());
    w.last_error_string = c.dtlsErrorString();
    note(dtlsim::TraceEvent::ERROR, who + w.last_error + ": " + w.last_error_string);
  }
}

void Endpoint::captureForReplay(const std::string& label, std::uint32_t occurrence) {
  std::uint32_t& wanted = capture_wanted_[label];
  wanted = std::max(wanted, occurrence);
}

void Endpoint::captureSent(std::string_view bytes, const dtls::HostAddress& address,
                           std::uint16_t port) {
  std::set<std::string> labels;  // a datagram counts once per label
  for (auto& [label, epoch] : datagramLabels(bytes)) labels.insert(label);
  for (const auto& label : labels) {
    const auto wanted = capture_wanted_.find(label);
    if (wanted == capture_wanted_.end()) continue;
    auto& kept = captured_[label];
    if (kept.size() < wanted->second) kept.push_back(Captured{dtls::ByteArray(bytes), address, port});
  }
}

void Endpoint::replay(const std::string& label, std::uint32_t occurrence) {
  const auto it = captured_.find(label);
  if (it == captured_.end() || it->second.size() < occurrence) {
    note(dtlsim::TraceEvent::NOTE, "replay skipped: no " + label + " datagram #" +
                                       std::to_string(occurrence) + " sent yet");
    return;
  }
  const Captured& c = it->second[occurrence - 1];
  note(dtlsim::TraceEvent::NOTE, "replay of " + label + " datagram #" + std::to_string(occurrence) +
                                     " (" + std::to_string(c.bytes.size()) + " B)");
  replaying_ = true;
  socket_->writeDatagram(c.bytes, c.address, c.port);
  replaying_ = false;
}

// Callbacks an application installs: retransmit on timeout, PSK, key log.
void Endpoint::wireConnection(dtls::Connection& c, Watch& w, const std::string& who) {
  c.setKeyLogCallback([this](const std::string& line) {
    ctx_.recorder.keylog(line);
    // "CLIENT_RANDOM <random> <master secret>"; a renegotiation-free DTLS 1.2 connection logs
    // one such line, and a client random is never reused.
    constexpr std::string_view kLabel = "CLIENT_RANDOM ";
    if (line.rfind(kLabel, 0) != 0) return;
    const std::size_t space = line.find(' ', kLabel.size());
    if (space == std::string::npos) return;
    secrets_[line.substr(kLabel.size(), space - kLabel.size())] =
        Secret{line.substr(space + 1), ctx_.net.now_us()};
  });
  if (spec_.dtls().has_psk()) {
    const dtlsim::Psk psk = spec_.dtls().psk();
    c.setPskRequiredCallback([psk](dtls::PreSharedKeyAuthenticator* auth) {
      if (!psk.identity().empty()) auth->setIdentity(psk.identity());
      dtls::ByteArray key;
      for (size_t i = 0; i + 1 < psk.key_hex().size(); i += 2)
        key.push_back(static_cast<char>(std::stoi(psk.key_hex().substr(i, 2), nullptr, 16)));
      auth->setPreSharedKey(key);
    });
  }
  c.setHandshakeTimeoutCallback([this, &c, &w, who] {
    note(dtlsim::TraceEvent::TIMER_EXPIRED, who + "handshake timer expired");
    if (spec_.ignore_timeouts()) return;
    if (c.handleTimeout(socket_.get()))
      note(dtlsim::TraceEvent::RETRANSMIT,
           who + "retransmission " + std::to_string(c.retransmissionCount()));
    observe(c, w, who);
  });
}

void Endpoint::fillFromConnection(const dtls::Connection& c, const Watch& w,
                                  dtlsim::EndpointOutcome* out) {
  out->set_final_state(stateName(c.handshakeState()));
  out->set_last_error(w.last_error);
  out->set_last_error_string(w.last_error_string);
  if (w.done_us) out->set_handshake_done_us(static_cast<std::uint64_t>(*w.done_us));
  const dtls::Configuration config = c.dtlsConfiguration();
  if (!config.sessionCipher().isNull()) out->set_cipher(config.sessionCipher().name());
  if (config.sessionProtocol() != dtls::SslProtocol::UnknownProtocol)
    out->set_protocol(dtls::toString(config.sessionProtocol()));
  out->set_alpn(config.nextNegotiatedProtocol());
  for (const auto& e : c.peerVerificationErrors())
    out->add_verification_errors(dtls::SslError::toString(e.error()));
}

}  // namespace scenarios::detail
