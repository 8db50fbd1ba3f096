#include "endpoint.h"

#include "dtls/wire/client_hello.h"
#include "dtls/wire/describe.h"
#include "dtls/wire/record.h"

namespace scenarios::detail {

namespace {

// The 32-byte random of the first unfragmented ClientHello in `bytes`; empty when there is none.
std::string clientRandom(const dtls::ByteArray& bytes) {
  const dtls::wire::DecodedDatagram d = dtls::wire::decodeDatagram(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  const auto hello = dtls::wire::findClientHello(d);
  return hello ? std::string(hello->random) : std::string();
}

}  // namespace

ServerEndpoint::ServerEndpoint(WorldContext& ctx, const dtlsim::Endpoint& spec,
                               dtls::Configuration config)
    : Endpoint(ctx, spec, std::move(config)), verifier_(spec.dtls().backend()) {}

std::string ServerEndpoint::peerName(const PeerKey& peer) {
  return "[" + peer.first.toString() + ":" + std::to_string(peer.second) + "] ";
}

ServerEndpoint::Session& ServerEndpoint::newSession(const PeerKey& peer) {
  auto& slot = sessions_[peer];
  slot = std::make_unique<Session>();
  Session& s = *slot;
  s.conn = std::make_unique<dtls::Connection>(dtls::SslMode::SslServerMode, &timers_,
                                              spec_.dtls().backend());
  s.watch = Watch{};
  s.peer = transportName(peer.first, peer.second);
  s.conn->setDtlsConfiguration(config_);
  if (spec_.dtls().mtu_hint_bytes() != 0)
    s.conn->setMtuHint(static_cast<std::uint16_t>(spec_.dtls().mtu_hint_bytes()));
  s.conn->setPeer(peer.first, peer.second);
  // The connection re-checks the verified ClientHello's cookie: same parameters as the verifier.
  s.conn->setCookieGeneratorParameters(verifier_.cookieGeneratorParameters());
  wireConnection(*s.conn, s.watch, peerName(peer));
  return s;
}

// Through the ClientVerifier (unless cookies are off): the ClientHello a new Connection may
// continue, or nothing (a HelloVerifyRequest was sent, or the datagram was dropped).
std::optional<dtls::ByteArray> ServerEndpoint::verify(const PeerKey& peer,
                                                      const dtls::ByteArray& bytes) {
  if (!config_.dtlsCookieVerificationEnabled()) return bytes;
  Unverified& u = unverified_[peer];
  u.received_bytes += bytes.size();
  const std::uint64_t before = socket_->bytesWritten();
  const bool verified = verifier_.verifyClient(socket_.get(), bytes, peer.first, peer.second);
  u.sent_bytes += socket_->bytesWritten() - before;
  if (!verified) {
    if (verifier_.dtlsError() != dtls::DtlsError::NoError)
      note(dtlsim::TraceEvent::ERROR, peerName(peer) + "verifier: " + verifier_.dtlsErrorString());
    else if (socket_->bytesWritten() > before)
      note(dtlsim::TraceEvent::HELLO_VERIFY, peerName(peer) + "HelloVerifyRequest sent");
    return std::nullopt;
  }
  note(dtlsim::TraceEvent::VERIFIED, peerName(peer) + "cookie verified");
  return verifier_.verifiedHello();
}

// A new Connection continues a verified ClientHello.
void ServerEndpoint::startSession(const PeerKey& peer, const dtls::ByteArray& hello) {
  Session& s = newSession(peer);
  s.client_random = clientRandom(hello);
  s.conn->doHandshake(socket_.get(), hello);
  observe(*s.conn, s.watch, peerName(peer));
  // A handshake refused at its first message (a version or cipher mismatch) must not keep the
  // slot: the peer's next datagram would go to the dead session, unverified and unanswered.
  retireIfEnded(sessions_.find(peer));
}

// A session that ended (closed by the peer, failed) leaves the table; its peer may return.
void ServerEndpoint::retireIfEnded(std::map<PeerKey, std::unique_ptr<Session>>::iterator it) {
  if (it->second->conn->handshakeState() != dtls::Connection::HandshakeNotStarted) return;
  finished_.push_back(std::move(it->second));
  sessions_.erase(it);
}

// A datagram from a peer without a session.
void ServerEndpoint::acceptNew(const PeerKey& peer, const dtls::ByteArray& bytes) {
  if (const auto hello = verify(peer, bytes)) startSession(peer, *hello);
}

// RFC 6347 §4.2.8: a ClientHello in epoch 0 from the address of an established association
// (or of one still in its handshake, with another random: see onDatagram).
// A late duplicate of the ClientHello that created the association (same random: the network
// duplicated or delayed it) is stale and ignored. Any other starts a new association, but the
// old one is kept until the client has shown it is reachable by completing the cookie exchange
// (a spoofed ClientHello only earns the real client an unanswered HelloVerifyRequest).
void ServerEndpoint::clientHelloOnEstablished(std::map<PeerKey, std::unique_ptr<Session>>::iterator it,
                                              const dtls::ByteArray& bytes) {
  const PeerKey peer = it->first;
  const std::string random = clientRandom(bytes);
  if (!random.empty() && random == it->second->client_random) {
    note(dtlsim::TraceEvent::NOTE, peerName(peer) + "stale duplicate of the ClientHello that "
                                                    "created the association: ignored");
    return;
  }
  note(dtlsim::TraceEvent::NOTE, peerName(peer) + (it->second->conn->isConnectionEncrypted()
                                                       ? "ClientHello on an established association"
                                                       : "new ClientHello on an association still "
                                                         "in its handshake"));
  const auto hello = verify(peer, bytes);
  if (!hello) return;  // the established association stays
  // An abandoned handshake must not keep retransmitting its flight to the new one's client.
  if (it->second->conn->handshakeState() == dtls::Connection::HandshakeInProgress)
    it->second->conn->abortHandshake(socket_.get());
  finished_.push_back(std::move(it->second));
  sessions_.erase(it);
  startSession(peer, *hello);
}

void ServerEndpoint::onDatagram(const simnet::Datagram& d) {
  const PeerKey peer{toHostAddress(d.source.address), d.source.port};
  const dtls::ByteArray bytes(d.bytes.begin(), d.bytes.end());
  auto it = sessions_.find(peer);
  if (it == sessions_.end()) {
    acceptNew(peer, bytes);
    return;
  }
  Session& s = *it->second;
  const std::string who = peerName(peer);
  if (s.conn->isConnectionEncrypted()) {
    // RFC 6347 §4.2.8: a new ClientHello from the address of an established association
    // starts a new one (the client restarted on the same port).
    const auto cls = dtls::wire::classify(bytes);
    if (cls.label == "handshake:client_hello" && cls.epoch == 0) {
      clientHelloOnEstablished(it, bytes);
      return;
    }
    receiveAndEcho(s, who, s.conn->decryptDatagram(socket_.get(), bytes));
    observe(*s.conn, s.watch, who);
  } else if (s.conn->handshakeState() == dtls::Connection::HandshakeInProgress) {
    // A ClientHello with another random while the handshake is still going: the client gave up
    // on it and started over on the same port (an application restarting). The stack would
    // take it for a stray message of the old handshake and the client would never be answered;
    // like a restart after completion (RFC 6347 §4.2.8), it starts a new association once its
    // cookie checks out. A retransmission of the hello that began this one (same random) is
    // the stack's business.
    const auto cls = dtls::wire::classify(bytes);
    if (cls.label == "handshake:client_hello" && cls.epoch == 0) {
      const std::string random = clientRandom(bytes);
      if (!random.empty() && random != s.client_random) {
        clientHelloOnEstablished(it, bytes);
        return;
      }
    }
    s.conn->doHandshake(socket_.get(), bytes);
    observe(*s.conn, s.watch, who);
    // Data the client sent right after its Finished may have arrived first.
    for (const auto& plain : s.conn->takePendingDatagrams()) receiveAndEcho(s, who, plain);
  } else {
    observe(*s.conn, s.watch, who);
  }
  retireIfEnded(it);
}

// The server echoes every datagram, as dtls-echo-server does.
void ServerEndpoint::receiveAndEcho(Session& s, const std::string& who,
                                    const dtls::ByteArray& plain) {
  if (plain.empty()) return;
  noteReceived(plain);
  note(dtlsim::TraceEvent::APP_RECEIVE, who + std::to_string(plain.size()) + " B");
  if (s.conn->writeDatagramEncrypted(socket_.get(), plain) > 0) {
    noteSent(plain, s.peer);
    note(dtlsim::TraceEvent::APP_SEND, who + "echo " + std::to_string(plain.size()) + " B");
  }
}

void ServerEndpoint::collectStalls(std::vector<Stall>* out) const {
  for (const auto& [peer, s] : sessions_)
    if (s->conn->handshakeState() == dtls::Connection::HandshakeInProgress)
      out->push_back({name() + " " + peerName(peer).substr(0, peerName(peer).size() - 1),
                      transportName(peer.first, peer.second)});
}

std::optional<dtls::Connection::HandshakeState> ServerEndpoint::handshakeStateWith(
    const std::string& peer) const {
  for (const auto& [key, s] : sessions_)
    if (transportName(key.first, key.second) == peer) return s->conn->handshakeState();
  // A retired session ended (failed or closed) and nothing replaced it.
  for (const auto& s : finished_)
    if (s->peer == peer) return dtls::Connection::HandshakeNotStarted;
  return std::nullopt;
}

void ServerEndpoint::send(const dtls::ByteArray& payload) {
  for (auto& [peer, s] : sessions_) {
    if (!s->conn->isConnectionEncrypted()) continue;
    if (s->conn->writeDatagramEncrypted(socket_.get(), payload) > 0) {
      noteSent(payload, s->peer);
      note(dtlsim::TraceEvent::APP_SEND, peerName(peer) + std::to_string(payload.size()) + " B");
    }
    observe(*s->conn, s->watch, peerName(peer));
  }
}

void ServerEndpoint::shutdown() {
  for (auto& [peer, s] : sessions_) {
    if (s->conn->isConnectionEncrypted()) s->conn->shutdown(socket_.get());
    observe(*s->conn, s->watch, peerName(peer));
  }
  retireEnded();
}

void ServerEndpoint::abort() {
  for (auto& [peer, s] : sessions_) {
    if (s->conn->handshakeState() == dtls::Connection::HandshakeInProgress ||
        s->conn->handshakeState() == dtls::Connection::PeerVerificationFailed)
      s->conn->abortHandshake(socket_.get());
    observe(*s->conn, s->watch, peerName(peer));
  }
  retireEnded();
}

// Sessions this server closed or aborted itself are over: the next datagram from their peer
// (a client starting again) must meet the verifier, not a dead session that swallows it.
void ServerEndpoint::retireEnded() {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const auto next = std::next(it);
    retireIfEnded(it);
    it = next;
  }
}

// A server restart forgets every association (a process restart would).
void ServerEndpoint::restart() {
  note(dtlsim::TraceEvent::ACTION, "restart: all sessions dropped");
  for (auto& [peer, s] : sessions_) finished_.push_back(std::move(s));
  sessions_.clear();
}

void ServerEndpoint::fillOutcome(dtlsim::EndpointOutcome* out) const {
  out->set_name(name());
  // The most recent session speaks for the server; retransmissions are summed over all, and
  // the handshake time is the first completion.
  const Session* latest = nullptr;
  std::uint32_t retransmissions = 0;
  std::optional<std::int64_t> first_done;
  auto consider = [&](const Session& s) {
    latest = &s;
    retransmissions += static_cast<std::uint32_t>(s.conn->retransmissionCount());
    if (s.watch.done_us && (!first_done || *s.watch.done_us < *first_done))
      first_done = s.watch.done_us;
  };
  for (const auto& s : finished_) consider(*s);
  for (const auto& [peer, s] : sessions_) consider(*s);
  if (latest != nullptr) {
    fillFromConnection(*latest->conn, latest->watch, out);
  } else {
    out->set_final_state("HandshakeNotStarted");
  }
  if (first_done) out->set_handshake_done_us(static_cast<std::uint64_t>(*first_done));
  out->set_retransmissions(retransmissions);
  for (const auto& p : ledger_.received) out->add_delivered(p);
}

bool ServerEndpoint::amplificationHeld(std::string* why) const {
  for (const auto& [peer, u] : unverified_) {
    if (u.sent_bytes > u.received_bytes) {
      *why = name() + " sent " + std::to_string(u.sent_bytes) + " bytes to unverified " +
             peer.first.toString() + ":" + std::to_string(peer.second) + " which sent only " +
             std::to_string(u.received_bytes);
      return false;
    }
  }
  return true;
}

}  // namespace scenarios::detail
