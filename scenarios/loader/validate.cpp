// validateScenario: every rule listed in scenario_file.h, each error at its field's position.

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "dtls/backend.h"
#include "dtls/cipher.h"
#include "dtls/host_address.h"
#include "dtls/wire/describe.h"
#include "scenarios/decisions_io.h"
#include "scenarios/endpoint_config.h"
#include "scenarios/library_range.h"
#include "scenarios/network_config.h"
#include "scenarios/scenario_file.h"
#include "simnet/link_model.h"

namespace scenarios {
namespace {

std::string str(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string idx(const std::string& parent, int i) { return parent + "[" + std::to_string(i) + "]"; }

// Carries the scenario and the first error; every check returns false once it failed.
class Validator {
 public:
  explicit Validator(const LoadedScenario& loaded) : loaded_(loaded), s_(loaded.scenario) {}

  bool run(std::string* error) {
    error_ = error;
    return top() && endpoints() && network() && actions() && expectations() && explicitFaults();
  }
  bool runNetwork(std::string* error) {
    error_ = error;
    return network();
  }

 private:
  bool fail(const std::string& path, const std::string& message) {
    if (error_ != nullptr) *error_ = loaded_.errorAt(path, message);
    return false;
  }

  bool probability(const std::string& path, double p) {
    if (std::isnan(p)) return fail(path, "NaN is not a probability");
    if (p < 0 || p > 1) return fail(path, str(p) + " is outside [0, 1]");
    return true;
  }
  bool delayUs(const std::string& path, std::uint64_t us) {
    if (us > kMaxDelayUs) {
      return fail(path, std::to_string(us) + " us is more than " + std::to_string(kMaxDelayUs) + " (one hour)");
    }
    return true;
  }
  bool timeMs(const std::string& path, std::uint64_t ms) {
    if (ms > kMaxVirtualTimeMs) {
      return fail(path, std::to_string(ms) + " ms is more than " + std::to_string(kMaxVirtualTimeMs) + " (one hour)");
    }
    return true;
  }
  // A time that must fall inside the run.
  bool runTimeMs(const std::string& path, std::uint64_t ms) {
    if (ms > maxTimeMs()) {
      return fail(path, std::to_string(ms) + " ms is after the end of the run (max_virtual_time_ms " +
                            std::to_string(maxTimeMs()) + ")");
    }
    return true;
  }
  std::uint64_t maxTimeMs() const { return static_cast<std::uint64_t>(maxVirtualTimeUs(s_) / 1000); }

  bool mtu(const std::string& path, std::uint32_t bytes) {
    if (bytes != 0 && (bytes < kMinMtuBytes || bytes > 65535)) {
      return fail(path, std::to_string(bytes) + " is outside [" + std::to_string(kMinMtuBytes) +
                            ", 65535] (0 means no limit)");
    }
    return true;
  }

  // The endpoint named `name`, written at `path`.
  bool endpointName(const std::string& path, const std::string& name, int* index = nullptr) {
    if (name.empty()) return fail(path, "empty endpoint name");
    const int i = findNamed(name);
    if (i < 0) return fail(path, "no endpoint named '" + name + "'");
    if (index != nullptr) *index = i;
    return true;
  }

  // ---- Scenario ----

  bool top() {
    if (s_.max_virtual_time_ms() > kMaxVirtualTimeMs) {
      return fail("max_virtual_time_ms", std::to_string(s_.max_virtual_time_ms()) + " ms is more than " +
                                             std::to_string(kMaxVirtualTimeMs) + " (one hour)");
    }
    if (s_.epoch_unix_s() > kMaxEpochUnixS) {
      return fail("epoch_unix_s", std::to_string(s_.epoch_unix_s()) + " is after 9999-12-31T23:59:59Z (" +
                                      std::to_string(kMaxEpochUnixS) + ")");
    }
    if (s_.has_liveness()) {
      const dtlsim::Liveness& l = s_.liveness();
      if (!runTimeMs("liveness.faults_stop_ms", l.faults_stop_ms())) return false;
      // The stall check runs at faults_stop_ms + bound: the run must last that long.
      if (l.bound_ms() > maxTimeMs() ||
          l.faults_stop_ms() + livenessBoundMs(l) > maxTimeMs()) {
        return fail(l.bound_ms() == 0 ? "liveness" : "liveness.bound_ms",
                    "faults_stop_ms " + std::to_string(l.faults_stop_ms()) + " + bound " +
                        std::to_string(livenessBoundMs(l)) +
                        " ms is after the end of the run (max_virtual_time_ms " +
                        std::to_string(maxTimeMs()) + ")");
      }
    }
    return true;
  }

  // ---- Network ----

  bool jitter(const std::string& path, const dtlsim::Jitter& j) {
    if (!delayUs(path + ".jitter_us", j.jitter_us())) return false;
    if (std::isnan(j.pareto_shape())) return fail(path + ".pareto_shape", "NaN is not a shape");
    if (j.pareto_shape() < 0) return fail(path + ".pareto_shape", str(j.pareto_shape()) + " is not > 0");
    if (j.kind() == dtlsim::Jitter::NONE) {
      if (j.jitter_us() != 0) return fail(path + ".jitter_us", "set but kind is NONE (set kind: UNIFORM, NORMAL or PARETO)");
    } else if (j.jitter_us() == 0) {
      return fail(path + ".jitter_us", "0 with kind " + dtlsim::Jitter::Kind_Name(j.kind()) + " (no jitter at all)");
    }
    if (j.pareto_shape() != 0 && j.kind() != dtlsim::Jitter::PARETO) {
      return fail(path + ".pareto_shape", "set but kind is " + dtlsim::Jitter::Kind_Name(j.kind()) + ", not PARETO");
    }
    return true;
  }

  bool burstLoss(const std::string& path, const dtlsim::GilbertElliott& g) {
    if (!probability(path + ".p_good_to_bad", g.p_good_to_bad()) ||
        !probability(path + ".r_bad_to_good", g.r_bad_to_good()) ||
        !probability(path + ".bad_loss_probability", g.bad_loss_probability()) ||
        !probability(path + ".good_loss_probability", g.good_loss_probability())) {
      return false;
    }
    if (g.r_bad_to_good() == 0) return fail(path + ".r_bad_to_good", "0 means a loss burst never ends");
    if (g.bad_loss_probability() == 0 && g.good_loss_probability() == 0) {
      return fail(path, "bad_loss_probability and good_loss_probability are both 0: nothing is ever lost");
    }
    return true;
  }

  bool link(const std::string& path, const dtlsim::Link& l) {
    if (!delayUs(path + ".latency_us", l.latency_us()) || !jitter(path + ".jitter", l.jitter()) ||
        !probability(path + ".loss_probability", l.loss_probability()) ||
        !probability(path + ".duplicate_probability", l.duplicate_probability()) ||
        !probability(path + ".reorder_probability", l.reorder_probability()) ||
        !probability(path + ".corrupt_probability", l.corrupt_probability()) ||
        !probability(path + ".truncate_probability", l.truncate_probability()) ||
        !delayUs(path + ".reorder_extra_delay_us", l.reorder_extra_delay_us()) ||
        !mtu(path + ".mtu_bytes", l.mtu_bytes())) {
      return false;
    }
    if (l.has_burst_loss() && !burstLoss(path + ".burst_loss", l.burst_loss())) return false;
    if (l.duplicate_copies() > simnet::kMaxDuplicateCopies) {
      return fail(path + ".duplicate_copies", std::to_string(l.duplicate_copies()) + " is more than " +
                                                  std::to_string(simnet::kMaxDuplicateCopies));
    }
    if (l.corrupt_bit_flips() > simnet::kMaxCorruptBitFlips) {
      return fail(path + ".corrupt_bit_flips", std::to_string(l.corrupt_bit_flips()) + " is more than " +
                                                   std::to_string(simnet::kMaxCorruptBitFlips));
    }
    // simnet's own checks, for anything the scenario rules above do not cover.
    if (const auto st = simnet::validateLinkModel(toLinkModel(l), path); !st.ok()) {
      return fail(path, st.message());
    }
    return true;
  }

  bool network() {
    const dtlsim::Network& n = s_.network();
    if (!link("network.default_link", n.default_link())) return false;
    std::map<std::pair<std::string, std::string>, int> seen;
    for (int i = 0; i < n.links_size(); ++i) {
      const std::string path = idx("network.links", i);
      const dtlsim::LinkOverride& o = n.links(i);
      int from = -1;
      int to = -1;
      if (!endpointName(path + ".from", o.from(), &from) || !endpointName(path + ".to", o.to(), &to)) return false;
      const std::string& a = s_.endpoints(from).address();
      const std::string& b = s_.endpoints(to).address();
      const auto fa = toSimAddress(a);
      const auto fb = toSimAddress(b);
      if (fa && fb && *fa == *fb) {
        return fail(path + ".to", "'" + o.to() + "' has the same address as '" + o.from() + "' (" + a + ")");
      }
      if (fa && fb && fa->family() != fb->family()) {
        return fail(path + ".to", "'" + o.to() + "' (" + b + ") and '" + o.from() + "' (" + a +
                                      ") have different address families");
      }
      if (fa && fb) {
        const auto key = std::make_pair(fa->toString(), fb->toString());
        const auto [it, inserted] = seen.emplace(key, i);
        if (!inserted) {
          return fail(path, "a second override for " + a + " -> " + b + " (first: network.links[" +
                                std::to_string(it->second) + "])");
        }
      }
      if (!link(path + ".link", o.link())) return false;
    }
    for (int i = 0; i < n.partitions_size(); ++i) {
      if (!partition(idx("network.partitions", i), n.partitions(i))) return false;
    }
    for (int i = 0; i < n.rules_size(); ++i) {
      if (!rule(idx("network.rules", i), n.rules(i))) return false;
    }
    return true;
  }

  bool partition(const std::string& path, const dtlsim::Partition& p) {
    if (p.side_a_size() == 0) return fail(path + ".side_a", "empty (name at least one endpoint)");
    if (p.side_b_size() == 0) return fail(path + ".side_b", "empty (name at least one endpoint)");
    std::set<std::string> a;
    for (int i = 0; i < p.side_a_size(); ++i) {
      if (!endpointName(idx(path + ".side_a", i), p.side_a(i))) return false;
      a.insert(p.side_a(i));
    }
    for (int i = 0; i < p.side_b_size(); ++i) {
      if (!endpointName(idx(path + ".side_b", i), p.side_b(i))) return false;
      if (a.count(p.side_b(i)) != 0) {
        return fail(idx(path + ".side_b", i), "'" + p.side_b(i) + "' is on both sides");
      }
    }
    if (!timeMs(path + ".from_ms", p.from_ms()) || !timeMs(path + ".until_ms", p.until_ms())) return false;
    if (p.until_ms() != 0 && p.until_ms() <= p.from_ms()) {
      return fail(path + ".until_ms", std::to_string(p.until_ms()) + " is not after from_ms " +
                                          std::to_string(p.from_ms()) + " (the partition never applies)");
    }
    if (p.clog() && p.until_ms() == 0) {
      return fail(path + ".clog", "a clog needs until_ms (held datagrams are released then)");
    }
    return true;
  }

  bool ruleAction(const std::string& path, const dtlsim::Rule& r) {
    const bool counts = r.action() == dtlsim::Rule::DUPLICATE || r.action() == dtlsim::Rule::CORRUPT;
    const std::string action = dtlsim::Rule::Action_Name(r.action());
    if (r.count() != 0 && !counts) return fail(path + ".count", "set but action " + action + " does not use it");
    if (r.delay_us() != 0 && r.action() != dtlsim::Rule::DELAY) {
      return fail(path + ".delay_us", "set but action " + action + " does not use it");
    }
    if (r.truncate_to_bytes() != 0 && r.action() != dtlsim::Rule::TRUNCATE) {
      return fail(path + ".truncate_to_bytes", "set but action " + action + " does not use it");
    }
    if (r.hold_until_ms() != 0 && r.action() != dtlsim::Rule::HOLD) {
      return fail(path + ".hold_until_ms", "set but action " + action + " does not use it");
    }
    switch (r.action()) {
      case dtlsim::Rule::DUPLICATE:
        if (r.count() > simnet::kMaxDuplicateCopies) {
          return fail(path + ".count", std::to_string(r.count()) + " copies is more than " +
                                           std::to_string(simnet::kMaxDuplicateCopies));
        }
        break;
      case dtlsim::Rule::CORRUPT:
        if (r.count() > simnet::kMaxCorruptBitFlips) {
          return fail(path + ".count", std::to_string(r.count()) + " bit flips is more than " +
                                           std::to_string(simnet::kMaxCorruptBitFlips));
        }
        break;
      case dtlsim::Rule::DELAY:
        if (r.delay_us() == 0) return fail(path + ".delay_us", "DELAY needs delay_us > 0");
        return delayUs(path + ".delay_us", r.delay_us());
      case dtlsim::Rule::TRUNCATE:
        if (r.truncate_to_bytes() >= simnet::kMaxUdpPayloadBytes) {
          return fail(path + ".truncate_to_bytes", std::to_string(r.truncate_to_bytes()) +
                                                       " is not below the largest datagram (" +
                                                       std::to_string(simnet::kMaxUdpPayloadBytes) + ")");
        }
        break;
      case dtlsim::Rule::HOLD:
        if (r.hold_until_ms() == 0) return fail(path + ".hold_until_ms", "HOLD needs hold_until_ms");
        if (!timeMs(path + ".hold_until_ms", r.hold_until_ms())) return false;
        if (r.hold_until_ms() <= r.from_ms()) {
          return fail(path + ".hold_until_ms", std::to_string(r.hold_until_ms()) +
                                                   " is not after from_ms " + std::to_string(r.from_ms()));
        }
        break;
      default:
        break;
    }
    return true;
  }

  bool rule(const std::string& path, const dtlsim::Rule& r) {
    int from = -1;
    int to = -1;
    if (!r.from().empty() && !endpointName(path + ".from", r.from(), &from)) return false;
    if (!r.to().empty() && !endpointName(path + ".to", r.to(), &to)) return false;
    if (r.both_directions() && (from < 0 || to < 0)) {
      return fail(path + ".both_directions", "needs both from and to");
    }
    if (from >= 0 && to >= 0 && toSimAddress(s_.endpoints(from).address()) == toSimAddress(s_.endpoints(to).address())) {
      return fail(path + ".to", "'" + r.to() + "' has the same address as '" + r.from() + "': the rule never matches");
    }
    if (!timeMs(path + ".from_ms", r.from_ms()) || !timeMs(path + ".until_ms", r.until_ms())) return false;
    if (r.until_ms() != 0 && r.until_ms() <= r.from_ms()) {
      return fail(path + ".until_ms", std::to_string(r.until_ms()) + " is not after from_ms " +
                                          std::to_string(r.from_ms()) + ": the rule never matches");
    }
    if (!r.label().empty() && !dtls::wire::isLabel(r.label())) return unknownLabel(path, r.label());
    if (r.match_epoch()) {
      if (r.label().empty()) return fail(path + ".match_epoch", "needs a label (epochs come from labels)");
      if (r.epoch() < 0 || r.epoch() > 65535) {
        return fail(path + ".epoch", std::to_string(r.epoch()) + " is outside [0, 65535]");
      }
    } else if (r.epoch() > 0) {
      return fail(path + ".epoch", "set but match_epoch is false (set match_epoch: true)");
    }
    if (r.epoch() < -1) return fail(path + ".epoch", std::to_string(r.epoch()) + " is outside [-1, 65535]");
    return ruleAction(path, r);
  }

  // ---- Endpoints ----

  bool address(const std::string& path, const std::string& text) {
    const dtls::HostAddress a(text);
    if (a.isNull()) return fail(path, "'" + text + "' is not an IPv4 or IPv6 literal");
    if (!a.scopeId().empty()) return fail(path, "'" + text + "' has a scope id; simnet addresses have none");
    if (a.isAny()) return fail(path, "'" + text + "' is the unspecified address");
    if (a.isMulticast()) return fail(path, "'" + text + "' is a multicast address");
    if (a.isBroadcast()) return fail(path, "'" + text + "' is the broadcast address");
    if (!toSimAddress(text)) return fail(path, "'" + text + "' is not supported by simnet (write it without an embedded IPv4 part)");
    return true;
  }

  bool endpoint(int i) {
    const dtlsim::Endpoint& e = s_.endpoints(i);
    const std::string path = idx("endpoints", i);
    const bool server = e.role() == dtlsim::Endpoint::SERVER;
    if (e.name().empty()) return fail(path + ".name", "empty endpoint name");
    if (const int first = findNamed(e.name()); first != i) {
      return fail(path + ".name", "'" + e.name() + "' is also the name of endpoints[" + std::to_string(first) + "]");
    }
    if (!address(path + ".address", e.address())) return false;
    if (e.port() > 65535) return fail(path + ".port", std::to_string(e.port()) + " is outside [0, 65535]");
    if (server && e.port() == 0) return fail(path + ".port", "a server needs a port (0 is only for clients)");
    if (e.port() != 0) {
      const auto key = std::make_pair(*toSimAddress(e.address()), e.port());
      const auto [it, inserted] = bound_.emplace(key, i);
      if (!inserted) {
        return fail(path + ".port", e.address() + ":" + std::to_string(e.port()) + " is also used by endpoints[" +
                                        std::to_string(it->second) + "] ('" + s_.endpoints(it->second).name() + "')");
      }
    }
    const bool noise = e.role() == dtlsim::Endpoint::NOISE;
    if (noise && !noiseSender(path, e)) return false;
    if (!noise && e.has_noise()) {
      return fail(path + ".noise", "set on a " + std::string(server ? "server" : "client") +
                                       " (only a NOISE endpoint sends noise)");
    }
    if (server) {
      if (!e.server().empty()) return fail(path + ".server", "set on a server (only clients name their server)");
      if (e.start_ms() != 0) return fail(path + ".start_ms", "set on a server (servers listen from t = 0)");
      if (e.ignore_timeouts()) return fail(path + ".ignore_timeouts", "set on a server (only clients handle timeouts)");
    }
    return runTimeMs(path + ".start_ms", e.start_ms()) && dtlsConfig(path + ".dtls", e.dtls());
  }

  bool noiseSender(const std::string& path, const dtlsim::Endpoint& e) {
    constexpr std::uint32_t kMaxNoiseCount = 100000;
    const dtlsim::Noise& n = e.noise();
    if (n.count() == 0) return fail(path + ".noise.count", "a NOISE endpoint needs count > 0");
    if (n.count() > kMaxNoiseCount) {
      return fail(path + ".noise.count", std::to_string(n.count()) + " is more than " + std::to_string(kMaxNoiseCount));
    }
    if (n.max_size_bytes() > simnet::kMaxUdpPayloadBytes) {
      return fail(path + ".noise.max_size_bytes", std::to_string(n.max_size_bytes()) + " is more than " +
                                                      std::to_string(simnet::kMaxUdpPayloadBytes));
    }
    if (n.interval_ms() != 0 && n.count() <= 1) {
      return fail(path + ".noise.interval_ms", "set but count is not above 1");
    }
    if (n.count() > 1 && n.interval_ms() == 0) {
      return fail(path + ".noise.interval_ms", "0 with count " + std::to_string(n.count()) +
                                                   " (every datagram at the same instant)");
    }
    if (!runTimeMs(path + ".noise.interval_ms", n.interval_ms())) return false;
    if (e.has_dtls()) return fail(path + ".dtls", "set on a NOISE endpoint (it speaks no DTLS)");
    if (e.one_record_per_datagram()) {
      return fail(path + ".one_record_per_datagram", "set on a NOISE endpoint (it sends no records)");
    }
    if (e.ignore_timeouts()) return fail(path + ".ignore_timeouts", "set on a NOISE endpoint");
    if (e.broken_timer_below_ms() != 0)
      return fail(path + ".broken_timer_below_ms", "set on a NOISE endpoint (it runs no DTLS timer)");
    return true;
  }

  bool clientServer(int i) {
    const dtlsim::Endpoint& e = s_.endpoints(i);
    if (e.role() == dtlsim::Endpoint::SERVER) return true;
    const std::string path = idx("endpoints", i) + ".server";
    if (e.server().empty()) return fail(path, "a client needs the name of its server endpoint");
    int server = -1;
    if (!endpointName(path, e.server(), &server)) return false;
    if (s_.endpoints(server).role() != dtlsim::Endpoint::SERVER) {
      return fail(path, "'" + e.server() + "' is not a server");
    }
    if (toSimAddress(e.address())->family() != toSimAddress(s_.endpoints(server).address())->family()) {
      return fail(path, "'" + e.server() + "' (" + s_.endpoints(server).address() + ") and this client (" +
                            e.address() + ") have different address families");
    }
    return true;
  }

  bool dtlsConfig(const std::string& path, const dtlsim::DtlsConfig& d) {
    if (!d.private_key().empty() && d.certificate_chain().empty()) {
      return fail(path + ".private_key", "set without certificate_chain");
    }
    if (!d.certificate_chain().empty() && d.private_key().empty()) {
      return fail(path + ".certificate_chain", "set without private_key");
    }
    if (!d.private_key_passphrase().empty() && d.private_key().empty()) {
      return fail(path + ".private_key_passphrase", "set without private_key");
    }
    if (!d.psk().key_hex().empty()) {
      dtls::ByteArray key;
      if (!hexDecode(d.psk().key_hex(), &key)) {
        return fail(path + ".psk.key_hex", "'" + d.psk().key_hex() + "' is not hex (an even number of 0-9a-fA-F)");
      }
    }
    for (int i = 0; i < d.alpn_size(); ++i) {
      if (d.alpn(i).empty() || d.alpn(i).size() > 255) {
        return fail(idx(path + ".alpn", i), "'" + d.alpn(i) + "': an ALPN name has 1 to 255 bytes (RFC 7301 §3.1)");
      }
    }
    for (int i = 0; i < d.ignore_errors_size(); ++i) {
      if (!sslErrorFromName(d.ignore_errors(i))) {
        return fail(idx(path + ".ignore_errors", i),
                    "unknown SslError '" + d.ignore_errors(i) + "' (valid: " + sslErrorNames() + ")");
      }
    }
    if (!mtu(path + ".mtu_hint_bytes", d.mtu_hint_bytes())) return false;
    for (const auto& [name, value] : d.backend_options()) {
      if (name.empty()) return fail(path + ".backend_options", "an option with an empty name");
    }
    if (!d.backend().empty() && !isKnownBackend(d.backend()))
      return fail(path + ".backend", "unknown backend '" + d.backend() + "' (valid: " +
                                         backendNames() + ")");
    return true;
  }

  bool endpoints() {
    if (s_.endpoints_size() == 0) return fail("endpoints", "the scenario has no endpoints");
    for (int i = 0; i < s_.endpoints_size(); ++i) first_named_.emplace(s_.endpoints(i).name(), i);
    for (int i = 0; i < s_.endpoints_size(); ++i) {
      if (!endpoint(i)) return false;
    }
    for (int i = 0; i < s_.endpoints_size(); ++i) {
      if (!clientServer(i)) return false;
    }
    // Names, files, ciphers and curves: exactly what buildConfiguration will do.
    for (int i = 0; i < s_.endpoints_size(); ++i) {
      dtls::Configuration config;
      if (!buildConfiguration(loaded_, i, &config, error_)) return false;
    }
    return true;
  }

  // ---- Actions ----

  bool actions() {
    for (int i = 0; i < s_.actions_size(); ++i) {
      const dtlsim::Action& a = s_.actions(i);
      const std::string path = idx("actions", i);
      int e = -1;
      if (!endpointName(path + ".endpoint", a.endpoint(), &e)) return false;
      if (!runTimeMs(path + ".at_ms", a.at_ms())) return false;
      const bool client = s_.endpoints(e).role() == dtlsim::Endpoint::CLIENT;
      if (s_.endpoints(e).role() == dtlsim::Endpoint::NOISE) {
        return fail(path + ".endpoint", "'" + a.endpoint() + "' is a NOISE endpoint; it takes no actions");
      }
      if (a.after_handshake() && a.has_start()) {
        return fail(path + ".after_handshake", "a start action cannot wait for a handshake");
      }
      if (a.after_handshake() && !runTimeMs(path + ".at_ms", a.at_ms())) return false;
      switch (a.kind_case()) {
        case dtlsim::Action::KIND_NOT_SET:
          return fail(path, "no action kind (start, send, shutdown, abort, restart or replay)");
        case dtlsim::Action::kStart:
          if (!client) return fail(path + ".start", "'" + a.endpoint() + "' is a server; only clients start a handshake");
          break;
        case dtlsim::Action::kRestart:
          if (!client) return fail(path + ".restart", "'" + a.endpoint() + "' is a server; only clients restart");
          break;
        case dtlsim::Action::kSend:
          if (!send(path + ".send", a.send())) return false;
          break;
        case dtlsim::Action::kReplay:
          if (!replay(path + ".replay", a.replay())) return false;
          break;
        default:
          break;
      }
    }
    return true;
  }

  bool unknownLabel(const std::string& path, const std::string& label) {
    return fail(path + ".label", "'" + label + "' is no label of the classifier, so it would never match " +
                                     "(labels: appdata, alert, ccs, handshake:<message> such as " +
                                     "handshake:client_hello, handshake:finished, unknown:<type>; " +
                                     "dtls/wire/describe.h)");
  }

  bool replay(const std::string& path, const dtlsim::Replay& r) {
    constexpr std::uint32_t kMaxReplayCount = 100000;
    if (r.label().empty()) return fail(path + ".label", "empty (name what to replay, e.g. \"appdata\")");
    if (!dtls::wire::isLabel(r.label())) return unknownLabel(path, r.label());
    if (r.count() > kMaxReplayCount) {
      return fail(path + ".count", std::to_string(r.count()) + " is more than " + std::to_string(kMaxReplayCount));
    }
    if (r.occurrence() > kMaxReplayCount) {
      return fail(path + ".occurrence", std::to_string(r.occurrence()) + " is more than " +
                                            std::to_string(kMaxReplayCount));
    }
    if (r.interval_ms() != 0 && r.count() <= 1) return fail(path + ".interval_ms", "set but count is not above 1");
    return runTimeMs(path + ".interval_ms", r.interval_ms());
  }

  bool send(const std::string& path, const dtlsim::Send& s) {
    if (s.payload().empty() == (s.size_bytes() == 0)) {
      return fail(path, "needs exactly one of payload and size_bytes");
    }
    if (s.size_bytes() > simnet::kMaxUdpPayloadBytes) {
      return fail(path + ".size_bytes", std::to_string(s.size_bytes()) + " is more than " +
                                            std::to_string(simnet::kMaxUdpPayloadBytes));
    }
    if (s.payload().size() > simnet::kMaxUdpPayloadBytes) {
      return fail(path + ".payload", std::to_string(s.payload().size()) + " bytes is more than " +
                                         std::to_string(simnet::kMaxUdpPayloadBytes));
    }
    constexpr std::uint32_t kMaxSendCount = 100000;
    if (s.count() > kMaxSendCount) {
      return fail(path + ".count", std::to_string(s.count()) + " is more than " + std::to_string(kMaxSendCount));
    }
    if (s.interval_ms() != 0 && s.count() <= 1) return fail(path + ".interval_ms", "set but count is not above 1");
    return runTimeMs(path + ".interval_ms", s.interval_ms());
  }

  // ---- Expectations ----

  bool expectations() {
    for (int i = 0; i < s_.expectations_size(); ++i) {
      const dtlsim::Expectation& x = s_.expectations(i);
      const std::string path = idx("expectations", i);
      if (!endpointName(path + ".endpoint", x.endpoint())) return false;
      if (x.has_handshake_done_by_ms() && !runTimeMs(path + ".handshake_done_by_ms", x.handshake_done_by_ms())) {
        return false;
      }
      if (x.has_final_state() && !handshakeStateFromName(x.final_state())) {
        return fail(path + ".final_state", "unknown handshake state '" + x.final_state() +
                                               "' (valid: " + handshakeStateNames() + ")");
      }
      if (x.has_last_error() && !dtlsErrorFromName(x.last_error())) {
        return fail(path + ".last_error",
                    "unknown DtlsError '" + x.last_error() + "' (valid: " + dtlsErrorNames() + ")");
      }
      for (int k = 0; k < x.final_state_one_of_size(); ++k) {
        if (!handshakeStateFromName(x.final_state_one_of(k))) {
          return fail(idx(path + ".final_state_one_of", k), "unknown handshake state '" + x.final_state_one_of(k) +
                                                                "' (valid: " + handshakeStateNames() + ")");
        }
      }
      for (int k = 0; k < x.last_error_one_of_size(); ++k) {
        if (!dtlsErrorFromName(x.last_error_one_of(k))) {
          return fail(idx(path + ".last_error_one_of", k),
                      "unknown DtlsError '" + x.last_error_one_of(k) + "' (valid: " + dtlsErrorNames() + ")");
        }
      }
      if (x.has_protocol() && !sslProtocolFromName(x.protocol())) {
        return fail(path + ".protocol",
                    "unknown protocol '" + x.protocol() + "' (valid: " + sslProtocolNames() + ")");
      }
      if (x.has_min_retransmissions() && x.has_max_retransmissions() &&
          x.min_retransmissions() > x.max_retransmissions()) {
        return fail(path + ".min_retransmissions",
                    std::to_string(x.min_retransmissions()) + " is more than max_retransmissions " +
                        std::to_string(x.max_retransmissions()));
      }
      if (x.has_min_delivered_count() && x.has_max_delivered_count() &&
          x.min_delivered_count() > x.max_delivered_count()) {
        return fail(path + ".min_delivered_count",
                    std::to_string(x.min_delivered_count()) + " is more than max_delivered_count " +
                        std::to_string(x.max_delivered_count()));
      }
      if (x.has_run_ends_by_ms() && !runTimeMs(path + ".run_ends_by_ms", x.run_ends_by_ms())) return false;
      if (x.has_run_ends_after_ms() && !runTimeMs(path + ".run_ends_after_ms", x.run_ends_after_ms())) {
        return false;
      }
      if (x.has_run_ends_after_ms() && x.has_run_ends_by_ms() && x.run_ends_after_ms() > x.run_ends_by_ms()) {
        return fail(path + ".run_ends_after_ms", std::to_string(x.run_ends_after_ms()) +
                                                     " is after run_ends_by_ms " +
                                                     std::to_string(x.run_ends_by_ms()));
      }
      if (x.has_handshake_fails() && x.handshake_fails() && x.has_handshake_done_by_ms()) {
        return fail(path + ".handshake_fails", "contradicts handshake_done_by_ms");
      }
      for (int k = 0; k < x.verification_errors_size(); ++k) {
        if (!sslErrorFromName(x.verification_errors(k))) {
          return fail(idx(path + ".verification_errors", k), "unknown SslError '" + x.verification_errors(k) +
                                                                 "' (valid: " + sslErrorNames() + ")");
        }
      }
      for (int k = 0; k < x.library_size(); ++k)
        if (!libraryRange(idx(path + ".library", k), x.library(k))) return false;
    }
    return true;
  }

  // A version is dotted decimal numbers, as OpenSSL numbers its releases ("3.0.22").
  static bool dottedNumbers(const std::string& v) {
    if (v.empty() || v.front() == '.' || v.back() == '.' || v.size() > 32) return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const char c = v[i];
      if (c == '.' ? v[i - 1] == '.' : (c < '0' || c > '9')) return false;
    }
    return true;
  }

  // A missing_feature waiver holds only while the library's backend lacks the feature.
  bool lacksFeature(const std::string& path, const dtlsim::LibraryRange& r) {
    static const std::pair<const char*, const char*> kBackendOf[] = {
        {"OpenSSL", "openssl"}, {"mbed TLS", "mbedtls"}, {"GnuTLS", "gnutls"}, {"wolfSSL", "wolfssl"}};
    // "cipher NAME": a suite the stack's build lacks. No backend lists its suites, so the story
    // proves it: the stack's own expectation beside the waiver wants the TlsInitializationError.
    constexpr std::string_view kCipher = "cipher ";
    if (r.missing_feature().rfind(kCipher, 0) == 0) {
      const std::string cipher = r.missing_feature().substr(kCipher.size());
      if (dtls::Cipher(cipher).isNull())
        return fail(path + ".missing_feature", "unknown cipher '" + cipher + "'");
      return true;
    }
    std::string backend;
    for (const auto& [library, name] : kBackendOf)
      if (r.name() == library) backend = name;
    std::string known;
    for (int v = 0; v < 200; ++v) {
      const auto feature = static_cast<dtls::SupportedFeature>(v);
      const std::string name = dtls::toString(feature);
      if (name == "?") continue;
      if (name == r.missing_feature()) {
        if (dtls::isFeatureSupported(feature, backend))
          return fail(path + ".missing_feature", r.name() + " supports " + name +
                                                     ": the waiver no longer holds");
        return true;
      }
      known += (known.empty() ? "" : ", ") + name;
    }
    return fail(path + ".missing_feature", "unknown feature '" + r.missing_feature() +
                                               "' (valid: " + known + ", or cipher NAME)");
  }

  bool libraryRange(const std::string& path, const dtlsim::LibraryRange& r) {
    if (!r.endpoint().empty()) {
      const int e = findNamed(r.endpoint());
      if (e < 0) return fail(path + ".endpoint", "no endpoint named '" + r.endpoint() + "'");
      if (loaded_.scenario.endpoints(e).role() == dtlsim::Endpoint::NOISE)
        return fail(path + ".endpoint", "'" + r.endpoint() + "' is a noise sender, not DTLS");
    }
    // The libraries a world can run; an unknown name would make the expectation never apply.
    static const char* const kLibraries[] = {"OpenSSL", "mbed TLS", "GnuTLS", "wolfSSL"};
    if (std::find(std::begin(kLibraries), std::end(kLibraries), r.name()) == std::end(kLibraries))
      return fail(path + ".name", "unknown DTLS library '" + r.name() +
                                      "' (valid: OpenSSL, mbed TLS, GnuTLS, wolfSSL)");
    if (!r.min_version().empty() && !dottedNumbers(r.min_version()))
      return fail(path + ".min_version", "'" + r.min_version() + "' is not a version like 3.0.22");
    if (!r.below_version().empty() && !dottedNumbers(r.below_version()))
      return fail(path + ".below_version", "'" + r.below_version() + "' is not a version like 3.0.22");
    // A waiver says which finding it waits for, which feature the stack lacks, or which RFC
    // text leaves the behaviour to the stack; exactly one, and none without a waiver.
    const int reasons = int(!r.finding().empty()) + int(!r.missing_feature().empty()) +
                        int(!r.permitted_by().empty());
    if (r.excluded() && reasons != 1)
      return fail(path + ".excluded",
                  "an excluded library needs `finding` (the scenario under scenarios/findings/ "
                  "that shows why), `missing_feature` or `permitted_by`, one of them");
    if (!r.excluded() && !r.finding().empty())
      return fail(path + ".finding", "only an excluded library names a finding");
    if (!r.excluded() && !r.missing_feature().empty())
      return fail(path + ".missing_feature", "only an excluded library names a missing feature");
    if (!r.excluded() && !r.permitted_by().empty())
      return fail(path + ".permitted_by", "only an excluded library names what permits it");
    // The citation is what makes the difference no finding: it must name the RFC and section.
    if (!r.permitted_by().empty() &&
        (r.permitted_by().rfind("RFC ", 0) != 0 || r.permitted_by().find("§") == std::string::npos))
      return fail(path + ".permitted_by", "'" + r.permitted_by() +
                                              "' does not cite an RFC section (\"RFC 6347 §4.2.2: "
                                              "...\")");
    if (!r.missing_feature().empty() && !lacksFeature(path, r)) return false;
    // An empty range would make the expectation apply to no build: a story that tests nothing.
    if (!r.min_version().empty() && !r.below_version().empty() &&
        compareVersions(r.min_version(), r.below_version()) >= 0)
      return fail(path + ".below_version", "'" + r.below_version() + "' is not above min_version '" +
                                               r.min_version() + "': no version is in the range");
    return true;
  }

  // ---- Explicit faults ----

  bool explicitFaults() {
    simnet::DecisionLog log;
    std::string why;
    std::string field;
    if (!decisionsFromProto(s_.explicit_faults(), &log, &why, "explicit_faults", &field)) {
      // why = "<field>: <message>"; re-issue it with the position.
      return fail(field, why.substr(field.size() + 2));
    }
    for (int i = 0; i < s_.explicit_faults_size(); ++i) {
      const auto& d = s_.explicit_faults(i);
      for (int c = 0; c < d.copies_size(); ++c) {
        const std::string path = idx(idx("explicit_faults", i) + ".copies", c) + ".delay_us";
        if (!delayUs(path, d.copies(c).delay_us())) return false;
      }
    }
    return true;
  }

  const LoadedScenario& loaded_;
  const dtlsim::Scenario& s_;
  std::string* error_ = nullptr;
  std::map<std::pair<simnet::Address, std::uint32_t>, int> bound_;
  // Endpoint name -> index of the first endpoint with it, once endpoints() began: a linear
  // findEndpoint per endpoint made loading 100,000 clients take minutes.
  std::map<std::string, int> first_named_;

  int findNamed(const std::string& name) const {
    if (first_named_.empty()) return loaded_.findEndpoint(name);
    const auto it = first_named_.find(name);
    return it == first_named_.end() ? -1 : it->second;
  }
};

}  // namespace

bool validateScenario(const LoadedScenario& loaded, std::string* error) {
  return Validator(loaded).run(error);
}

bool validateNetwork(const LoadedScenario& loaded, std::string* error) {
  return Validator(loaded).runNetwork(error);
}

}  // namespace scenarios
