// Shared fakes for the simnet tests: an event log that hashes what the observer sees, and a
// two-host network with one socket each.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "simnet/network.h"

namespace simnet::testing {

inline Address addr(const char* text) { return *Address::parse(text); }

inline std::vector<std::uint8_t> bytesOf(std::size_t n, std::uint8_t fill = 0xab) {
  return std::vector<std::uint8_t>(n, fill);
}

// Records every NetEvent and folds it into an FNV-1a hash (field by field, so padding never
// enters the hash).
class EventLog final : public Observer {
 public:
  explicit EventLog(bool keep = true) : keep_(keep) {}
  void onEvent(const NetEvent& e) override {
    add(static_cast<std::uint64_t>(e.kind));
    add(static_cast<std::uint64_t>(e.time_us));
    add(e.datagram_id);
    add(e.copy);
    addEndpoint(e.source);
    addEndpoint(e.destination);
    add(e.size_bytes);
    add(static_cast<std::uint64_t>(e.reason));
    add(static_cast<std::uint64_t>(e.value));
    for (std::uint32_t bit : e.flipped_bits) add(bit);
    ++count_;
    if (keep_) {
      events.push_back(e);
      flipped_bits.emplace_back(e.flipped_bits.begin(), e.flipped_bits.end());
      events.back().flipped_bits = {};  // the span dies with the callback; see flipped_bits
    }
  }
  void addBytes(const std::vector<std::uint8_t>& b) {
    for (std::uint8_t x : b) {
      hash_ ^= x;
      hash_ *= 0x100000001b3ull;
    }
  }
  std::uint64_t hash() const { return hash_; }
  std::uint64_t count() const { return count_; }
  std::size_t countKind(EventKind k) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.kind == k;
    return n;
  }
  std::size_t countDrops(DropReason r) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.kind == EventKind::kDrop && e.reason == r;
    return n;
  }
  std::vector<NetEvent> events;
  std::vector<std::vector<std::uint32_t>> flipped_bits;  // parallel to events

 private:
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= (v >> (8 * i)) & 0xff;
      hash_ *= 0x100000001b3ull;
    }
  }
  void addEndpoint(const Endpoint& e) {
    for (std::uint8_t b : e.address.bytes()) add(b);
    add(e.port);
  }
  bool keep_;
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
  std::uint64_t count_ = 0;
};

// Host a = 10.0.0.1 (socket on port 1000), host b = 10.0.0.2 (socket on port 2000).
// Received datagrams are drained into `received_a` / `received_b`.
struct Pair {
  explicit Pair(std::uint64_t seed = 1, NetworkOptions options = {}) : net(seed, options) {
    a = addr("10.0.0.1");
    b = addr("10.0.0.2");
    (void)net.addHost("a", {a});
    (void)net.addHost("b", {b});
    sa = net.bind(a, 1000).value();
    sb = net.bind(b, 2000).value();
    net.setReceiveCallback(sa, [this](SocketId s) { drain(s, received_a); });
    net.setReceiveCallback(sb, [this](SocketId s) { drain(s, received_b); });
  }
  void drain(SocketId s, std::vector<Datagram>& out) {
    Datagram d;
    while (net.receive(s, d)) out.push_back(d);
  }
  SendResult sendAB(std::size_t n, std::uint8_t fill = 0xab) {
    const auto bytes = bytesOf(n, fill);
    return net.sendTo(sa, Endpoint{b, 2000}, bytes);
  }
  SendResult sendBA(std::size_t n, std::uint8_t fill = 0xcd) {
    const auto bytes = bytesOf(n, fill);
    return net.sendTo(sb, Endpoint{a, 1000}, bytes);
  }
  // Sets the a->b direction (and b->a when both) to `m`; fails the test on a config error.
  void link(const LinkModel& m, bool both = false) {
    Status s = net.setLink(a, b, m);
    if (s.ok() && both) s = net.setLink(b, a, m);
    if (!s.ok()) throw std::runtime_error(s.message());
  }

  Network net;
  Address a, b;
  SocketId sa = 0, sb = 0;
  std::vector<Datagram> received_a, received_b;
};

}  // namespace simnet::testing
