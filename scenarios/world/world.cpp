#include "world.h"

#include <google/protobuf/text_format.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "dtls/backend.h"
#include "dtls/openssl_context.h"
#include "dtls/random_source.h"
#include "dtls/tls_context_pin.h"
#include "dtls/wire/describe.h"
#include "dtls/wire/record.h"
#include "scenarios/decisions_io.h"
#include "scenarios/endpoint_config.h"
#include "scenarios/network_config.h"

namespace scenarios::detail {

namespace {

// Bounds a run that would otherwise never end (a bug, or a storm of duplicates).
constexpr std::uint64_t kMaxEventsPerRun = 20'000'000;

// A payload of `size` bytes, the same for the same (size, index): printable, so timelines and
// captures stay readable.
dtls::ByteArray generatedPayload(std::uint32_t size, std::uint32_t index) {
  dtls::ByteArray p(size, '\0');
  for (std::uint32_t i = 0; i < size; ++i) p[i] = static_cast<char>('a' + (i + index) % 26);
  return p;
}

}  // namespace

World::World(const LoadedScenario& scenario, std::uint64_t seed)
    : s_(scenario),
      seed_(seed),
      net_(seed),
      clock_(net_, static_cast<std::int64_t>(scenario.scenario.epoch_unix_s()
                                                 ? scenario.scenario.epoch_unix_s()
                                                 : kDefaultEpochUnixS) *
                       1'000'000),
      recorder_(net_, &trace_),
      ctx_{net_, clock_, recorder_} {}

World::~World() {
  // Connections free their SSL objects inside the world's library context.
  dtls::LibraryContextScope scope(openssl_ ? openssl_->get() : nullptr);
  // Before the endpoints go: their connections still hold the contexts to pin.
  std::unique_ptr<Leftovers> next = openssl_ ? keepForNextWorld() : nullptr;
  endpoints_.clear();
  if (next) {
    next->openssl = std::move(openssl_);
    leaveLeftovers(std::move(next));
  }
}

std::unique_ptr<Leftovers> World::keepForNextWorld() {
  auto next = std::make_unique<Leftovers>();
  next->seed = seed_;
  for (auto& kept : configurations_) {
    // Only contexts this world built or took: building one here would cost what reuse saves.
    kept.pin = dtls::TlsContextPin(kept.configuration, kept.mode,
                                   dtls::TlsContextPin::IfNone::kPinNothing);
    if (!kept.pin.isNull()) next->kept.push_back(std::move(kept));
  }
  next->verifier =
      dtls::TlsContextPin::clientVerifierContext(dtls::TlsContextPin::IfNone::kPinNothing);
  // A parked context must be taken back before its library context goes: those of the
  // previous world's configurations that this world did not pin above are let go.
  if (taken_) {
    for (const auto& kept : taken_->kept) {
      const dtls::TlsContextPin take(kept.configuration, kept.mode,
                                     dtls::TlsContextPin::IfNone::kPinNothing);
    }
  }
  return next;
}

bool World::setUp(const RunOptions& options, std::string* error) {
  taken_ = takeLeftovers(seed_);
  if (taken_) {
    openssl_ = std::move(taken_->openssl);
    for (auto& kept : taken_->kept) kept.pin.park();
    taken_->verifier.park();
  } else {
    openssl_ = SeededLibraryContext::create(seed_, error);
    if (!openssl_) return false;
  }
  dtls::LibraryContextScope openssl_scope(openssl_->get());
  // Backends that draw through a callback (mbedTLS, GnuTLS's gnutls_rnd) read the same seeded
  // stream.
  dtls::RandomSourceScope random_scope(openssl_->randomSource());
  dtls::WallClockScope clock_scope(&clock_);

  if (!configureNetwork(s_, net_, error)) return false;
  installClassifier();
  net_.setObserver(&recorder_);
  recorder_.setRecording(options.events);
  if (options.oracles) {
    oracles_ = std::make_unique<OracleChecker>(s_.scenario);
    recorder_.setChecker(oracles_.get());
  }
  if (options.replay != nullptr) {
    net_.replay(*options.replay);
  } else if (!s_.scenario.explicit_faults().empty()) {
    simnet::DecisionLog log;
    if (!decisionsFromProto(s_.scenario.explicit_faults(), &log, error, "explicit_faults"))
      return false;
    net_.replay(std::move(log));
  } else {
    net_.setRecording(true);
  }
  if (!createEndpoints(error)) return false;
  scheduleActions();
  scheduleLivenessCheck();
  return true;
}

void World::scheduleLivenessCheck() {
  if (!s_.scenario.has_liveness()) return;
  const dtlsim::Liveness& l = s_.scenario.liveness();
  const auto stop_us = static_cast<simnet::TimeUs>(l.faults_stop_ms()) * 1000;
  const auto bound_us = static_cast<simnet::DurationUs>(livenessBoundMs(l)) * 1000;
  net_.stopFaultsAt(stop_us);
  ctx_.faults_stop_us = stop_us;
  net_.scheduleTimer(stop_us + bound_us, [this] { checkStalls(); });
}

namespace {

std::string loadedLibrary(const std::string& backend);

std::string milliseconds(simnet::TimeUs us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(us) / 1000.0);
  return text;
}

}  // namespace

void World::checkStalls() {
  const dtlsim::Liveness& l = s_.scenario.liveness();
  for (const auto& e : endpoints_) {
    std::vector<Endpoint::Stall> stuck;
    e->collectStalls(&stuck);
    const std::optional<simnet::TimeUs> due = e->nextTimerDue();
    for (const Endpoint::Stall& stall : stuck) {
      // A peer that failed or gave up cannot finish this handshake: the endpoint rightly waits
      // out its timer and fails later. The peer's own failure is what a story judges.
      const auto peer = std::find_if(endpoints_.begin(), endpoints_.end(), [&](const auto& p) {
        return p->transport() == stall.peer;
      });
      std::optional<std::string> excuse;
      if (peer != endpoints_.end()) {
        const auto state = (*peer)->handshakeStateWith(e->transport());
        if (state && *state != dtls::Connection::HandshakeInProgress &&
            *state != dtls::Connection::HandshakeComplete)
          continue;
        // A peer that finished and does not answer this endpoint's retransmissions is the
        // last-flight-answered deviation of its library, when that is a known finding.
        const std::string library = loadedLibrary((*peer)->backend());
        if (state == dtls::Connection::HandshakeComplete)
          if (auto why = knownDeviation("last-flight-answered", library))
            excuse = "its peer " + (*peer)->name() + " (" + library + ") completed: " + *why;
        if (!excuse) excuse = keysDivergedByDamage(*e, **peer);
      }
      const std::string& who = stall.who;
      std::vector<std::string>& list = excuse ? excused_stalls_ : stalls_;
      list.push_back("invariant: stall: " + who + " still in HandshakeInProgress at t=" +
                        milliseconds(net_.now_us()) + " ms, " +
                        std::to_string(livenessBoundMs(l)) + " ms after the faults stopped (" +
                        (due ? "its next DTLS timer due at t=" + milliseconds(*due) + " ms"
                             : std::string("no DTLS timer pending")) +
                        ")" + (excuse ? " [" + *excuse + "]" : ""));
      if (peer != endpoints_.end()) stall_peers_[list.back()] = (*peer)->name();
      const auto owed = [&](const std::string& endpoint, const std::string& from) {
        const auto at = oracles_ ? oracles_->lastUnansweredInputUs(endpoint, from) : std::nullopt;
        return at && static_cast<simnet::TimeUs>(*at) >= ctx_.faults_stop_us;
      };
      if (owed(e->name(), stall.peer) ||
          (peer != endpoints_.end() && owed((*peer)->name(), e->transport())))
        stalls_with_input_.insert(list.back());
    }
  }
}

// DTLS 1.2 protects nothing before the Finished: a damaged handshake message that still parses
// goes into one side's transcript (with the extended master secret, into its keys; a damaged
// random, into its keys anyway). The two sides then derive different master secrets, each
// drops the other's Finished as a record that fails authentication, silently (RFC 6347
// §4.1.2.7), and both retransmit until they give up, minutes later. That is the protocol
// working as specified, so it is excused, but only after damage reached one of them before the
// keys were derived: keys that differ on a clean network are a stack's bug (finding 018).
std::optional<std::string> World::keysDivergedByDamage(const Endpoint& a, const Endpoint& b) const {
  for (const auto& [random, secret] : a.secrets()) {
    const auto other = b.secrets().find(random);
    if (other == b.secrets().end() || other->second.master == secret.master) continue;
    const simnet::TimeUs derived = std::max(secret.at, other->second.at);
    for (const Endpoint* damaged : {&a, &b}) {
      const auto at = recorder_.firstDamageTo(damaged->name());
      if (!at || *at > derived) continue;
      return "a damaged datagram reached " + damaged->name() + " at t=" + milliseconds(*at) +
             " ms and the two sides derived different master secrets (client random " +
             random.substr(0, 16) + "...): each drops the other's Finished silently (RFC 6347 " +
             "§4.1.2.7) until one gives up";
    }
  }
  return std::nullopt;
}

std::vector<dtlsim::OracleCheck> World::oracleChecks() {
  if (!oracles_) return {};
  return oracles_->finish();
}

std::vector<std::string> World::livenessFailures() const {
  std::vector<std::string> failures = stalls_;
  // Each peer must have received, after the faults stopped, at least as many copies of a
  // payload as were sent to it then (payloads are compared as a multiset, as checkDeliveries
  // does).
  // Keyed by the receiver's index in the scenario, never its address: the failures' order
  // reaches the trace.
  std::map<std::string, std::size_t> by_transport;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) by_transport[endpoints_[i]->transport()] = i;
  std::map<std::pair<std::size_t, dtls::ByteArray>, long> owed;
  for (const auto& e : endpoints_) {
    for (const Endpoint::LateSend& s : e->lateSends()) {
      const auto to = by_transport.find(s.to);
      if (to != by_transport.end()) ++owed[{to->second, s.payload}];
    }
  }
  for (std::size_t i = 0; i < endpoints_.size(); ++i)
    for (const dtls::ByteArray& p : endpoints_[i]->lateReceived()) {
      const auto it = owed.find({i, p});
      if (it != owed.end()) --it->second;
    }
  for (const auto& [key, missing] : owed) {
    if (missing <= 0) continue;
    failures.push_back("invariant: " + std::to_string(missing) + " " +
                       (missing == 1 ? "copy" : "copies") + " of a " +
                       std::to_string(key.second.size()) +
                       "-byte payload sent after the faults stopped never reached " +
                       endpoints_[key.first]->name());
  }
  return failures;
}

// Rules that name DTLS messages ("handshake:finished" in epoch 1) match through this: simnet
// itself knows nothing of DTLS. Each label carries the epoch of its own record: a client's
// final flight ClientKeyExchange (epoch 0) + CCS (epoch 0) + Finished (epoch 1) often shares
// one datagram, and a rule on "handshake:finished" in epoch 1 must match it.
void World::installClassifier() {
  net_.setClassifier([](std::span<const std::uint8_t> bytes, std::vector<simnet::Label>& out) {
    const dtls::ByteArray datagram(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (auto& [label, epoch] : datagramLabels(datagram))
      out.push_back(simnet::Label{std::move(label), epoch});
  });
}

bool World::createEndpoints(std::string* error) {
  const auto& spec = s_.scenario;
  // Endpoints with the same role and dtls block share one Configuration (copies share its data,
  // and with it the certificates and the SSL_CTX built from them): 10,000 identical clients parse
  // their PEM files once. Text format prints map entries sorted, so the key is deterministic.
  // Across worlds only where keepable() (leftovers.h): a parsed key carries state that draws
  // randomness (an RSA key's blinding), so a key reused by the next world would shift its
  // random stream.
  std::map<std::string, dtls::Configuration> built;
  for (int i = 0; i < spec.endpoints_size(); ++i) {
    const dtlsim::Endpoint& e = spec.endpoints(i);
    std::string key;
    google::protobuf::TextFormat::PrintToString(e.dtls(), &key);
    key += "role " + std::to_string(e.role());
    auto found = built.find(key);
    if (found == built.end()) {
      const dtls::Configuration defaults = dtls::Configuration::defaultDtlsConfiguration();
      const Leftovers::Kept* same = nullptr;
      if (taken_) {
        for (const auto& kept : taken_->kept)
          if (kept.key == key && kept.defaults == defaults) same = &kept;
      }
      dtls::Configuration fresh;
      if (same != nullptr) {
        fresh = same->configuration;
      } else if (!buildConfiguration(s_, i, &fresh, error)) {
        return false;
      }
      if (e.role() != dtlsim::Endpoint::NOISE && keepable(fresh)) {
        // An equal configuration of the previous world brings the contexts it parked.
        if (taken_ && same == nullptr) {
          for (const auto& kept : taken_->kept)
            if (kept.configuration == fresh) fresh = kept.configuration;
        }
        const dtls::SslMode mode = e.role() == dtlsim::Endpoint::SERVER
                                       ? dtls::SslMode::SslServerMode
                                       : dtls::SslMode::SslClientMode;
        configurations_.push_back({key, defaults, fresh, mode, {}});
      }
      found = built.emplace(std::move(key), std::move(fresh)).first;
    }
    const dtls::Configuration& config = found->second;
    std::unique_ptr<Endpoint> endpoint;
    if (e.role() == dtlsim::Endpoint::SERVER) {
      endpoint = std::make_unique<ServerEndpoint>(ctx_, e, config);
    } else {
      const int server = s_.findEndpoint(e.server());
      const dtlsim::Endpoint& srv = spec.endpoints(server);
      const dtls::HostAddress address(srv.address());
      const auto port = static_cast<std::uint16_t>(srv.port());
      if (e.role() == dtlsim::Endpoint::NOISE)
        endpoint = std::make_unique<NoiseEndpoint>(ctx_, e, address, port, seed_);
      else
        endpoint = std::make_unique<ClientEndpoint>(ctx_, e, config, address, port);
    }
    std::string why;
    if (!endpoint->bind(&why)) {
      *error = s_.errorAt("endpoints[" + std::to_string(i) + "]", why);
      return false;
    }
    dtlsim::EndpointInfo* info = trace_.add_endpoints();
    info->set_name(e.name());
    info->set_role(e.role() == dtlsim::Endpoint::SERVER  ? "server"
                   : e.role() == dtlsim::Endpoint::NOISE ? "noise"
                                                         : "client");
    info->set_address(e.address());
    info->set_port(endpoint->local().port);
    endpoints_.push_back(std::move(endpoint));
  }
  return true;
}

void World::scheduleActions() {
  const auto& spec = s_.scenario;
  // A client without an explicit start action starts at its start_ms.
  for (int i = 0; i < spec.endpoints_size(); ++i) {
    const auto& e = spec.endpoints(i);
    if (e.role() == dtlsim::Endpoint::SERVER) continue;
    bool explicit_start = false;
    for (const auto& a : spec.actions())
      if (a.endpoint() == e.name() && a.has_start()) explicit_start = true;
    if (!explicit_start) {
      Endpoint* ep = endpoints_[static_cast<size_t>(i)].get();
      net_.scheduleTimer(static_cast<simnet::DurationUs>(e.start_ms()) * 1000,
                         [ep] { ep->start(); }, ep->actionsOwner());
    }
  }
  for (const auto& a : spec.actions()) {
    const int index = s_.findEndpoint(a.endpoint());
    if (index >= 0) scheduleAction(a, *endpoints_[static_cast<size_t>(index)]);
  }
}

void World::scheduleAction(const dtlsim::Action& a, Endpoint& ep) {
  if (a.after_handshake()) {
    // Scheduled when the handshake completes, relative to that moment: copy the action with
    // after_handshake cleared and schedule it then (timers are relative to now).
    dtlsim::Action later = a;
    later.set_after_handshake(false);
    Endpoint* target = &ep;
    if (a.has_replay()) prepareReplay(a, ep);
    ep.onFirstHandshake([this, later, target] { scheduleAction(later, *target); });
    return;
  }
  const simnet::DurationUs at_us = static_cast<simnet::DurationUs>(a.at_ms()) * 1000;
  Endpoint* target = &ep;
  switch (a.kind_case()) {
    case dtlsim::Action::kStart:
      net_.scheduleTimer(at_us, [target] { target->start(); }, target->actionsOwner());
      break;
    case dtlsim::Action::kSend: {
      const dtlsim::Send& send = a.send();
      const std::uint32_t count = send.count() == 0 ? 1 : send.count();
      for (std::uint32_t i = 0; i < count; ++i) {
        dtls::ByteArray payload = send.size_bytes() > 0 ? generatedPayload(send.size_bytes(), i)
                                                        : send.payload();
        if (count > 1 && send.size_bytes() == 0) payload += " #" + std::to_string(i + 1);
        const simnet::DurationUs when =
            at_us + static_cast<simnet::DurationUs>(i * send.interval_ms()) * 1000;
        net_.scheduleTimer(when, [target, payload] { target->send(payload); },
                           target->actionsOwner());
      }
      break;
    }
    case dtlsim::Action::kShutdown:
      net_.scheduleTimer(at_us, [target] { target->shutdown(); }, target->actionsOwner());
      break;
    case dtlsim::Action::kAbort:
      net_.scheduleTimer(at_us, [target] { target->abort(); }, target->actionsOwner());
      break;
    case dtlsim::Action::kRestart:
      net_.scheduleTimer(at_us, [target] { target->restart(); }, target->actionsOwner());
      break;
    case dtlsim::Action::kReplay: {
      prepareReplay(a, ep);
      const dtlsim::Replay& r = a.replay();
      const std::uint32_t count = r.count() == 0 ? 1 : r.count();
      const std::uint32_t occurrence = r.occurrence() == 0 ? 1 : r.occurrence();
      const std::string label = r.label();
      for (std::uint32_t i = 0; i < count; ++i) {
        const simnet::DurationUs when =
            at_us + static_cast<simnet::DurationUs>(i * r.interval_ms()) * 1000;
        net_.scheduleTimer(
            when, [target, label, occurrence] { target->replay(label, occurrence); },
            target->actionsOwner());
      }
      break;
    }
    case dtlsim::Action::KIND_NOT_SET:
      break;
  }
}

void World::prepareReplay(const dtlsim::Action& a, Endpoint& ep) {
  ep.captureForReplay(a.replay().label(), a.replay().occurrence() == 0 ? 1 : a.replay().occurrence());
}

simnet::RunResult World::run() {
  dtls::LibraryContextScope openssl_scope(openssl_->get());
  // Backends that draw through a callback (mbedTLS, GnuTLS's gnutls_rnd) read the same seeded
  // stream.
  dtls::RandomSourceScope random_scope(openssl_->randomSource());
  dtls::WallClockScope clock_scope(&clock_);
  simnet::RunLimits limits;
  limits.max_events = kMaxEventsPerRun;
  limits.max_time_us = maxVirtualTimeUs(s_.scenario);
  simnet::RunResult result = net_.run(limits);
  fillOutcome();
  return result;
}

std::string World::describe(simnet::EventOwner owner) const {
  std::vector<std::string> names;
  for (const auto& e : endpoints_) names.push_back(e->name());
  return describeOwner(owner, names);
}

namespace {

// "NAME VERSION" of the library `backend` runs on, as loaded at run time (not the headers
// compiled against): what scripts/stack-versions.sh changes through the loader path.
// OpenSSL's own banner carries a date, so its version is put together from the numbers.
std::string loadedLibrary(const std::string& backend) {
  if (!backend.empty() && backend != "openssl") return dtls::backendVersion(backend);
  return "OpenSSL " + std::to_string(OPENSSL_version_major()) + "." +
         std::to_string(OPENSSL_version_minor()) + "." + std::to_string(OPENSSL_version_patch());
}

}  // namespace

void World::fillOutcome() {
  dtlsim::Outcome* out = trace_.mutable_outcome();
  out->set_end_time_us(static_cast<std::uint64_t>(net_.now_us()));
  out->set_datagrams_sent(net_.stats().sent);
  out->set_datagrams_dropped(net_.stats().droppedTotal());
  for (const auto& e : endpoints_) {
    dtlsim::EndpointOutcome* o = out->add_endpoints();
    e->fillOutcome(o);
    if (e->runsDtls()) o->set_library(loadedLibrary(e->backend()));
  }
  decisionsToProto(net_.recordedDecisions(), trace_.mutable_decisions());
}

}  // namespace scenarios::detail
