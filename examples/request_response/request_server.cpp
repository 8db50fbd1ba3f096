#include "request_server.h"

#include <utility>

#include "dtls/backend.h"
#include "dtls/wire/record.h"

namespace reqresp {

ResponseServer::ResponseServer(dtls::DatagramSocket& socket, dtls::TimerService& timers,
                               dtls::Configuration config, const std::string& backend)
    : socket_(socket),
      timers_(timers),
      config_(std::move(config)),
      backend_(backend.empty() ? dtls::activeBackend() : backend),
      verifier_(backend_) {}

ResponseServer::~ResponseServer() {
  timers_.cancel(cleanup_timer_);
}

void ResponseServer::log(const Peer& peer, const std::string& line) {
  if (log_) log_(peer.first.toString() + ":" + std::to_string(peer.second) + ": " + line);
}

namespace {

// The client random of the ClientHello a datagram starts with, read with dtls/wire; empty for
// any other datagram. It tells a new handshake's ClientHello from a retransmitted one (whose
// record sequence number differs, not its random).
dtls::ByteArray clientRandom(const dtls::ByteArray& datagram) {
  constexpr std::uint8_t kHandshake = 22, kClientHello = 1;
  const dtls::wire::DecodedDatagram d = dtls::wire::decodeDatagram(
      reinterpret_cast<const std::uint8_t*>(datagram.data()), datagram.size());
  if (d.records.empty()) return {};
  const dtls::wire::Record& r = d.records.front();
  if (r.content_type != kHandshake || r.epoch != 0 || r.handshake_messages.empty()) return {};
  const dtls::wire::HandshakeMessage& m = r.handshake_messages.front();
  // client_version (2 bytes), then the random (32).
  if (m.msg_type != kClientHello || m.fragment_offset != 0 || m.body.size() < 34) return {};
  return dtls::ByteArray(m.body.substr(2, 32));
}

}  // namespace

void ResponseServer::onDatagram(const dtls::ByteArray& datagram, const dtls::HostAddress& from,
                                std::uint16_t port) {
  if (datagram.empty()) return;
  const Peer peer{from, port};
  const auto it = peers_.find(peer);
  if (it == peers_.end()) {
    if (verifier_.verifyClient(&socket_, datagram, from, port)) newConnection(peer);
    return;
  }
  // An epoch-0 handshake record from a known peer is part of the handshake under way (or the
  // client's last flight again, which a completed connection answers) or the start of a new
  // one: the client gave up on this association and begins again from the same port
  // (RFC 6347 §4.2.8). The verifier tells them apart: it answers a first ClientHello with a
  // HelloVerifyRequest and accepts a ClientHello with a valid cookie; only one other than the
  // hello this connection started from is a new handshake (a retransmitted one is the same).
  if (!clientRandom(datagram).empty() && verifier_.verifyClient(&socket_, datagram, from, port) &&
      clientRandom(verifier_.verifiedHello()) != started_random_[peer]) {
    log(peer, "new handshake from a known peer");
    forgetLater(peer, "replaced");
    newConnection(peer);
    return;
  }
  dtls::Connection& conn = *it->second;
  if (!conn.isConnectionEncrypted()) {
    continueHandshake(peer, conn, datagram);
    return;
  }
  serve(peer, conn, datagram);
}

void ResponseServer::newConnection(const Peer& peer) {
  auto connection = std::make_unique<dtls::Connection>(dtls::SslMode::SslServerMode, &timers_,
                                                       backend_);
  dtls::Connection* conn = connection.get();
  conn->setDtlsConfiguration(config_);
  conn->setCookieGeneratorParameters(verifier_.cookieGeneratorParameters());
  conn->setPeer(peer.first, peer.second);
  if (key_log_) conn->setKeyLogCallback(key_log_);
  conn->setHandshakeTimeoutCallback([this, peer, conn] {
    const auto it = peers_.find(peer);
    if (it == peers_.end() || it->second.get() != conn) return;
    if (!conn->handleTimeout(&socket_) && conn->dtlsError() != dtls::DtlsError::NoError)
      forgetLater(peer, "handshake gave up: " + conn->dtlsErrorString());
  });
  peers_[peer] = std::move(connection);
  started_random_[peer] = clientRandom(verifier_.verifiedHello());
  continueHandshake(peer, *conn, verifier_.verifiedHello());
}

void ResponseServer::continueHandshake(const Peer& peer, dtls::Connection& conn,
                                       const dtls::ByteArray& datagram) {
  if (!conn.doHandshake(&socket_, datagram)) {
    forgetLater(peer, "handshake failed: " + conn.dtlsErrorString());
    return;
  }
  if (!conn.isConnectionEncrypted()) return;
  log(peer, "connected");
  // Requests the client sent right after its Finished may have arrived before it.
  for (const auto& early : conn.takePendingDatagrams()) answer(conn, early);
}

void ResponseServer::serve(const Peer& peer, dtls::Connection& conn,
                           const dtls::ByteArray& datagram) {
  const dtls::ByteArray plaintext = conn.decryptDatagram(&socket_, datagram);
  switch (conn.dtlsError()) {
    case dtls::DtlsError::NoError:
      if (!plaintext.empty()) answer(conn, plaintext);
      return;
    case dtls::DtlsError::TlsNonFatalError:  // a damaged record: dropped
      return;
    default:
      forgetLater(peer, conn.dtlsErrorString());
      return;
  }
}

void ResponseServer::answer(dtls::Connection& conn, const dtls::ByteArray& request) {
  // The protocol's answer is the request itself: id and body.
  if (conn.writeDatagramEncrypted(&socket_, request) >= 0) ++answered_;
}

void ResponseServer::forgetLater(const Peer& peer, const std::string& why) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  log(peer, "forgotten: " + why);
  std::unique_ptr<dtls::Connection> conn = std::move(it->second);
  peers_.erase(it);
  started_random_.erase(peer);
  // Destroyed after the current callback, which may be one of its own.
  retiring_.push_back(std::move(conn));
  if (cleanup_timer_ != dtls::TimerService::kInvalidTimerId) return;
  cleanup_timer_ = timers_.schedule(dtls::TimerService::Duration(0), [this] {
    cleanup_timer_ = dtls::TimerService::kInvalidTimerId;
    retiring_.clear();
  });
}

}  // namespace reqresp
