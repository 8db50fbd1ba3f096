// The network section of a scenario -> simnet::Network configuration.

#include "scenarios/network_config.h"

#include <limits>
#include <map>

namespace scenarios {
namespace {

simnet::TimeUs msToUs(std::uint64_t ms) {
  // Validated scenarios keep every time <= kMaxVirtualTimeMs; clamp anything else.
  return static_cast<simnet::TimeUs>(std::min<std::uint64_t>(ms, kMaxVirtualTimeMs)) * simnet::kMillisecondUs;
}

simnet::DurationUs usBounded(std::uint64_t us) {
  return static_cast<simnet::DurationUs>(std::min<std::uint64_t>(us, kMaxDelayUs));
}

std::string field(const std::string& parent, int index, const std::string& name) {
  return parent + "[" + std::to_string(index) + "]" + (name.empty() ? "" : "." + name);
}

// The address of the endpoint named by the field at `path`.
bool addressOfName(const LoadedScenario& loaded, const std::string& path, const std::string& name,
                   simnet::Address* out, std::string* error) {
  const int index = loaded.findEndpoint(name);
  if (index < 0) {
    if (error != nullptr) *error = loaded.errorAt(path, "no endpoint named '" + name + "'");
    return false;
  }
  const auto address = toSimAddress(loaded.scenario.endpoints(index).address());
  if (!address) {
    if (error != nullptr) {
      *error = loaded.errorAt(field("endpoints", index, "address"),
                              "'" + loaded.scenario.endpoints(index).address() + "' is not an IPv4 or IPv6 address");
    }
    return false;
  }
  *out = *address;
  return true;
}

bool addressesOf(const LoadedScenario& loaded, const std::string& path,
                 const google::protobuf::RepeatedPtrField<std::string>& names,
                 std::vector<simnet::Address>* out, std::string* error) {
  out->clear();
  for (int i = 0; i < names.size(); ++i) {
    simnet::Address a;
    if (!addressOfName(loaded, path + "[" + std::to_string(i) + "]", names.Get(i), &a, error)) return false;
    out->push_back(a);
  }
  return true;
}

simnet::RuleAction::Kind toActionKind(dtlsim::Rule::Action action) {
  switch (action) {
    case dtlsim::Rule::DROP: return simnet::RuleAction::Kind::kDrop;
    case dtlsim::Rule::DUPLICATE: return simnet::RuleAction::Kind::kDuplicate;
    case dtlsim::Rule::DELAY: return simnet::RuleAction::Kind::kDelay;
    case dtlsim::Rule::CORRUPT: return simnet::RuleAction::Kind::kCorrupt;
    case dtlsim::Rule::TRUNCATE: return simnet::RuleAction::Kind::kTruncate;
    case dtlsim::Rule::HOLD: return simnet::RuleAction::Kind::kHold;
    case dtlsim::Rule::WOULD_BLOCK: return simnet::RuleAction::Kind::kWouldBlock;
    default: break;
  }
  return simnet::RuleAction::Kind::kDrop;
}

simnet::JitterModel::Kind toJitterKind(dtlsim::Jitter::Kind kind) {
  switch (kind) {
    case dtlsim::Jitter::UNIFORM: return simnet::JitterModel::Kind::kUniform;
    case dtlsim::Jitter::NORMAL: return simnet::JitterModel::Kind::kNormal;
    case dtlsim::Jitter::PARETO: return simnet::JitterModel::Kind::kPareto;
    default: break;
  }
  return simnet::JitterModel::Kind::kNone;
}

// simnet's message after the scenario position of the call that failed.
bool simnetFailed(const LoadedScenario& loaded, const std::string& path, const simnet::Status& status,
                  std::string* error) {
  if (error != nullptr) *error = loaded.errorAt(path, status.message());
  return false;
}

}  // namespace

std::optional<simnet::Address> toSimAddress(const std::string& text) {
  std::string_view t = text;
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  return simnet::Address::parse(t);
}

simnet::Address endpointAddress(const LoadedScenario& loaded, int endpoint_index) {
  return toSimAddress(loaded.scenario.endpoints(endpoint_index).address()).value_or(simnet::Address{});
}

simnet::LinkModel toLinkModel(const dtlsim::Link& link) {
  simnet::LinkModel m;
  m.latency_us = usBounded(link.latency_us());
  m.jitter.kind = toJitterKind(link.jitter().kind());
  m.jitter.jitter_us = usBounded(link.jitter().jitter_us());
  m.jitter.pareto_shape = link.jitter().pareto_shape() == 0 ? 2.0 : link.jitter().pareto_shape();
  m.loss_probability = link.loss_probability();
  if (link.has_burst_loss()) {
    m.burst_loss.enabled = true;
    m.burst_loss.p_good_to_bad = link.burst_loss().p_good_to_bad();
    m.burst_loss.r_bad_to_good = link.burst_loss().r_bad_to_good();
    m.burst_loss.bad_loss_probability = link.burst_loss().bad_loss_probability();
    m.burst_loss.good_loss_probability = link.burst_loss().good_loss_probability();
  }
  m.duplicate_probability = link.duplicate_probability();
  m.duplicate_copies = link.duplicate_copies() == 0 ? 1 : link.duplicate_copies();
  m.reorder_probability = link.reorder_probability();
  m.reorder_extra_delay_us = usBounded(link.reorder_extra_delay_us());
  m.corrupt_probability = link.corrupt_probability();
  m.corrupt_bit_flips = link.corrupt_bit_flips() == 0 ? 1 : link.corrupt_bit_flips();
  m.truncate_probability = link.truncate_probability();
  m.mtu_bytes = link.mtu_bytes() == 0 ? 65535 : link.mtu_bytes();
  m.report_mtu_to_sender = link.report_mtu_to_sender();
  m.bandwidth_bytes_per_second = link.bandwidth_bytes_per_second();
  m.queue_capacity_bytes = link.queue_capacity_bytes() == 0 ? 64 * 1024 : link.queue_capacity_bytes();
  return m;
}

bool toPartition(const LoadedScenario& loaded, int index, simnet::Partition* out, std::string* error) {
  const dtlsim::Partition& p = loaded.scenario.network().partitions(index);
  const std::string path = field("network.partitions", index, "");
  simnet::Partition result;
  if (!addressesOf(loaded, path + ".side_a", p.side_a(), &result.side_a, error) ||
      !addressesOf(loaded, path + ".side_b", p.side_b(), &result.side_b, error)) {
    return false;
  }
  result.from_us = msToUs(p.from_ms());
  result.until_us = p.until_ms() == 0 ? simnet::kTimeNever : msToUs(p.until_ms());
  result.one_way = p.one_way();
  result.mode = p.clog() ? simnet::Partition::Mode::kClog : simnet::Partition::Mode::kDrop;
  *out = std::move(result);
  return true;
}

bool toFaultRule(const LoadedScenario& loaded, int index, simnet::FaultRule* out, std::string* error) {
  const dtlsim::Rule& r = loaded.scenario.network().rules(index);
  const std::string path = field("network.rules", index, "");
  simnet::FaultRule rule;
  rule.name = r.name().empty() ? "rules[" + std::to_string(index) + "]" : r.name();
  if (!r.from().empty()) {
    simnet::Address a;
    if (!addressOfName(loaded, path + ".from", r.from(), &a, error)) return false;
    rule.match.source = a;
  }
  if (!r.to().empty()) {
    simnet::Address a;
    if (!addressOfName(loaded, path + ".to", r.to(), &a, error)) return false;
    rule.match.destination = a;
  }
  rule.match.both_directions = r.both_directions();
  if (r.path_index() != 0) rule.match.path_index = r.path_index() - 1;
  rule.match.from_us = msToUs(r.from_ms());
  rule.match.until_us = r.until_ms() == 0 ? simnet::kTimeNever : msToUs(r.until_ms());
  if (!r.label().empty()) rule.match.label = r.label();
  if (r.match_epoch()) {
    if (r.epoch() < 0 || r.epoch() > std::numeric_limits<std::uint16_t>::max()) {
      if (error != nullptr) *error = loaded.errorAt(path + ".epoch", std::to_string(r.epoch()) + " is outside [0, 65535]");
      return false;
    }
    rule.match.epoch = static_cast<std::uint16_t>(r.epoch());
  }
  if (r.occurrence() != 0) rule.match.occurrence = r.occurrence();
  rule.action.kind = toActionKind(r.action());
  rule.action.count = r.count() == 0 ? 1 : r.count();
  rule.action.delay_us = usBounded(r.delay_us());
  rule.action.truncate_to_bytes = r.truncate_to_bytes();
  rule.action.hold_until_us = msToUs(r.hold_until_ms());
  *out = std::move(rule);
  return true;
}

bool configureNetwork(const LoadedScenario& loaded, simnet::Network& net, std::string* error,
                      std::vector<simnet::HostId>* host_ids) {
  const dtlsim::Scenario& s = loaded.scenario;
  // One host per distinct address, named after its endpoints ("a" or "a+b").
  std::map<simnet::Address, std::string> names;
  std::vector<simnet::Address> order;
  for (int i = 0; i < s.endpoints_size(); ++i) {
    const auto address = toSimAddress(s.endpoints(i).address());
    if (!address) {
      if (error != nullptr) {
        *error = loaded.errorAt(field("endpoints", i, "address"),
                                "'" + s.endpoints(i).address() + "' is not an IPv4 or IPv6 address");
      }
      return false;
    }
    auto [it, inserted] = names.emplace(*address, s.endpoints(i).name());
    if (inserted) {
      order.push_back(*address);
    } else {
      it->second += "+" + s.endpoints(i).name();
    }
  }
  std::map<simnet::Address, simnet::HostId> hosts;
  for (const simnet::Address& address : order) {
    const auto host = net.addHost(names[address], {address});
    if (!host.ok()) return simnetFailed(loaded, "endpoints", host.status(), error);
    hosts[address] = host.value();
  }
  if (host_ids != nullptr) {
    host_ids->clear();
    for (int i = 0; i < s.endpoints_size(); ++i) host_ids->push_back(hosts[endpointAddress(loaded, i)]);
  }
  return configureLinksAndFaults(loaded, net, error);
}

bool configureLinksAndFaults(const LoadedScenario& loaded, simnet::Network& net, std::string* error) {
  const dtlsim::Scenario& s = loaded.scenario;
  if (const auto st = net.setDefaultLink(toLinkModel(s.network().default_link())); !st.ok()) {
    return simnetFailed(loaded, "network.default_link", st, error);
  }
  for (int i = 0; i < s.network().links_size(); ++i) {
    const dtlsim::LinkOverride& o = s.network().links(i);
    const std::string path = field("network.links", i, "");
    simnet::Address from;
    simnet::Address to;
    if (!addressOfName(loaded, path + ".from", o.from(), &from, error) ||
        !addressOfName(loaded, path + ".to", o.to(), &to, error)) {
      return false;
    }
    if (const auto st = net.setLink(from, to, toLinkModel(o.link())); !st.ok()) {
      return simnetFailed(loaded, path, st, error);
    }
  }
  for (int i = 0; i < s.network().partitions_size(); ++i) {
    simnet::Partition p;
    if (!toPartition(loaded, i, &p, error)) return false;
    if (const auto st = net.addPartition(p); !st.ok()) {
      return simnetFailed(loaded, field("network.partitions", i, ""), st, error);
    }
  }
  for (int i = 0; i < s.network().rules_size(); ++i) {
    simnet::FaultRule r;
    if (!toFaultRule(loaded, i, &r, error)) return false;
    if (const auto st = net.addRule(r); !st.ok()) {
      return simnetFailed(loaded, field("network.rules", i, ""), st, error);
    }
  }
  return true;
}

}  // namespace scenarios
