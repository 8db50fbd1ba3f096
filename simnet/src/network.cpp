#include "simnet/network.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

namespace simnet {

// 128-bit products keep integer math exact; __extension__ silences -Wpedantic for it.
__extension__ typedef unsigned __int128 U128;

struct Network::PathState {
  Address from;
  Address to;
  LinkModel model;
  // Bernoulli thresholds precomputed from the model (see Prng::chance).
  std::uint64_t loss_t = 0, duplicate_t = 0, reorder_t = 0, corrupt_t = 0, truncate_t = 0;
  std::uint64_t ge_p_t = 0, ge_r_t = 0, ge_bad_t = 0, ge_good_t = 0;
  bool ge_bad = false;
  TimeUs busy_until_us = 0;  // bandwidth: when the transmitter is free again
  std::uint64_t sent = 0;    // datagrams sent on this path so far (RuleMatch::path_index)
  std::uint32_t self = 0;    // index in paths_
  // Arrival-side cache of the socket bound at (to, port), valid while bind_generation_ is
  // unchanged: skips the endpoint hash lookup on every delivery.
  std::uint64_t dst_generation = UINT64_MAX;
  std::uint16_t dst_port = 0;
  std::uint32_t dst_socket = UINT32_MAX;  // UINT32_MAX: nobody bound
  // One stream per purpose, so e.g. enabling duplication does not change which datagrams
  // are lost.
  Prng loss, burst, duplicate, jitter, reorder, corrupt, truncate;

  void setModel(const LinkModel& m) {
    model = m;
    loss_t = Prng::bernoulliThreshold(m.loss_probability);
    duplicate_t = Prng::bernoulliThreshold(m.duplicate_probability);
    reorder_t = Prng::bernoulliThreshold(m.reorder_probability);
    corrupt_t = Prng::bernoulliThreshold(m.corrupt_probability);
    truncate_t = Prng::bernoulliThreshold(m.truncate_probability);
    ge_p_t = Prng::bernoulliThreshold(m.burst_loss.p_good_to_bad);
    ge_r_t = Prng::bernoulliThreshold(m.burst_loss.r_bad_to_good);
    ge_bad_t = Prng::bernoulliThreshold(m.burst_loss.bad_loss_probability);
    ge_good_t = Prng::bernoulliThreshold(m.burst_loss.good_loss_probability);
  }
};

struct Network::Socket {
  bool open = true;
  HostId host = 0;
  Endpoint local;
  std::vector<std::uint32_t> ring;  // packet slots, capacity = receive buffer size
  std::size_t head = 0;
  std::size_t count = 0;
  std::function<void(SocketId)> on_readable;
  std::uint64_t callback_generation = 0;
  Address cache_to;  // one-entry path cache: most sockets talk to one peer
  std::uint32_t cache_path = UINT32_MAX;
};

struct Network::Packet {
  std::uint64_t id = 0;
  std::uint32_t copy = 0;
  std::uint32_t path = 0;
  Endpoint source;
  Endpoint destination;
  std::vector<std::uint8_t> bytes;  // capacity is kept when the slot is reused
};

struct Network::RuleEffects {
  bool drop = false;
  bool would_block = false;
  std::uint32_t extra_copies = 0;
  DurationUs delay_us = 0;
  std::uint32_t corrupt_bits = 0;
  std::optional<std::uint32_t> truncate_to;
  TimeUs hold_until_us = 0;
};

namespace {

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

std::uint64_t hashAddress(const Address& a, std::uint64_t h) {
  std::uint64_t w[2];
  std::memcpy(w, a.bytes().data(), 16);
  h = mix(h ^ w[0]);
  h = mix(h ^ w[1] ^ static_cast<std::uint64_t>(a.family()));
  return h;
}

std::string pathName(const Address& from, const Address& to) {
  return from.toString() + "->" + to.toString();
}

bool contains(const std::vector<Address>& v, const Address& a) {
  return std::find(v.begin(), v.end(), a) != v.end();
}

bool crosses(const Partition& p, const Address& from, const Address& to) {
  if (contains(p.side_a, from) && contains(p.side_b, to)) return true;
  return !p.one_way && contains(p.side_b, from) && contains(p.side_a, to);
}

}  // namespace

std::uint64_t NetworkStats::droppedTotal() const {
  std::uint64_t n = 0;
  for (std::uint64_t d : dropped) n += d;
  return n;
}

std::size_t Network::PathKeyHash::operator()(const std::pair<Address, Address>& k) const {
  return hashAddress(k.second, hashAddress(k.first, 0x9e3779b97f4a7c15ull));
}

std::size_t Network::EndpointHash::operator()(const Endpoint& e) const {
  return mix(hashAddress(e.address, 0x2545f4914f6cdd1dull) ^ e.port);
}

Network::Network(std::uint64_t seed, NetworkOptions options)
    : seed_(seed), options_(options), scheduler_(options.max_pending_events) {
  if (options_.ephemeral_port_first == 0) options_.ephemeral_port_first = 1;
  if (options_.ephemeral_port_last < options_.ephemeral_port_first) {
    options_.ephemeral_port_last = options_.ephemeral_port_first;
  }
  if (options_.default_rcvbuf_datagrams == 0) options_.default_rcvbuf_datagrams = 1;
}

Network::~Network() = default;

// ---------------------------------------------------------------- configuration

Result<HostId> Network::addHost(const std::string& name, const std::vector<Address>& addresses) {
  if (addresses.empty()) return Error{"host " + name + ": needs at least one address"};
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const Address& a = addresses[i];
    if (knownAddress(a) || std::find(addresses.begin(), addresses.begin() + static_cast<std::ptrdiff_t>(i), a) !=
                               addresses.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Error{"host " + name + ": address " + a.toString() + " is already in use"};
    }
  }
  const auto id = static_cast<HostId>(host_names_.size());
  host_names_.push_back(name);
  next_ephemeral_.push_back(options_.ephemeral_port_first);
  for (const Address& a : addresses) host_of_.emplace(a, id);
  return id;
}

Status Network::setDefaultLink(const LinkModel& model) {
  Status s = validateLinkModel(model, "default link");
  if (!s.ok()) return s;
  default_link_ = model;
  refreshPaths();
  return s;
}

Status Network::setLink(const Address& from, const Address& to, const LinkModel& model) {
  const std::string where = "link " + pathName(from, to);
  if (!knownAddress(from)) return Error{where + ": unknown host address " + from.toString()};
  if (!knownAddress(to)) return Error{where + ": unknown host address " + to.toString()};
  if (from.family() != to.family()) return Error{where + ": address families differ"};
  if (from == to) return Error{where + ": a link needs two different addresses"};
  Status s = validateLinkModel(model, where);
  if (!s.ok()) return s;
  link_overrides_[{from, to}] = model;
  refreshPaths();
  return s;
}

const LinkModel& Network::modelFor(const Address& from, const Address& to) const {
  const auto it = link_overrides_.find({from, to});
  return it == link_overrides_.end() ? default_link_ : it->second;
}

void Network::refreshPaths() {
  for (auto& p : paths_) p->setModel(modelFor(p->from, p->to));
}

Status Network::addPartition(const Partition& p) {
  if (p.side_a.empty() || p.side_b.empty()) return Error{"partition: side_a and side_b must not be empty"};
  for (const auto* side : {&p.side_a, &p.side_b}) {
    for (const Address& a : *side) {
      if (!knownAddress(a)) return Error{"partition: unknown host address " + a.toString()};
    }
  }
  if (p.from_us < 0) return Error{"partition: from_us " + std::to_string(p.from_us) + " is negative"};
  if (p.until_us <= p.from_us) {
    return Error{"partition: empty time window [" + std::to_string(p.from_us) + ", " +
                 std::to_string(p.until_us) + ")"};
  }
  partitions_.push_back(p);
  return {};
}

Status Network::addRule(const FaultRule& rule) {
  const std::string where = "rule '" + rule.name + "'";
  const RuleMatch& m = rule.match;
  for (const auto* a : {&m.source, &m.destination}) {
    if (*a && !knownAddress(**a)) return Error{where + ": unknown host address " + (*a)->toString()};
  }
  if (m.from_us < 0) return Error{where + ": from_us " + std::to_string(m.from_us) + " is negative"};
  if (m.until_us <= m.from_us) {
    return Error{where + ": empty time window [" + std::to_string(m.from_us) + ", " +
                 std::to_string(m.until_us) + ") can never match"};
  }
  if (m.occurrence && *m.occurrence == 0) return Error{where + ": occurrence 0 can never match (it is 1-based)"};
  if (m.epoch && !m.label) return Error{where + ": epoch " + std::to_string(*m.epoch) + " needs a label"};
  if (m.label && m.label->empty()) return Error{where + ": empty label can never match"};
  const RuleAction& a = rule.action;
  using K = RuleAction::Kind;
  if (a.kind == K::kDuplicate && (a.count == 0 || a.count > kMaxDuplicateCopies)) {
    return Error{where + ": duplicate count " + std::to_string(a.count) + " is outside [1, " +
                 std::to_string(kMaxDuplicateCopies) + "]"};
  }
  if (a.kind == K::kCorrupt && a.count == 0) return Error{where + ": corrupt count 0 flips nothing"};
  if (a.kind == K::kCorrupt && a.count > kMaxCorruptBitFlips) {
    return Error{where + ": corrupt count " + std::to_string(a.count) + " is above " +
                 std::to_string(kMaxCorruptBitFlips)};
  }
  if (a.kind == K::kDelay && a.delay_us < 0) {
    return Error{where + ": delay_us " + std::to_string(a.delay_us) + " is negative"};
  }
  if (a.kind == K::kHold && a.hold_until_us < 0) {
    return Error{where + ": hold_until_us " + std::to_string(a.hold_until_us) + " is negative"};
  }
  rules_.push_back({rule, 0});
  if (m.label) rules_use_labels_ = true;
  return {};
}

// ---------------------------------------------------------------- sockets

Result<SocketId> Network::bind(const Address& local, std::uint16_t port, std::uint32_t rcvbuf_datagrams) {
  const auto host = host_of_.find(local);
  if (host == host_of_.end()) return Error{"bind: " + local.toString() + " is not an address of any host"};
  if (port == 0) {
    const std::uint32_t first = options_.ephemeral_port_first, last = options_.ephemeral_port_last;
    std::uint32_t& next = next_ephemeral_[host->second];
    for (std::uint32_t tries = 0; tries <= last - first; ++tries) {
      const auto candidate = static_cast<std::uint16_t>(next);
      next = next >= last ? first : next + 1;
      if (bound_.count(Endpoint{local, candidate}) == 0) {
        port = candidate;
        break;
      }
    }
    if (port == 0) return Error{"bind: no free ephemeral port on " + local.toString()};
  } else if (bound_.count(Endpoint{local, port}) != 0) {
    return Error{"bind: " + Endpoint{local, port}.toString() + " is already in use"};
  }
  const std::uint32_t capacity = std::min<std::uint32_t>(
      rcvbuf_datagrams == 0 ? options_.default_rcvbuf_datagrams : rcvbuf_datagrams, 1u << 20);
  const auto id = static_cast<SocketId>(sockets_.size());
  Socket& s = sockets_.emplace_back();
  s.host = host->second;
  s.local = Endpoint{local, port};
  s.ring.assign(capacity, 0);
  bound_.emplace(s.local, id);
  ++bind_generation_;
  return id;
}

bool Network::close(SocketId socket) {
  if (socket >= sockets_.size() || !sockets_[socket].open) return false;
  Socket& s = sockets_[socket];
  for (; s.count > 0; --s.count) {
    freePacket(s.ring[s.head]);
    s.head = (s.head + 1) % s.ring.size();
  }
  s.open = false;
  // The callback is kept (never called again): close() may run inside it.
  bound_.erase(s.local);
  ++bind_generation_;
  return true;
}

Endpoint Network::localEndpoint(SocketId socket) const {
  return socket < sockets_.size() ? sockets_[socket].local : Endpoint{};
}

void Network::setReceiveCallback(SocketId socket, std::function<void(SocketId)> on_readable) {
  if (socket >= sockets_.size()) return;
  sockets_[socket].on_readable = std::move(on_readable);
  ++sockets_[socket].callback_generation;
}

bool Network::receive(SocketId socket, Datagram& out) {
  if (socket >= sockets_.size()) return false;
  Socket& s = sockets_[socket];
  if (s.count == 0) return false;
  const std::uint32_t slot = s.ring[s.head];
  s.head = (s.head + 1) % s.ring.size();
  --s.count;
  Packet& p = packets_[slot];
  out.source = p.source;
  out.destination = p.destination;
  out.bytes.swap(p.bytes);  // the caller's old buffer becomes the slot's, no allocation
  out.datagram_id = p.id;
  out.copy = p.copy;
  freePacket(slot);
  return true;
}

std::size_t Network::pendingDatagrams(SocketId socket) const {
  return socket < sockets_.size() ? sockets_[socket].count : 0;
}

std::uint32_t Network::allocPacket() {
  if (!free_packets_.empty()) {
    const std::uint32_t slot = free_packets_.back();
    free_packets_.pop_back();
    return slot;
  }
  packets_.emplace_back();
  return static_cast<std::uint32_t>(packets_.size() - 1);
}

void Network::freePacket(std::uint32_t slot) { free_packets_.push_back(slot); }

Network::PathState& Network::pathFor(Socket& s, const Address& to) {
  if (s.cache_path != UINT32_MAX && s.cache_to == to) return *paths_[s.cache_path];
  const std::pair<Address, Address> key{s.local.address, to};
  auto it = path_index_.find(key);
  if (it == path_index_.end()) {
    auto p = std::make_unique<PathState>();
    p->from = key.first;
    p->to = key.second;
    p->self = static_cast<std::uint32_t>(paths_.size());
    p->setModel(modelFor(key.first, key.second));
    const std::string prefix = "link:" + pathName(key.first, key.second) + ":";
    p->loss = Prng::forStream(seed_, prefix + "loss");
    p->burst = Prng::forStream(seed_, prefix + "burst");
    p->duplicate = Prng::forStream(seed_, prefix + "duplicate");
    p->jitter = Prng::forStream(seed_, prefix + "jitter");
    p->reorder = Prng::forStream(seed_, prefix + "reorder");
    p->corrupt = Prng::forStream(seed_, prefix + "corrupt");
    p->truncate = Prng::forStream(seed_, prefix + "truncate");
    paths_.push_back(std::move(p));
    it = path_index_.emplace(key, static_cast<std::uint32_t>(paths_.size() - 1)).first;
  }
  s.cache_to = to;
  s.cache_path = it->second;
  return *paths_[it->second];
}

// ---------------------------------------------------------------- send path

SendResult Network::sendTo(SocketId socket, const Endpoint& destination, std::span<const std::uint8_t> bytes) {
  if (socket >= sockets_.size() || !sockets_[socket].open) return {SendStatus::kBadSocket, 0};
  Socket& s = sockets_[socket];
  if (bytes.size() > kMaxUdpPayloadBytes) return {SendStatus::kTooLarge, 0};
  if (destination.port == 0 || destination.address.family() != s.local.address.family()) {
    return {SendStatus::kBadDestination, 0};
  }
  const std::uint64_t id = next_datagram_id_++;
  ++stats_.sent;
  PathState& path = pathFor(s, destination.address);
  const std::uint64_t index = path.sent++;
  const Endpoint source = s.local;
  emit(EventKind::kSend, id, 0, source, destination, static_cast<std::uint32_t>(bytes.size()));

  if (replaying_) {
    const auto it = replay_log_.find(id);
    if (it != replay_log_.end()) return apply(it->second, path, id, source, destination, bytes);
    scratch_.dropped.reset();
    scratch_.copies.resize(1);
    scratch_.copies[0] = CopyDecision{path.model.latency_us, std::nullopt, {}};
    return apply(scratch_, path, id, source, destination, bytes);
  }
  decide(path, index, bytes, scratch_);
  if (recording_) {
    const bool clean = !scratch_.dropped && scratch_.copies.size() == 1 &&
                       scratch_.copies[0].delay_us == path.model.latency_us &&
                       !scratch_.copies[0].truncate_to_bytes && scratch_.copies[0].flipped_bits.empty();
    if (!clean) recorded_[id] = scratch_;
  }
  return apply(scratch_, path, id, source, destination, bytes);
}

DurationUs Network::drawJitter(PathState& path) {
  const JitterModel& j = path.model.jitter;
  const double bound = static_cast<double>(j.jitter_max_us);
  double v = 0;
  switch (j.kind) {
    case JitterModel::Kind::kNone:
      return 0;
    case JitterModel::Kind::kUniform: {
      const DurationUs w = std::min(j.jitter_us, j.jitter_max_us);
      return path.jitter.between(-w, w);
    }
    case JitterModel::Kind::kNormal:
      v = path.jitter.normal(0.0, static_cast<double>(j.jitter_us));
      break;
    case JitterModel::Kind::kPareto:
      v = path.jitter.pareto(static_cast<double>(j.jitter_us), j.pareto_shape);
      break;
  }
  v = std::clamp(v, -bound, bound);  // also keeps llround in range
  return static_cast<DurationUs>(std::llround(v));
}

void Network::decide(PathState& path, std::uint64_t index, std::span<const std::uint8_t> bytes,
                     DatagramDecision& d) {
  d.dropped.reset();
  d.copies.clear();
  const LinkModel& m = path.model;
  const TimeUs now = now_us();
  const auto size = static_cast<std::uint32_t>(bytes.size());
  if (size > m.mtu_bytes) {
    d.dropped = DropReason::kMtu;
    return;
  }
  const bool faulty = now < faults_stop_us_;
  TimeUs hold_until = now;
  for (const Partition& p : partitions_) {
    if (!faulty) break;
    if (now < p.from_us || now >= p.until_us || !crosses(p, path.from, path.to)) continue;
    if (p.mode == Partition::Mode::kDrop) {
      d.dropped = DropReason::kPartition;
      return;
    }
    hold_until = std::max(hold_until, p.until_us);
  }
  RuleEffects fx;
  if (faulty && !rules_.empty()) {
    applyRules(path, index, bytes, fx);
    if (fx.would_block) {
      d.dropped = DropReason::kSndBuf;
      return;
    }
    if (fx.drop) {
      d.dropped = DropReason::kRule;
      return;
    }
    hold_until = std::max(hold_until, fx.hold_until_us);
  }
  DurationUs queue_delay = 0;
  if (m.bandwidth_bytes_per_second > 0) {
    // Bytes still waiting = remaining busy time * rate; the queue holds what is not yet sent.
    const TimeUs backlog_us = std::max<TimeUs>(0, path.busy_until_us - now);
    const auto backlog_bytes = static_cast<U128>(backlog_us) * m.bandwidth_bytes_per_second / 1'000'000;
    if (backlog_bytes + size > m.queue_capacity_bytes) {
      d.dropped = DropReason::kQueue;
      return;
    }
    const auto tx_us = static_cast<DurationUs>(
        (static_cast<U128>(size) * 1'000'000 + m.bandwidth_bytes_per_second - 1) /
        m.bandwidth_bytes_per_second);
    path.busy_until_us = std::max(now, path.busy_until_us) + tx_us;
    queue_delay = path.busy_until_us - now;
  }
  if (!faulty) {
    d.copies.assign(1, CopyDecision{m.latency_us + queue_delay, std::nullopt, {}});
    return;
  }
  if (m.burst_loss.enabled) {
    // netem loss_gilb_ell: decide with the current state, then transition.
    const bool lost = path.burst.chance(path.ge_bad ? path.ge_bad_t : path.ge_good_t);
    if (path.ge_bad) {
      if (path.burst.chance(path.ge_r_t)) path.ge_bad = false;
    } else if (path.burst.chance(path.ge_p_t)) {
      path.ge_bad = true;
    }
    if (lost) {
      d.dropped = DropReason::kBurst;
      return;
    }
  }
  if (path.loss_t != 0 && path.loss.chance(path.loss_t)) {
    d.dropped = DropReason::kLoss;
    return;
  }
  std::uint32_t copies = 1 + fx.extra_copies;
  if (path.duplicate_t != 0 && path.duplicate.chance(path.duplicate_t)) copies += m.duplicate_copies;
  copies = std::min(copies, 1 + kMaxDuplicateCopies);
  d.copies.resize(copies);
  for (CopyDecision& c : d.copies) {
    DurationUs delay = m.latency_us + drawJitter(path) + queue_delay + (hold_until - now) + fx.delay_us;
    if (path.reorder_t != 0 && path.reorder.chance(path.reorder_t)) {
      delay += m.reorder_extra_delay_us;
      ++stats_.reordered;
    }
    c.delay_us = std::max<DurationUs>(0, delay);
    std::uint32_t len = size;
    if (path.truncate_t != 0 && size > 0 && path.truncate.chance(path.truncate_t)) {
      len = static_cast<std::uint32_t>(path.truncate.below(size));
      c.truncate_to_bytes = len;
    }
    if (fx.truncate_to && *fx.truncate_to < len) {
      len = *fx.truncate_to;
      c.truncate_to_bytes = len;
    }
    std::uint32_t bits = fx.corrupt_bits;
    if (path.corrupt_t != 0 && path.corrupt.chance(path.corrupt_t)) bits += m.corrupt_bit_flips;
    bits = std::min({bits, kMaxCorruptBitFlips, len * 8});
    while (c.flipped_bits.size() < bits) {
      const auto bit = static_cast<std::uint32_t>(path.corrupt.below(std::uint64_t{len} * 8));
      if (std::find(c.flipped_bits.begin(), c.flipped_bits.end(), bit) == c.flipped_bits.end()) {
        c.flipped_bits.push_back(bit);
      }
    }
  }
}

void Network::applyRules(const PathState& path, std::uint64_t index, std::span<const std::uint8_t> bytes,
                         RuleEffects& fx) {
  const TimeUs now = now_us();
  bool classified = false;
  for (RuleState& rs : rules_) {
    const RuleMatch& m = rs.rule.match;
    if (now < m.from_us || now >= m.until_us) continue;
    const bool forward = (!m.source || *m.source == path.from) && (!m.destination || *m.destination == path.to);
    const bool backward = m.both_directions && (!m.source || *m.source == path.to) &&
                          (!m.destination || *m.destination == path.from);
    if (!forward && !backward) continue;
    if (m.path_index && *m.path_index != index) continue;
    if (m.label) {
      if (!classifier_) continue;
      if (!classified) {
        labels_.clear();
        classifier_(bytes, labels_);
        classified = true;
      }
      const bool hit = std::any_of(labels_.begin(), labels_.end(), [&](const Label& l) {
        return l.name == *m.label && (!m.epoch || l.epoch == m.epoch);
      });
      if (!hit) continue;
    }
    ++rs.matches;
    if (m.occurrence && rs.matches != *m.occurrence) continue;
    const RuleAction& a = rs.rule.action;
    switch (a.kind) {
      case RuleAction::Kind::kDrop: fx.drop = true; break;
      case RuleAction::Kind::kWouldBlock: fx.would_block = true; break;
      case RuleAction::Kind::kDuplicate: fx.extra_copies += a.count; break;
      case RuleAction::Kind::kDelay: fx.delay_us += a.delay_us; break;
      case RuleAction::Kind::kCorrupt: fx.corrupt_bits += a.count; break;
      case RuleAction::Kind::kTruncate:
        fx.truncate_to = std::min(fx.truncate_to.value_or(a.truncate_to_bytes), a.truncate_to_bytes);
        break;
      case RuleAction::Kind::kHold: fx.hold_until_us = std::max(fx.hold_until_us, a.hold_until_us); break;
    }
  }
}

SendResult Network::apply(const DatagramDecision& d, const PathState& path, std::uint64_t id,
                          const Endpoint& src, const Endpoint& dst, std::span<const std::uint8_t> bytes) {
  const auto size = static_cast<std::uint32_t>(bytes.size());
  if (d.dropped) {
    ++stats_.dropped[static_cast<int>(*d.dropped)];
    emit(EventKind::kDrop, id, 0, src, dst, size, 0, *d.dropped);
    if (*d.dropped == DropReason::kMtu && path.model.report_mtu_to_sender)
      return {SendStatus::kMessageTooLarge, id, path.model.mtu_bytes};
    if (*d.dropped == DropReason::kSndBuf) return {SendStatus::kWouldBlock, id};
    return {SendStatus::kSent, id};
  }
  if (d.copies.size() > 1) {
    stats_.duplicated += d.copies.size() - 1;
    emit(EventKind::kDuplicate, id, 0, src, dst, size, static_cast<std::int64_t>(d.copies.size() - 1));
  }
  const TimeUs now = now_us();
  for (std::uint32_t i = 0; i < d.copies.size(); ++i) {
    const CopyDecision& c = d.copies[i];
    const std::uint32_t slot = allocPacket();
    Packet& p = packets_[slot];
    p.id = id;
    p.copy = i;
    p.path = path.self;
    p.source = src;
    p.destination = dst;
    p.bytes.assign(bytes.begin(), bytes.end());
    if (c.truncate_to_bytes && *c.truncate_to_bytes < p.bytes.size()) {
      p.bytes.resize(*c.truncate_to_bytes);
      ++stats_.truncated;
      emit(EventKind::kTruncate, id, i, src, dst, *c.truncate_to_bytes, *c.truncate_to_bytes);
    }
    std::int64_t flipped = 0;
    for (std::uint32_t bit : c.flipped_bits) {
      if (bit / 8 >= p.bytes.size()) continue;  // an edited log may name bits past the end
      p.bytes[bit / 8] = static_cast<std::uint8_t>(p.bytes[bit / 8] ^ (1u << (bit % 8)));
      ++flipped;
    }
    const auto copy_size = static_cast<std::uint32_t>(p.bytes.size());
    if (flipped > 0) {
      ++stats_.corrupted;
      emit(EventKind::kCorrupt, id, i, src, dst, copy_size, flipped, DropReason::kLoss, c.flipped_bits);
    }
    const DurationUs delay = std::max<DurationUs>(0, c.delay_us);
    emit(EventKind::kDelay, id, i, src, dst, copy_size, delay);
    if (delay > kTimeNever - now || !scheduler_.scheduleAt(now + delay, this, slot)) {
      ++stats_.dropped[static_cast<int>(DropReason::kOverload)];
      emit(EventKind::kDrop, id, i, src, dst, copy_size, 0, DropReason::kOverload);
      freePacket(slot);
    }
  }
  return {SendStatus::kSent, id};
}

// ---------------------------------------------------------------- arrival

void Network::onEvent(std::uint64_t token) {
  const auto slot = static_cast<std::uint32_t>(token);
  Packet& p = packets_[slot];
  const auto size = static_cast<std::uint32_t>(p.bytes.size());
  PathState& path = *paths_[p.path];
  if (path.dst_generation != bind_generation_ || path.dst_port != p.destination.port) {
    const auto it = bound_.find(p.destination);
    path.dst_socket = it == bound_.end() ? UINT32_MAX : it->second;
    path.dst_port = p.destination.port;
    path.dst_generation = bind_generation_;
  }
  if (path.dst_socket == UINT32_MAX) {
    ++stats_.dropped[static_cast<int>(DropReason::kNoListener)];
    emit(EventKind::kDrop, p.id, p.copy, p.source, p.destination, size, 0, DropReason::kNoListener);
    freePacket(slot);
    return;
  }
  const SocketId sid = path.dst_socket;
  Socket& s = sockets_[sid];
  if (s.count == s.ring.size()) {
    ++stats_.dropped[static_cast<int>(DropReason::kRcvBuf)];
    emit(EventKind::kDrop, p.id, p.copy, p.source, p.destination, size, 0, DropReason::kRcvBuf);
    freePacket(slot);
    return;
  }
  s.ring[(s.head + s.count) % s.ring.size()] = slot;
  ++s.count;
  ++stats_.delivered;
  emit(EventKind::kDeliver, p.id, p.copy, p.source, p.destination, size);
  if (!s.on_readable) return;
  // Move the callback out while it runs so it may replace itself or close the socket safely.
  std::function<void(SocketId)> cb = std::move(s.on_readable);
  s.on_readable = nullptr;
  const std::uint64_t generation = s.callback_generation;
  cb(sid);
  Socket& after = sockets_[sid];
  if (after.callback_generation == generation) after.on_readable = std::move(cb);
}

void Network::emit(EventKind kind, std::uint64_t id, std::uint32_t copy, const Endpoint& src,
                   const Endpoint& dst, std::uint32_t size, std::int64_t value, DropReason reason,
                   std::span<const std::uint32_t> bits) {
  if (observer_ == nullptr) return;
  NetEvent e;
  e.kind = kind;
  e.time_us = now_us();
  e.datagram_id = id;
  e.copy = copy;
  e.source = src;
  e.destination = dst;
  e.size_bytes = size;
  e.reason = reason;
  e.value = value;
  e.flipped_bits = bits;
  observer_->onEvent(e);
}

void Network::replay(DecisionLog log) {
  replay_log_ = std::move(log);
  replaying_ = true;
}

}  // namespace simnet
