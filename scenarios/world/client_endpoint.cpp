#include <algorithm>

#include "endpoint.h"

namespace scenarios::detail {

ClientEndpoint::ClientEndpoint(WorldContext& ctx, const dtlsim::Endpoint& spec,
                               dtls::Configuration config, dtls::HostAddress server_address,
                               std::uint16_t server_port)
    : Endpoint(ctx, spec, std::move(config)),
      server_address_(std::move(server_address)),
      server_port_(server_port) {}

void ClientEndpoint::makeConnection() {
  conn_ = std::make_unique<dtls::Connection>(dtls::SslMode::SslClientMode, &timers_,
                                             spec_.dtls().backend());
  watch_ = Watch{};
  conn_->setDtlsConfiguration(config_);
  if (spec_.dtls().mtu_hint_bytes() != 0)
    conn_->setMtuHint(static_cast<std::uint16_t>(spec_.dtls().mtu_hint_bytes()));
  conn_->setPeer(server_address_, server_port_, spec_.dtls().verify_name());
  wireConnection(*conn_, watch_, "");
}

void ClientEndpoint::start() {
  if (!conn_) makeConnection();
  note(dtlsim::TraceEvent::ACTION, "start handshake");
  conn_->doHandshake(socket_.get());
  observe(*conn_, watch_, "");
}

void ClientEndpoint::onDatagram(const simnet::Datagram& d) {
  if (!conn_) return;
  const dtls::ByteArray bytes(d.bytes.begin(), d.bytes.end());
  if (conn_->isConnectionEncrypted()) {
    receive(conn_->decryptDatagram(socket_.get(), bytes));
    observe(*conn_, watch_, "");
  } else if (conn_->handshakeState() == dtls::Connection::HandshakeInProgress) {
    conn_->doHandshake(socket_.get(), bytes);
    observe(*conn_, watch_, "");
    // Observed once per Connection call: observing twice after one call recorded its error
    // twice in the trace.
    if (conn_->handshakeState() == dtls::Connection::PeerVerificationFailed) {
      decideOnErrors();
      observe(*conn_, watch_, "");
    }
    // Data the server sent right after its Finished may have arrived first.
    for (const auto& plain : conn_->takePendingDatagrams()) receive(plain);
  }
}

void ClientEndpoint::receive(const dtls::ByteArray& plain) {
  if (plain.empty()) return;
  noteReceived(plain);
  note(dtlsim::TraceEvent::APP_RECEIVE, std::to_string(plain.size()) + " B");
}

// What an application does after PeerVerificationFailed: resume if it accepts every error
// (the scenario's ignore_errors), abort otherwise.
void ClientEndpoint::decideOnErrors() {
  const auto errors = conn_->peerVerificationErrors();
  const auto& accepted = spec_.dtls().ignore_errors();
  bool all_accepted = true;
  for (const auto& e : errors) {
    const std::string name = dtls::SslError::toString(e.error());
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) all_accepted = false;
  }
  if (all_accepted) {
    note(dtlsim::TraceEvent::ACTION, "ignore verification errors and resume");
    conn_->ignoreVerificationErrors(errors);
    conn_->resumeHandshake(socket_.get());
  } else {
    note(dtlsim::TraceEvent::ACTION, "abort after verification errors");
    conn_->abortHandshake(socket_.get());
  }
}

void ClientEndpoint::send(const dtls::ByteArray& payload) {
  if (!conn_ || !conn_->isConnectionEncrypted()) {
    note(dtlsim::TraceEvent::NOTE, "send skipped: not encrypted");
    return;
  }
  if (conn_->writeDatagramEncrypted(socket_.get(), payload) > 0) {
    noteSent(payload, transportName(server_address_, server_port_));
    note(dtlsim::TraceEvent::APP_SEND, std::to_string(payload.size()) + " B");
  }
  observe(*conn_, watch_, "");
}

void ClientEndpoint::collectStalls(std::vector<Stall>* out) const {
  if (conn_ && conn_->handshakeState() == dtls::Connection::HandshakeInProgress)
    out->push_back({name(), transportName(server_address_, server_port_)});
}

std::optional<dtls::Connection::HandshakeState> ClientEndpoint::handshakeStateWith(
    const std::string&) const {
  if (!conn_) return std::nullopt;
  return conn_->handshakeState();
}

void ClientEndpoint::shutdown() {
  if (!conn_ || !conn_->isConnectionEncrypted()) return;
  note(dtlsim::TraceEvent::ACTION, "shutdown");
  conn_->shutdown(socket_.get());
  observe(*conn_, watch_, "");
}

void ClientEndpoint::abort() {
  if (!conn_) return;
  note(dtlsim::TraceEvent::ACTION, "abort handshake");
  conn_->abortHandshake(socket_.get());
  observe(*conn_, watch_, "");
}

// A new Connection on the same address and port, as an application restarting would do. With
// session persistence the new connection offers the previous session's ticket.
void ClientEndpoint::restart() {
  note(dtlsim::TraceEvent::ACTION, "restart on the same port");
  if (conn_) {
    retransmissions_before_restart_ += conn_->retransmissionCount();
    const dtls::ByteArray ticket = conn_->dtlsConfiguration().sessionTicket();
    if (!ticket.empty()) config_.setSessionTicket(ticket);
  }
  conn_.reset();
  start();
}

void ClientEndpoint::fillOutcome(dtlsim::EndpointOutcome* out) const {
  out->set_name(name());
  if (conn_) {
    fillFromConnection(*conn_, watch_, out);
    out->set_retransmissions(static_cast<std::uint32_t>(retransmissions_before_restart_ +
                                                        conn_->retransmissionCount()));
  } else {
    out->set_final_state("HandshakeNotStarted");
  }
  for (const auto& p : ledger_.received) out->add_delivered(p);
}

}  // namespace scenarios::detail
