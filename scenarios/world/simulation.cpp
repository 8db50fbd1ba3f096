#include "scenarios/simulation.h"

#include <cassert>
#include <cerrno>
#include <deque>
#include <utility>

#include "dtls/openssl_context.h"
#include "dtls/random_source.h"
#include "dtls/wall_clock.h"
#include "endpoint.h"
#include "recorder.h"
#include "scenarios/decisions_io.h"
#include "scenarios/network_config.h"
#include "scenarios/runner.h"
#include "scenarios/sim_rand.h"
#include "scenarios/timeline.h"
#include "scenarios/trace_io.h"
#include "sim_ports.h"

namespace scenarios {

namespace {

// Bounds a run whose code never goes idle (a timer that always re-arms), as the World does.
constexpr std::uint64_t kMaxEventsPerRun = 20'000'000;


class SocketImpl;

class HostImpl final : public Simulation::Host {
 public:
  HostImpl(Simulation::State& state, std::string name, dtls::HostAddress address,
           simnet::Address sim_address)
      : state_(state), name_(std::move(name)), address_(std::move(address)),
        sim_address_(sim_address) {}
  const std::string& name() const override { return name_; }
  dtls::HostAddress address() const override { return address_; }
  Simulation::Socket* bind(std::uint16_t port, std::string* error) override;
  const simnet::Address& simAddress() const { return sim_address_; }

 private:
  Simulation::State& state_;
  std::string name_;
  dtls::HostAddress address_;
  simnet::Address sim_address_;
  std::size_t sockets_ = 0;
};

}  // namespace

struct Simulation::State {
  explicit State(const SimulationOptions& given)
      : net(given.seed),
        clock(net, (given.epoch_unix_s ? given.epoch_unix_s
                                       : static_cast<std::int64_t>(kDefaultEpochUnixS)) *
                       1'000'000),
        recorder(net, &trace) {}

  std::unique_ptr<SeededLibraryContext> library;  // outlives every dtls object of the world
  simnet::Network net;
  detail::SimClock clock;
  dtlsim::Trace trace;
  detail::Recorder recorder;
  // Hosts in the order added (their sockets keep the order they were bound in).
  std::deque<std::unique_ptr<HostImpl>> hosts;
  std::map<std::string, HostImpl*> by_name;
  std::deque<std::unique_ptr<SocketImpl>> sockets;
  std::vector<std::pair<std::string, Invariant>> invariants;
  std::map<std::string, bool> invariant_failed;  // by name: only its first violation is kept
  bool started = false;
  const SimulationOptions* options = nullptr;  // the Simulation's

  // Checks and applies the network's links, partitions and rules, once, before the first
  // datagram or the first run: simnet decides a datagram's fate when it is sent.
  bool start(std::string* error);
};

namespace {

class SocketImpl final : public Simulation::Socket {
 public:
  SocketImpl(Simulation::State& state, simnet::SocketId id, std::string name)
      : state_(state),
        inner_(state.net, id,
               [&state](std::string_view bytes, const dtls::HostAddress&, std::uint16_t) {
                 state.recorder.willSend(bytes);
               }),
        name_(std::move(name)) {
    state_.net.setReceiveCallback(id, [this](simnet::SocketId) { drain(); });
  }

  std::int64_t writeDatagram(std::string_view datagram, const dtls::HostAddress& address,
                             std::uint16_t port) override {
    std::string why;
    if (!state_.start(&why)) {
      error_ = EINVAL;
      error_string_ = "writeDatagram from " + name_ + ": the network cannot be applied: " + why;
      return -1;
    }
    const std::int64_t written = inner_.writeDatagram(datagram, address, port);
    error_ = inner_.error();
    error_string_ = inner_.errorString();
    return written;
  }
  int error() const override { return error_; }
  std::string errorString() const override { return error_string_; }
  std::optional<std::uint16_t> pathMtuBytes() const override { return inner_.pathMtuBytes(); }

  void setReceiveCallback(Simulation::ReceiveCallback callback) override {
    callback_ = std::move(callback);
    // Datagrams that came while nobody listened are handed over on the next event, never
    // from inside this call (the caller may be half-way through its own setup).
    if (callback_ && state_.net.pendingDatagrams(inner_.id()) > 0)
      state_.net.scheduleTimer(0, [this] { drain(); });
  }
  dtls::HostAddress localAddress() const override {
    return detail::toHostAddress(state_.net.localEndpoint(inner_.id()).address);
  }
  std::uint16_t localPort() const override { return state_.net.localEndpoint(inner_.id()).port; }
  const std::string& name() const override { return name_; }

 private:
  void drain() {
    while (callback_ && state_.net.receive(inner_.id(), scratch_)) {
      const dtls::ByteArray bytes(scratch_.bytes.begin(), scratch_.bytes.end());
      state_.recorder.delivered(scratch_.datagram_id, scratch_.copy, bytes);
      // A copy: the callback may replace itself.
      const Simulation::ReceiveCallback callback = callback_;
      callback(bytes, detail::toHostAddress(scratch_.source.address), scratch_.source.port);
    }
  }

  Simulation::State& state_;
  detail::SimSocket inner_;
  std::string name_;
  Simulation::ReceiveCallback callback_;
  simnet::Datagram scratch_;
  int error_ = 0;
  std::string error_string_;
};

Simulation::Socket* HostImpl::bind(std::uint16_t port, std::string* error) {
  const auto id = state_.net.bind(sim_address_, port);
  if (!id.ok()) {
    if (error != nullptr)
      *error = "bind " + name_ + " (" + address_.toString() + "):" + std::to_string(port) + ": " +
               id.message();
    return nullptr;
  }
  const simnet::Endpoint local = state_.net.localEndpoint(id.value());
  std::string name = sockets_++ == 0 ? name_ : name_ + ":" + std::to_string(local.port);
  state_.recorder.nameEndpoint(local, name);
  state_.sockets.push_back(std::make_unique<SocketImpl>(state_, id.value(), std::move(name)));
  return state_.sockets.back().get();
}

}  // namespace

bool parseNetwork(const std::string& text, const std::string& display_name,
                  SimulationOptions* options, std::string* error) {
  return parseNetworkText(text, display_name, &options->network, &options->network_locations,
                          error);
}

// ---- Scope ------------------------------------------------------------------------------------

struct Simulation::Scope::Scopes {
  explicit Scopes(Simulation::State& s)
      : library(s.library->get()), random(s.library->randomSource()), clock(&s.clock) {}
  dtls::LibraryContextScope library;
  dtls::RandomSourceScope random;
  dtls::WallClockScope clock;
};

Simulation::Scope::Scope(Simulation& simulation)
    : scopes_(std::make_unique<Scopes>(*simulation.state_)) {}
Simulation::Scope::~Scope() = default;

// ---- Simulation --------------------------------------------------------------------------------

Simulation::Simulation(const SimulationOptions& options)
    : options_(options), state_(std::make_unique<State>(options)) {
  state_->options = &options_;
}

Simulation::~Simulation() {
  if (!state_->library) return;  // create() failed: nothing was built in it
  // Sockets hold callbacks into user objects that are gone by now; nothing may run them.
  Scope scope(*this);
  state_->sockets.clear();
}

std::unique_ptr<Simulation> Simulation::create(const SimulationOptions& options,
                                               std::string* error) {
  if (options.epoch_unix_s < 0 ||
      static_cast<std::uint64_t>(options.epoch_unix_s) > kMaxEpochUnixS) {
    if (error != nullptr)
      *error = options.name + ": epoch_unix_s " + std::to_string(options.epoch_unix_s) +
               " is outside [0, " + std::to_string(kMaxEpochUnixS) + "]";
    return nullptr;
  }
  std::unique_ptr<Simulation> sim(new Simulation(options));
  State& s = *sim->state_;
  s.library = SeededLibraryContext::create(options.seed, error);
  if (!s.library) return nullptr;
  s.net.setClassifier([](std::span<const std::uint8_t> bytes, std::vector<simnet::Label>& out) {
    const dtls::ByteArray datagram(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (auto& [label, epoch] : detail::datagramLabels(datagram))
      out.push_back(simnet::Label{std::move(label), epoch});
  });
  s.net.setObserver(&s.recorder);
  s.recorder.setRecording(options.record_events);
  if (options.replay != nullptr) {
    s.net.replay(*options.replay);
  } else {
    s.net.setRecording(true);
  }
  return sim;
}

Simulation::Host* Simulation::addHost(const std::string& name, const dtls::HostAddress& address,
                                      std::string* error) {
  const auto fail = [&](const std::string& why) -> Host* {
    if (error != nullptr) *error = "addHost " + name + " (" + address.toString() + "): " + why;
    return nullptr;
  };
  if (name.empty()) return fail("empty host name");
  if (address.isNull() || address.isAny() || address.isMulticast() || address.isBroadcast())
    return fail("not a unicast IPv4 or IPv6 address");
  if (state_->by_name.contains(name)) return fail("a host with this name exists");
  const simnet::Address sim_address = detail::toSimAddress(address);
  const auto id = state_->net.addHost(name, {sim_address});
  if (!id.ok()) return fail(id.message());
  state_->hosts.push_back(std::make_unique<HostImpl>(*state_, name, address, sim_address));
  state_->by_name[name] = state_->hosts.back().get();
  return state_->hosts.back().get();
}

Simulation::Host* Simulation::host(const std::string& name) const {
  const auto it = state_->by_name.find(name);
  return it == state_->by_name.end() ? nullptr : it->second;
}

dtls::TimerService& Simulation::timers() { return state_->clock; }
Simulation::Duration Simulation::now() const { return Duration(state_->net.now_us()); }

bool Simulation::State::start(std::string* error) {
  if (started) return true;
  // The network's names are host names: check and apply it as a scenario whose endpoints are
  // the hosts, so the errors read as a scenario file's do.
  LoadedScenario loaded;
  loaded.path = options->network_locations.displayName();
  loaded.locations = options->network_locations;
  *loaded.scenario.mutable_network() = options->network;
  for (const auto& h : hosts) {
    dtlsim::Endpoint* e = loaded.scenario.add_endpoints();
    e->set_name(h->name());
    e->set_address(h->address().toString());
  }
  if (!validateNetwork(loaded, error) || !configureLinksAndFaults(loaded, net, error))
    return false;
  started = true;
  return true;
}

bool Simulation::start(std::string* error) { return state_->start(error); }

SimulationRun Simulation::runUntilIdle() { return run(std::nullopt); }
SimulationRun Simulation::runUntil(Duration t) { return run(t); }
SimulationRun Simulation::runFor(Duration d) { return run(now() + d); }

SimulationRun Simulation::run(std::optional<Duration> until) {
  SimulationRun report;
  if (!start(&report.error)) {
    report.ok = false;
    return report;
  }
  Scope scope(*this);
  State& s = *state_;
  const simnet::TimeUs limit_us = until ? std::max<simnet::TimeUs>(until->count(), s.net.now_us())
                                        : simnet::kTimeNever;
  if (s.invariants.empty()) {
    simnet::RunLimits limits;
    limits.max_events = kMaxEventsPerRun;
    const simnet::RunResult r =
        until ? s.net.runUntil(limit_us, kMaxEventsPerRun) : s.net.run(limits);
    report.stop = r.stop;
    report.events = r.events;
  } else {
    // One event at a time, so each invariant is checked in the state every event leaves. The
    // scheduler's livelock bound counts per call, so it is counted here.
    simnet::TimeUs instant = s.net.now_us();
    std::uint64_t at_instant = 0;
    simnet::RunLimits one;
    one.max_events = 1;
    one.max_time_us = limit_us;
    for (;;) {
      const simnet::RunResult r = s.net.run(one);
      report.events += r.events;
      if (r.events == 0) {
        report.stop = r.stop;  // idle, or the next event is after `until`
        // Nothing is due before `until` any more: this only moves the clock there.
        if (until) s.net.runUntil(limit_us, 1);
        break;
      }
      checkInvariantsNow();
      if (s.net.now_us() != instant) {
        instant = s.net.now_us();
        at_instant = 0;
      }
      // The scheduler's bound: max_events_per_instant, then a sample of kLivelockSampleEvents.
      if (++at_instant >= simnet::kDefaultMaxEventsPerInstant + simnet::kLivelockSampleEvents) {
        report.stop = simnet::RunStop::kLivelock;
        break;
      }
      if (report.events >= kMaxEventsPerRun) {
        report.stop = simnet::RunStop::kEventLimit;
        break;
      }
    }
  }
  if (report.stop == simnet::RunStop::kLivelock)
    failures_.push_back("livelock at t=" + formatMs(s.net.now_us()) +
                        " ms: virtual time stopped advancing");
  if (report.stop == simnet::RunStop::kEventLimit)
    failures_.push_back("event limit (" + std::to_string(kMaxEventsPerRun) +
                        " events in one run) at t=" + formatMs(s.net.now_us()) + " ms");
  return report;
}

void Simulation::checkInvariantsNow() {
  // By index, copying the check: a check may add invariants.
  for (std::size_t i = 0; i < state_->invariants.size(); ++i) {
    const std::string name = state_->invariants[i].first;
    if (state_->invariant_failed[name]) continue;
    const Invariant check = state_->invariants[i].second;
    const std::string what = check();
    if (what.empty()) continue;
    state_->invariant_failed[name] = true;
    failures_.push_back("invariant " + name + " at t=" + formatMs(state_->net.now_us()) +
                        " ms: " + what);
  }
}

void Simulation::addInvariant(const std::string& name, Invariant invariant) {
  state_->invariants.emplace_back(name, std::move(invariant));
}

void Simulation::fail(const std::string& what) { failures_.push_back(what); }

void Simulation::note(const std::string& who, const std::string& what) {
  state_->recorder.endpointEvent(who, dtlsim::TraceEvent::NOTE, what);
}

std::function<void(const std::string&)> Simulation::keyLogger() {
  return [this](const std::string& line) { state_->recorder.keylog(line); };
}

const dtlsim::Trace& Simulation::trace() {
  dtlsim::Trace& t = state_->trace;
  dtlsim::Scenario* scenario = t.mutable_scenario();
  scenario->Clear();
  scenario->set_name(options_.name);
  scenario->set_seed(options_.seed);
  scenario->set_epoch_unix_s(options_.epoch_unix_s);
  *scenario->mutable_network() = options_.network;
  t.set_seed(options_.seed);
  t.set_build_id(buildId());
  t.clear_endpoints();
  for (const auto& socket : state_->sockets) {
    dtlsim::EndpointInfo* info = t.add_endpoints();
    info->set_name(socket->name());
    info->set_role("application");
    info->set_address(socket->localAddress().toString());
    info->set_port(socket->localPort());
  }
  t.clear_decisions();
  decisionsToProto(state_->net.recordedDecisions(), t.mutable_decisions());
  dtlsim::Outcome* outcome = t.mutable_outcome();
  outcome->set_passed(failures_.empty());
  outcome->clear_failures();
  for (const std::string& f : failures_) outcome->add_failures(f);
  outcome->set_end_time_us(state_->net.now_us());
  outcome->set_datagrams_sent(state_->net.stats().sent);
  outcome->set_datagrams_dropped(state_->net.stats().droppedTotal());
  return t;
}

bool Simulation::writeTrace(const std::string& path, std::string* error) {
  return writeTraceFile(trace(), path, error);
}

bool Simulation::writePcapng(const std::string& path, std::string* error,
                             const PcapngOptions& options) {
  return scenarios::writePcapng(trace(), path, error, options);
}

const simnet::DecisionLog& Simulation::faults() const { return state_->net.recordedDecisions(); }

// ---- Running a body, shrinking ----------------------------------------------------------------

SimulationVerdict runSimulation(const SimulationOptions& options, const SimulationBody& body) {
  SimulationVerdict verdict;
  std::unique_ptr<Simulation> sim = Simulation::create(options, &verdict.error);
  if (!sim) {
    verdict.ok = false;
    return verdict;
  }
  const std::string own = body(*sim);
  // The body's own verdict first: a shrink matches the first failure's signature.
  if (!own.empty()) verdict.failures.push_back(own);
  for (const std::string& f : sim->failures()) verdict.failures.push_back(f);
  verdict.trace = sim->trace();
  dtlsim::Outcome* outcome = verdict.trace.mutable_outcome();
  outcome->set_passed(verdict.failures.empty());
  outcome->clear_failures();
  for (const std::string& f : verdict.failures) outcome->add_failures(f);
  return verdict;
}

bool shrinkSimulation(const SimulationOptions& options, const SimulationBody& body,
                      const ShrinkOptions& shrink, ShrinkResult* result, std::string* error) {
  *result = ShrinkResult{};
  SimulationOptions first = options;
  first.replay = nullptr;
  SimulationVerdict verdict = runSimulation(first, body);
  result->runs = 1;
  if (!verdict.ok) {
    *error = verdict.error;
    return false;
  }
  if (verdict.failures.empty()) return true;
  result->failed = true;
  result->first_failure = verdict.failures.front();
  if (!decisionsFromProto(verdict.trace.decisions(), &result->original, error)) return false;
  result->minimal_trace = std::move(verdict.trace);

  const std::string signature = failureSignature(result->first_failure);
  const ShrinkTrial trial = [&](const simnet::DecisionLog& log, std::string* trial_error) {
    SimulationOptions replay = options;
    replay.replay = &log;
    SimulationVerdict v = runSimulation(replay, body);
    if (!v.ok) {
      *trial_error = v.error;
      return TrialResult::kError;
    }
    if (!failsTheSameWay(v.trace.outcome(), signature, shrink.match_any_failure))
      return TrialResult::kPasses;
    result->minimal_trace = std::move(v.trace);
    return TrialResult::kFailsTheSameWay;
  };
  return minimizeFaults(result->original, shrink.max_runs, trial, result->first_failure,
                        options.seed, &result->minimal, &result->one_minimal, &result->runs,
                        error);
}

}  // namespace scenarios
