// Private: the DTLS applications of a world. A client and a server that use dtls::Connection
// and dtls::ClientVerifier exactly as a QDtls application would: the server demultiplexes peers
// by address:port and sends unknown ones through a ClientVerifier; the client retransmits on
// handshakeTimeout; both decrypt after the handshake and shut down at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dtls/client_verifier.h"
#include "dtls/connection.h"
#include "dtlsim/scenario.pb.h"
#include "dtlsim/trace.pb.h"
#include "recorder.h"
#include "sim_ports.h"
#include "simnet/prng.h"
#include "timer_owners.h"

namespace scenarios::detail {

// What every endpoint of a world shares.
struct WorldContext {
  simnet::Network& net;
  SimClock& clock;
  Recorder& recorder;
  std::size_t endpoints_created = 0;  // each endpoint's index in the scenario, as it is made
  // Scenario.liveness: when the network stopped injecting faults (kTimeNever: never).
  simnet::TimeUs faults_stop_us = simnet::kTimeNever;
};

// "10.0.0.1:4433": how the liveness check names the peer a payload went to.
std::string transportName(const dtls::HostAddress& address, std::uint16_t port);

// The classifier's labels of every record of a datagram ("handshake:finished", "ccs",
// "appdata", ...), each with the epoch of its own record; "malformed"/"empty" (epoch 0) for a
// datagram without records.
std::vector<std::pair<std::string, std::uint16_t>> datagramLabels(std::string_view bytes);

// Payload accounting for the invariants: what an endpoint sent and what it received.
struct Ledger {
  std::vector<dtls::ByteArray> sent;
  std::vector<dtls::ByteArray> received;
};

class Endpoint {
 public:
  Endpoint(WorldContext& ctx, const dtlsim::Endpoint& spec, dtls::Configuration config);
  virtual ~Endpoint() = default;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // Binds the endpoint's socket. False with `error` if the address:port is taken.
  bool bind(std::string* error);
  virtual void start() = 0;
  virtual void send(const dtls::ByteArray& payload) = 0;
  virtual void shutdown() = 0;
  virtual void abort() = 0;
  virtual void restart() = 0;
  virtual void fillOutcome(dtlsim::EndpointOutcome* out) const = 0;

  const std::string& name() const { return spec_.name(); }
  // The owner of the timers that run the scenario's actions on this endpoint.
  simnet::EventOwner actionsOwner() const { return timerOwner(index_, TimerKind::kActions); }
  // The DTLS backend the scenario names for this endpoint; empty for the active one.
  const std::string& backend() const { return spec_.dtls().backend(); }
  const Ledger& ledger() const { return ledger_; }
  simnet::Endpoint local() const { return ctx_.net.localEndpoint(socket_->id()); }
  // Its address:port as transportName writes it: what Stall::peer and handshakeStateWith use.
  std::string transport() const;
  // Bytes sent to / received from peers before the server verified their cookie.
  virtual bool amplificationHeld(std::string* why) const { (void)why; return true; }
  // False for a noise sender, which runs no DTLS library.
  virtual bool runsDtls() const { return true; }

  // Liveness phase (Scenario.liveness): the payloads sent on an established association once
  // the faults stopped, with the peer each went to, and the payloads received by then.
  struct LateSend {
    dtls::ByteArray payload;
    std::string to;  // transportName
  };
  const std::vector<LateSend>& lateSends() const { return late_sends_; }
  const std::vector<dtls::ByteArray>& lateReceived() const { return late_received_; }
  // A connection still in HandshakeInProgress: who ("client", "server [10.0.1.10:49152]") and
  // its peer's transportName.
  struct Stall {
    std::string who;
    std::string peer;
  };
  virtual void collectStalls(std::vector<Stall>* out) const { (void)out; }
  // The state of this endpoint's handshake with `peer` (a transportName): HandshakeNotStarted
  // once it ended without completing (failed, aborted, retired); nullopt when it never heard of
  // the peer. A stall is not blamed on the stacks when its peer gave up: the survivor then
  // rightly waits out its own timer.
  virtual std::optional<dtls::Connection::HandshakeState> handshakeStateWith(
      const std::string& peer) const {
    (void)peer;
    return std::nullopt;
  }
  // The master secret each of its connections derived, by client random (hex, from the NSS key
  // log), with the virtual time it was logged. Two sides that derived different secrets for one
  // client random cannot authenticate each other's records: their handshake can only time out.
  struct Secret {
    std::string master;
    simnet::TimeUs at = 0;
  };
  const std::map<std::string, Secret>& secrets() const { return secrets_; }
  // When the earliest of its pending DTLS timers is due; nullopt if none is.
  std::optional<simnet::TimeUs> nextTimerDue() const { return timers_.nextDue(); }

  // Runs `callback` once, when this endpoint first completes a handshake (any peer).
  void onFirstHandshake(std::function<void()> callback) {
    first_handshake_callbacks_.push_back(std::move(callback));
  }
  // Keeps the first `occurrence` datagrams this endpoint sends that carry a `label` record, for
  // replay(). Call before the run.
  void captureForReplay(const std::string& label, std::uint32_t occurrence);
  // Re-sends the `occurrence`-th captured `label` datagram, unchanged, to where it went (an
  // on-path attacker's replay: same source address and port). A NOTE if there is none yet.
  void replay(const std::string& label, std::uint32_t occurrence);

 protected:
  // Records what a Connection call changed: its state (STATE events, handshake completion
  // time) and its error (ERROR events).
  struct Watch {
    dtls::Connection::HandshakeState state = dtls::Connection::HandshakeNotStarted;
    std::optional<std::int64_t> done_us;
    std::string last_error;
    std::string last_error_string;
  };
  void observe(dtls::Connection& c, Watch& w, const std::string& who);
  void onReadable();
  virtual void onDatagram(const simnet::Datagram& d) = 0;
  void wireConnection(dtls::Connection& c, Watch& w, const std::string& who);
  void note(dtlsim::TraceEvent::Kind kind, const std::string& detail);
  // The ledger's entries; after the faults stopped, the liveness records as well.
  void noteSent(const dtls::ByteArray& payload, const std::string& to);
  void noteReceived(const dtls::ByteArray& payload);
  static void fillFromConnection(const dtls::Connection& c, const Watch& w,
                                 dtlsim::EndpointOutcome* out);

  struct Captured {
    dtls::ByteArray bytes;
    dtls::HostAddress address;
    std::uint16_t port = 0;
  };
  void captureSent(std::string_view bytes, const dtls::HostAddress& address,
                   std::uint16_t port);

  WorldContext& ctx_;
  std::vector<std::function<void()>> first_handshake_callbacks_;
  bool first_handshake_seen_ = false;
  // label -> how many to keep, and what was kept (ordered maps: deterministic).
  std::map<std::string, std::uint32_t> capture_wanted_;
  std::map<std::string, std::vector<Captured>> captured_;
  bool replaying_ = false;
  dtlsim::Endpoint spec_;
  std::size_t index_;      // in the scenario's endpoints
  EndpointTimers timers_;  // its Connections' timers
  dtls::Configuration config_;
  std::unique_ptr<SimSocket> socket_;
  Ledger ledger_;
  std::map<std::string, Secret> secrets_;
  std::vector<LateSend> late_sends_;
  std::vector<dtls::ByteArray> late_received_;
  simnet::Datagram scratch_;
};

class ClientEndpoint : public Endpoint {
 public:
  ClientEndpoint(WorldContext& ctx, const dtlsim::Endpoint& spec, dtls::Configuration config,
                 dtls::HostAddress server_address, std::uint16_t server_port);
  void start() override;
  void send(const dtls::ByteArray& payload) override;
  void shutdown() override;
  void abort() override;
  void restart() override;
  void fillOutcome(dtlsim::EndpointOutcome* out) const override;
  void collectStalls(std::vector<Stall>* out) const override;
  std::optional<dtls::Connection::HandshakeState> handshakeStateWith(
      const std::string& peer) const override;

 private:
  void onDatagram(const simnet::Datagram& d) override;
  void makeConnection();
  void decideOnErrors();
  // A payload out of decryptDatagram or takePendingDatagrams (nothing if empty).
  void receive(const dtls::ByteArray& plain);

  dtls::HostAddress server_address_;
  std::uint16_t server_port_;
  std::unique_ptr<dtls::Connection> conn_;
  Watch watch_;
  int retransmissions_before_restart_ = 0;
};

// Not a DTLS endpoint: a noise sender (scenario role NOISE). From its start it sends
// spec.noise().count datagrams to the server, drawn from its own seeded stream, and ignores
// what it receives.
class NoiseEndpoint : public Endpoint {
 public:
  NoiseEndpoint(WorldContext& ctx, const dtlsim::Endpoint& spec, dtls::HostAddress server_address,
                std::uint16_t server_port, std::uint64_t seed);
  void start() override;
  void send(const dtls::ByteArray&) override {}
  void shutdown() override {}
  void abort() override {}
  void restart() override {}
  void fillOutcome(dtlsim::EndpointOutcome* out) const override;
  bool runsDtls() const override { return false; }

 private:
  void onDatagram(const simnet::Datagram&) override {}
  void sendOne(std::uint32_t index);

  dtls::HostAddress server_address_;
  std::uint16_t server_port_;
  simnet::Prng prng_;
  std::uint32_t sent_ = 0;
};

class ServerEndpoint : public Endpoint {
 public:
  ServerEndpoint(WorldContext& ctx, const dtlsim::Endpoint& spec, dtls::Configuration config);
  void start() override {}
  // Sends `payload` to every peer with an encrypted connection.
  void send(const dtls::ByteArray& payload) override;
  void shutdown() override;
  void abort() override;
  void restart() override;
  void fillOutcome(dtlsim::EndpointOutcome* out) const override;
  bool amplificationHeld(std::string* why) const override;
  void collectStalls(std::vector<Stall>* out) const override;
  std::optional<dtls::Connection::HandshakeState> handshakeStateWith(
      const std::string& peer) const override;

 private:
  struct Session {
    std::unique_ptr<dtls::Connection> conn;
    Watch watch;
    std::string client_random;  // of the verified ClientHello that started it
    std::string peer;           // transportName of the client
  };
  using PeerKey = std::pair<dtls::HostAddress, std::uint16_t>;

  void onDatagram(const simnet::Datagram& d) override;
  std::optional<dtls::ByteArray> verify(const PeerKey& peer, const dtls::ByteArray& bytes);
  void startSession(const PeerKey& peer, const dtls::ByteArray& hello);
  void acceptNew(const PeerKey& peer, const dtls::ByteArray& bytes);
  void receiveAndEcho(Session& s, const std::string& who, const dtls::ByteArray& plain);
  void clientHelloOnEstablished(std::map<PeerKey, std::unique_ptr<Session>>::iterator it,
                                const dtls::ByteArray& bytes);
  Session& newSession(const PeerKey& peer);
  void retireIfEnded(std::map<PeerKey, std::unique_ptr<Session>>::iterator it);
  void retireEnded();
  static std::string peerName(const PeerKey& peer);

  dtls::ClientVerifier verifier_;
  // Heap-held so callbacks that captured a session stay valid when it moves to finished_.
  std::map<PeerKey, std::unique_ptr<Session>> sessions_;  // ordered: deterministic iteration
  // Sessions that ended (closed, failed, replaced): kept for the outcome.
  std::vector<std::unique_ptr<Session>> finished_;
  struct Unverified {
    std::uint64_t received_bytes = 0;
    std::uint64_t sent_bytes = 0;
  };
  std::map<PeerKey, Unverified> unverified_;
};

}  // namespace scenarios::detail
