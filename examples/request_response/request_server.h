// examples/request_response/request_server.h — the server side of the request/response
// protocol (request_client.h): it answers every request with its own id and body, which makes
// it a DTLS echo server written against the dtls ports, the way Qt's DTLS server example is
// (one socket, a ClientVerifier for new peers, one Connection per verified peer).
//
// A peer whose connection failed or closed is forgotten; a verified new ClientHello from a
// known peer, whether its handshake completed or is still under way, starts a new connection
// for it (RFC 6347 §4.2.8: the client gave up and reconnects from the same port). The
// simulation found the case "under way": a GnuTLS server waited 23 minutes in a handshake
// whose client had started over.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dtls/client_verifier.h"
#include "dtls/configuration.h"
#include "dtls/connection.h"
#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/timer_service.h"

namespace reqresp {

class ResponseServer {
 public:
  using Log = std::function<void(const std::string& line)>;

  // Neither the socket nor the timers are owned; both must outlive the server.
  // `backend` (dtls/backend.h; empty: the active one) runs the verifier and every connection:
  // a connection must be on its verifier's backend, whose cookie it checks again.
  ResponseServer(dtls::DatagramSocket& socket, dtls::TimerService& timers,
                 dtls::Configuration config, const std::string& backend = {});
  ~ResponseServer();

  void onDatagram(const dtls::ByteArray& datagram, const dtls::HostAddress& from,
                  std::uint16_t port);

  std::size_t peers() const { return peers_.size(); }
  std::uint64_t answered() const { return answered_; }
  void setLog(Log log) { log_ = std::move(log); }
  void setKeyLogCallback(dtls::Connection::KeyLogCallback callback) {
    key_log_ = std::move(callback);
  }

 private:
  using Peer = std::pair<dtls::HostAddress, std::uint16_t>;

  void newConnection(const Peer& peer);
  void continueHandshake(const Peer& peer, dtls::Connection& conn,
                         const dtls::ByteArray& datagram);
  void serve(const Peer& peer, dtls::Connection& conn, const dtls::ByteArray& datagram);
  void answer(dtls::Connection& conn, const dtls::ByteArray& request);
  // Drops the peer's connection after the current callback (it may be the caller).
  void forgetLater(const Peer& peer, const std::string& why);
  void log(const Peer& peer, const std::string& line);

  dtls::DatagramSocket& socket_;
  dtls::TimerService& timers_;
  dtls::Configuration config_;
  std::string backend_;
  dtls::ClientVerifier verifier_;
  std::map<Peer, std::unique_ptr<dtls::Connection>> peers_;
  std::map<Peer, dtls::ByteArray> started_random_;  // client random of each connection's hello
  std::vector<std::unique_ptr<dtls::Connection>> retiring_;
  dtls::TimerService::TimerId cleanup_timer_ = dtls::TimerService::kInvalidTimerId;
  std::uint64_t answered_ = 0;
  Log log_;
  dtls::Connection::KeyLogCallback key_log_;
};

}  // namespace reqresp
