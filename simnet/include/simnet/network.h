// The simulated network: hosts with IPv4/IPv6 addresses, UDP sockets, per-direction link
// fault models, partitions, targeted rules, an observer, and record/replay of every fault
// decision. Owns the Scheduler, so it is also the world's clock and timer service.
//
// Determinism (DESIGN.md §3): given the same seed, configuration and sequence of API calls,
// every observer event, delivery and timer fires identically, on gcc and clang. Random draws
// come from per-path named streams (Prng::forStream with "link:<src>-><dst>:<purpose>"), so a
// new host or path never shifts another path's draws. Single-threaded; no call is reentrant
// from an Observer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "simnet/address.h"
#include "simnet/clock.h"
#include "simnet/decisions.h"
#include "simnet/fault_rules.h"
#include "simnet/link_model.h"
#include "simnet/observer.h"
#include "simnet/prng.h"
#include "simnet/scheduler.h"
#include "simnet/status.h"

namespace simnet {

using HostId = std::uint32_t;
using SocketId = std::uint32_t;

struct NetworkOptions {
  // Bound on pending events (timers + in-flight datagram copies). A copy that does not fit is
  // dropped with DropReason::kOverload; a timer that does not fit is refused.
  std::size_t max_pending_events = 1u << 20;
  // Default receive-buffer capacity of a socket, in datagrams (bind can override).
  std::uint32_t default_rcvbuf_datagrams = 256;
  // Ephemeral ports handed out by bind(address, 0), in order, per host (IANA range).
  std::uint16_t ephemeral_port_first = 49152;
  std::uint16_t ephemeral_port_last = 65535;
};

enum class SendStatus : std::uint8_t {
  kSent,             // accepted; it may still be lost, but the sender cannot tell
  kMessageTooLarge,  // over the link MTU and the link reports it (EMSGSIZE); also observed as a drop
  kBadSocket,        // unknown or closed socket
  kBadDestination,   // address family differs from the socket's, or port 0
  kTooLarge,         // more than kMaxUdpPayloadBytes
  kWouldBlock,       // the socket's send buffer was full (a kWouldBlock rule): not sent (EAGAIN)
};

struct SendResult {
  SendStatus status = SendStatus::kBadSocket;
  std::uint64_t datagram_id = 0;  // 0 when not accepted (kBadSocket, kBadDestination, kTooLarge)
  // kMessageTooLarge: the link's MTU, what IP_MTU reads on Linux after EMSGSIZE.
  std::uint32_t mtu_bytes = 0;
};

// A received datagram. receive() swaps its buffer with the network's, so reusing one
// Datagram object across reads keeps the receive path allocation-free.
struct Datagram {
  Endpoint source;
  Endpoint destination;
  std::vector<std::uint8_t> bytes;
  std::uint64_t datagram_id = 0;
  std::uint32_t copy = 0;
};

struct NetworkStats {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;  // copies placed in a receive buffer
  std::uint64_t duplicated = 0; // extra copies created
  std::uint64_t corrupted = 0;
  std::uint64_t truncated = 0;
  std::uint64_t reordered = 0;  // copies given the reorder extra delay (not counted in replay)
  std::uint64_t dropped[kDropReasonCount] = {};  // indexed by DropReason
  std::uint64_t droppedTotal() const;
};

class Network final : private EventSink {
 public:
  // seed: the world seed every PRNG stream derives from.
  explicit Network(std::uint64_t seed, NetworkOptions options = {});
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // ---- Time and run loop (forwarded to the Scheduler; see scheduler.h) ----
  TimeUs now_us() const { return scheduler_.now_us(); }
  Scheduler& scheduler() { return scheduler_; }
  TimerId scheduleTimer(DurationUs delay_us, std::function<void()> callback,
                        EventOwner owner = kNoOwner) {
    return scheduler_.scheduleTimer(delay_us, std::move(callback), owner);
  }
  bool cancelTimer(TimerId id) { return scheduler_.cancelTimer(id); }
  std::optional<TimeUs> timerDue(TimerId id) const { return scheduler_.dueTime(id); }
  RunResult run(const RunLimits& limits = {}) { return scheduler_.run(limits); }
  RunResult runUntil(TimeUs t_us, std::uint64_t max_events = RunLimits{}.max_events) {
    return scheduler_.runUntil(t_us, max_events);
  }
  bool step() { return scheduler_.step(); }

  // ---- Configuration. Each call validates its input and changes nothing on error. ----

  // Adds a host owning `addresses` (at least one). Errors: empty list, an address already
  // owned by a host.
  Result<HostId> addHost(const std::string& name, const std::vector<Address>& addresses);
  // The model of every direction without an override. Errors: see validateLinkModel.
  Status setDefaultLink(const LinkModel& model);
  // Overrides the direction from -> to (call twice for both). Errors: unknown address,
  // families differ, from == to, and validateLinkModel's.
  Status setLink(const Address& from, const Address& to, const LinkModel& model);
  // Errors: an empty side, an unknown address, until_us <= from_us, from_us < 0.
  Status addPartition(const Partition& partition);
  // Rules are tried in the order added; every matching rule applies. Errors: unknown
  // address, empty or negative time window, occurrence 0, epoch without label, count 0 or
  // above kMaxDuplicateCopies for duplicate, count 0 or above kMaxCorruptBitFlips for
  // corrupt, negative delay_us or
  // hold_until_us.
  Status addRule(const FaultRule& rule);
  // From at_us on, every datagram is sent as on a clean link: latency, bandwidth and MTU stay;
  // loss, burst loss, duplication, reordering, jitter, corruption, truncation, partitions and
  // rules end (a liveness phase). kTimeNever (the default): faults never stop.
  void stopFaultsAt(TimeUs at_us) { faults_stop_us_ = at_us; }
  // Installs (or with an empty function removes) the classifier rules match labels against.
  void setClassifier(Classifier classifier) { classifier_ = std::move(classifier); }
  // Not owned; must outlive the Network or be reset with nullptr.
  void setObserver(Observer* observer) { observer_ = observer; }

  // ---- Sockets ----

  // Binds a UDP socket to local:port; port 0 picks the host's next free ephemeral port.
  // rcvbuf_datagrams 0 means NetworkOptions::default_rcvbuf_datagrams. Errors: address of no
  // host, port in use on that address, no free ephemeral port.
  Result<SocketId> bind(const Address& local, std::uint16_t port, std::uint32_t rcvbuf_datagrams = 0);
  // Closes the socket, discarding datagrams still in its buffer; its port is free again.
  // Returns false for an unknown or already closed socket.
  bool close(SocketId socket);
  // The bound address and port (also after close); Endpoint{} for an id bind() never returned.
  Endpoint localEndpoint(SocketId socket) const;

  // Called (synchronously, from the run loop) after a datagram was placed in the socket's
  // receive buffer. The application drains the buffer with receive(); datagrams it leaves
  // there count against the capacity, and arrivals to a full buffer are dropped (kRcvBuf).
  // The callback may send, bind, close this socket or replace its own callback. An empty
  // function removes it; an unknown socket id is ignored.
  void setReceiveCallback(SocketId socket, std::function<void(SocketId)> on_readable);
  // Takes the oldest buffered datagram into `out`; false when none (or bad socket).
  bool receive(SocketId socket, Datagram& out);
  std::size_t pendingDatagrams(SocketId socket) const;

  // Sends one datagram. Fault decisions are made now (or taken from the replay log) and
  // every copy is scheduled for arrival. See SendStatus for the results.
  SendResult sendTo(SocketId socket, const Endpoint& destination, std::span<const std::uint8_t> bytes);

  // ---- Record and replay ----

  // While on, every datagram whose fate differs from "delivered once, unmodified, after
  // latency_us" gets an entry in recordedDecisions().
  void setRecording(bool on) { recording_ = on; }
  const DecisionLog& recordedDecisions() const { return recorded_; }
  // Switches to replay: from now on no fault is drawn or computed; datagram N gets exactly
  // log[N] (or a clean delivery after its link's latency_us when absent). Rules, partitions,
  // MTU, bandwidth and PRNG are bypassed; arrival-time drops (no listener, full receive
  // buffer) still happen because they follow from the applications' behaviour. Nothing is
  // recorded while replaying: the log given here is the record.
  void replay(DecisionLog log);

  const NetworkStats& stats() const { return stats_; }

 private:
  struct PathState;
  struct RuleEffects;
  struct Socket;
  struct Packet;
  struct PathKeyHash {
    std::size_t operator()(const std::pair<Address, Address>& k) const;
  };
  struct EndpointHash {
    std::size_t operator()(const Endpoint& e) const;
  };

  void onEvent(std::uint64_t token) override;
  PathState& pathFor(Socket& s, const Address& to);
  void refreshPaths();
  const LinkModel& modelFor(const Address& from, const Address& to) const;
  bool knownAddress(const Address& a) const { return host_of_.count(a) != 0; }
  void decide(PathState& path, std::uint64_t index, std::span<const std::uint8_t> bytes,
              DatagramDecision& d);
  void applyRules(const PathState& path, std::uint64_t index, std::span<const std::uint8_t> bytes,
                  RuleEffects& fx);
  DurationUs drawJitter(PathState& path);
  SendResult apply(const DatagramDecision& d, const PathState& path, std::uint64_t id,
                   const Endpoint& src, const Endpoint& dst, std::span<const std::uint8_t> bytes);
  void emit(EventKind kind, std::uint64_t id, std::uint32_t copy, const Endpoint& src,
            const Endpoint& dst, std::uint32_t size, std::int64_t value = 0,
            DropReason reason = DropReason::kLoss, std::span<const std::uint32_t> bits = {});
  std::uint32_t allocPacket();
  void freePacket(std::uint32_t slot);

  std::uint64_t seed_;
  NetworkOptions options_;
  Scheduler scheduler_;

  std::vector<std::string> host_names_;
  std::vector<std::uint32_t> next_ephemeral_;  // per host
  std::map<Address, HostId> host_of_;

  LinkModel default_link_;
  std::map<std::pair<Address, Address>, LinkModel> link_overrides_;
  std::vector<std::unique_ptr<PathState>> paths_;
  std::unordered_map<std::pair<Address, Address>, std::uint32_t, PathKeyHash> path_index_;

  std::vector<Partition> partitions_;
  struct RuleState {
    FaultRule rule;
    std::uint32_t matches = 0;
  };
  std::vector<RuleState> rules_;
  bool rules_use_labels_ = false;
  Classifier classifier_;
  std::vector<Label> labels_;  // scratch, reused

  std::deque<Socket> sockets_;  // deque: a callback may bind() while we hold a reference
  std::unordered_map<Endpoint, SocketId, EndpointHash> bound_;
  std::uint64_t bind_generation_ = 0;  // bumped by bind/close; invalidates path socket caches

  std::vector<Packet> packets_;
  std::vector<std::uint32_t> free_packets_;

  Observer* observer_ = nullptr;
  std::uint64_t next_datagram_id_ = 1;
  DatagramDecision scratch_;
  bool recording_ = false;
  TimeUs faults_stop_us_ = kTimeNever;
  DecisionLog recorded_;
  bool replaying_ = false;
  DecisionLog replay_log_;
  NetworkStats stats_;
};

}  // namespace simnet
