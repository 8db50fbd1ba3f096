// Private: builds the trace of one run. It observes the network (every send, delivery, drop
// and fault) and takes the endpoints' events (state changes, timers, retransmissions, data,
// errors), stamping each with the virtual time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <string_view>

#include "dtlsim/trace.pb.h"
#include "scenarios/oracles.h"
#include "dtls/ssl.h"
#include "simnet/network.h"
#include "simnet/observer.h"

namespace scenarios::detail {

class Recorder : public simnet::Observer {
 public:
  Recorder(const simnet::Network& network, dtlsim::Trace* trace)
      : net_(network), trace_(trace) {}

  // Off: every call below records nothing (RunOptions::events).
  void setRecording(bool on) { recording_ = on; }
  // Every event, recorded or not, also goes to `checker` (not owned), a DELIVER once the
  // receiver has read its bytes.
  void setChecker(OracleChecker* checker) { checker_ = checker; }

  // The network's events. A SEND gets the bytes announced by willSend() just before.
  void onEvent(const simnet::NetEvent& e) override;
  // Called by a socket with the datagram it is about to hand to the network.
  void willSend(std::string_view bytes) {
    pending_send_ = bytes;
    has_pending_send_ = true;
  }
  // Attaches what a receiver actually got (after corruption/truncation) to its DELIVER event.
  void delivered(std::uint64_t datagram_id, std::uint32_t copy, const dtls::ByteArray& bytes);

  void endpointEvent(const std::string& endpoint, dtlsim::TraceEvent::Kind kind,
                     const std::string& detail);
  void keylog(const std::string& line);
  // When a corrupted or truncated datagram first reached the endpoint named `name` (kept
  // whether or not events are recorded); nullopt if none did.
  std::optional<simnet::TimeUs> firstDamageTo(const std::string& name) const {
    const auto it = first_damage_.find(name);
    return it == first_damage_.end() ? std::nullopt : std::optional(it->second);
  }
  // Names an address:port after the endpoint that owns it, for readable events.
  void nameEndpoint(const simnet::Endpoint& address_port, const std::string& name);

 private:
  // The "addr:port" text of an endpoint and the name events carry for it (its endpoint's name,
  // or that text), formatted once per address: every datagram event needs three of them.
  struct Labels {
    std::string text;
    std::string name;
  };
  const Labels& labelsOf(const simnet::Endpoint& e);
  void noteDamage(const simnet::NetEvent& e);
  dtlsim::TraceEvent* append(dtlsim::TraceEvent::Kind kind);
  bool active() const { return recording_ || checker_ != nullptr; }
  void check(const dtlsim::TraceEvent& e) {
    if (checker_ != nullptr) checker_->onEvent(e);
  }

  const simnet::Network& net_;
  dtlsim::Trace* trace_;
  bool recording_ = true;
  OracleChecker* checker_ = nullptr;
  // Not recording: the event being built for the checker, and the DELIVERs waiting for their
  // bytes.
  dtlsim::TraceEvent scratch_;
  std::map<std::pair<std::uint64_t, std::uint32_t>, dtlsim::TraceEvent> pending_delivers_;
  std::string_view pending_send_;
  bool has_pending_send_ = false;
  std::map<simnet::Endpoint, Labels> labels_;
  // Key log lines already in the trace: both sides of a connection log the same secret, and a
  // linear search over them made 10,000 clients quadratic.
  std::set<std::string> keylog_seen_;
  // Copies the network damaged, until they are delivered or dropped, and by receiver name the
  // time the first damaged copy arrived.
  std::set<std::pair<std::uint64_t, std::uint32_t>> damaged_in_flight_;
  std::map<std::string, simnet::TimeUs> first_damage_;
  // (datagram id, copy) -> index of its DELIVER event, to attach the received bytes.
  std::map<std::pair<std::uint64_t, std::uint32_t>, int> deliver_index_;
  // datagram id -> index of its SEND event (-1: none recorded), whose decoding a DELIVER of
  // the same bytes copies.
  std::vector<int> send_index_;
};

}  // namespace scenarios::detail
