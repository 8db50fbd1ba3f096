// scenarios/simulation.h — run your own DTLS application code in a seeded, simulated network.
//
// A scenario file runs dtlsim's own endpoints. A Simulation runs yours: code written against
// dtls::Connection, dtls::ClientVerifier, dtls::DatagramSocket and dtls::TimerService runs
// unchanged over real UDP (dtls::posix::UdpSocket + dtls::posix::EventLoop) and here, where
// the sockets are simnet's, time is virtual, and every random byte any backend draws comes
// from the seed. The same seed and the same code give a byte-identical trace.
//
//   scenarios::SimulationOptions options;
//   options.seed = 7;
//   options.network.mutable_default_link()->set_loss_probability(0.3);
//   auto sim = scenarios::Simulation::create(options, &error);
//   scenarios::Simulation::Socket* s =
//       sim->addHost("server", dtls::HostAddress("10.0.0.1"))->bind(4433, &error);
//   scenarios::Simulation::Scope scope(*sim);   // dtls objects are built in the world's context
//   MyServer my_server(*s, sim->timers());      // your code: a DatagramSocket + a TimerService
//   s->setReceiveCallback([&](const dtls::ByteArray& d, const dtls::HostAddress& from,
//                             std::uint16_t port) { my_server.onDatagram(d, from, port); });
//   ...
//   sim->runFor(std::chrono::seconds(60));
//   sim->writePcapng("run.pcapng", &error);
//
// The library context. dtls objects read the seeded randomness, the library context and the
// virtual wall clock (gettimeofday()/time() as libssl sees them) from the thread they are
// built and used on. Callbacks the simulation runs (receive callbacks, timers) already run
// inside its context; code that builds dtls objects outside them does it inside a
// Simulation::Scope. The executable must link dtls_clock_interpose (as dtlsim and the tests
// do), or OpenSSL's timers follow the real clock.
//
// Lifetime. Destroy every dtls object and everything that holds a socket or the timers before
// the Simulation (declare the Simulation first). One Simulation per thread at a time runs;
// several may exist, each with its own library state (nothing is shared between them).
//
// Errors are values, as everywhere in dtls: functions return false / nullptr / a report and
// say what was wrong. The network's links, partitions and rules are checked and applied before
// the first datagram is written or the first run (simnet decides a datagram's fate when it is
// sent): add every host they name before that. A name no host has fails that write (error()
// EINVAL, errorString() naming it) and that run, at its position in the network text when it
// came from one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/ssl.h"
#include "dtls/timer_service.h"
#include "dtlsim/scenario.pb.h"
#include "dtlsim/trace.pb.h"
#include "scenarios/pcapng.h"
#include "scenarios/scenario_file.h"
#include "scenarios/shrink.h"
#include "simnet/decisions.h"
#include "simnet/scheduler.h"

namespace scenarios {

struct SimulationOptions {
  // Every draw of the network (loss, jitter...) and of every DTLS library comes from it.
  std::uint64_t seed = 0;
  // Links, partitions and fault rules, as in a scenario file's `network { }`; the names in it
  // are host names (Simulation::addHost). Build it in code or with parseNetwork().
  dtlsim::Network network;
  // Where `network` was written (parseNetwork fills it), so errors point at the text.
  SourceLocations network_locations{"network"};
  // The trace's name for this simulation (Scenario.name) and the prefix of its errors.
  std::string name = "simulation";
  // The Unix time virtual time 0 stands for (what libssl's time() reads); 0: 2030-01-01.
  std::int64_t epoch_unix_s = 0;
  // False: the trace gets no events (datagrams, notes); runs are faster, everything else equal.
  bool record_events = true;
  // Replays exactly these network decisions instead of drawing them (shrinkSimulation uses
  // it); not owned, must outlive the Simulation.
  const simnet::DecisionLog* replay = nullptr;
};

// Parses the text of a network description into options->network and its positions.
// Errors: "<display_name>:<line>:<col>: <message>".
bool parseNetwork(const std::string& text, const std::string& display_name,
                  SimulationOptions* options, std::string* error);

// How a run call ended.
struct SimulationRun {
  // False: it could not start (the network names a host nobody added...); `error` says why.
  bool ok = true;
  std::string error;
  // kIdle: nothing left to do; kTimeLimit: stopped at the requested time; kEventLimit /
  // kLivelock: a runaway (also listed in failures()).
  simnet::RunStop stop = simnet::RunStop::kIdle;
  std::uint64_t events = 0;
};

class Simulation {
 public:
  using Duration = std::chrono::microseconds;
  using ReceiveCallback = std::function<void(const dtls::ByteArray& datagram,
                                             const dtls::HostAddress& from, std::uint16_t port)>;
  // One invariant of the application: empty while it holds, else what is wrong.
  using Invariant = std::function<std::string()>;

  // A UDP socket bound on a host: write with writeDatagram (dtls::DatagramSocket), read through
  // the receive callback, which the simulation calls once per datagram delivered, inside its
  // context. Datagrams that arrive while no callback is set wait for one.
  class Socket : public dtls::DatagramSocket {
   public:
    virtual void setReceiveCallback(ReceiveCallback callback) = 0;
    virtual dtls::HostAddress localAddress() const = 0;
    virtual std::uint16_t localPort() const = 0;
    // The name the trace gives this socket: its host's name for the host's first socket,
    // "host:port" for the others.
    virtual const std::string& name() const = 0;

   protected:
    Socket() = default;
  };

  // A simulated machine: one address, any number of sockets.
  class Host {
   public:
    virtual ~Host() = default;
    virtual const std::string& name() const = 0;
    virtual dtls::HostAddress address() const = 0;
    // Binds a socket to `port` (0: an ephemeral port, 49152 and up). nullptr with *error when
    // the port is taken. The simulation owns the socket.
    virtual Socket* bind(std::uint16_t port, std::string* error = nullptr) = 0;

   protected:
    Host() = default;
  };

  // Makes the simulation's context current on this thread for the scope's lifetime (scopes
  // nest): build dtls objects inside one.
  class Scope {
   public:
    explicit Scope(Simulation& simulation);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    struct Scopes;
    std::unique_ptr<Scopes> scopes_;
  };

  // nullptr with *error when epoch_unix_s is outside [0, kMaxEpochUnixS] or the seeded library
  // context cannot be built.
  static std::unique_ptr<Simulation> create(const SimulationOptions& options, std::string* error);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Adds a host named `name` at `address` (IPv4 or IPv6, not any/multicast/broadcast). Returns
  // nullptr with *error for a bad address, a name or address already used, or an empty name.
  // The simulation owns the host.
  Host* addHost(const std::string& name, const dtls::HostAddress& address,
                std::string* error = nullptr);
  // The host named `name`, or nullptr.
  Host* host(const std::string& name) const;

  // Virtual time, and timers on it; callbacks run inside the simulation's context.
  dtls::TimerService& timers();
  Duration now() const;

  // Runs events until nothing is left, until virtual time `t`, or for `d` more virtual time.
  // Each run checks the invariants after every event; the first violation of each is kept
  // (failures()) and the run goes on.
  SimulationRun runUntilIdle();
  SimulationRun runUntil(Duration t);
  SimulationRun runFor(Duration d);

  // Checked after every event of the runs that start after this call; `name` prefixes its
  // failure line. The check must stay valid (what it captures alive) for every later run.
  void addInvariant(const std::string& name, Invariant invariant);
  // Adds a failure line of the application's own ("request 3 answered twice").
  void fail(const std::string& what);
  // The failures so far, one line each: "invariant NAME at t=T ms: WHAT", the application's
  // own (fail()), and runaway runs ("livelock at t=T ms", "event limit").
  const std::vector<std::string>& failures() const { return failures_; }

  // An event of the application in the trace (a NOTE, shown by the timeline and dtlsim-viz).
  void note(const std::string& who, const std::string& what);
  // For dtls::Connection::setKeyLogCallback: puts the secrets in the trace, so exported
  // captures decrypt in Wireshark.
  std::function<void(const std::string&)> keyLogger();

  // The trace so far, with the outcome (passed = no failure) and the network's decisions.
  const dtlsim::Trace& trace();
  bool writeTrace(const std::string& path, std::string* error);
  bool writePcapng(const std::string& path, std::string* error, const PcapngOptions& options = {});
  // The faults the network decided so far (empty when it replays): what shrinkSimulation
  // minimizes.
  const simnet::DecisionLog& faults() const;

  const SimulationOptions& options() const { return options_; }

  struct State;  // simulation.cpp

 private:
  explicit Simulation(const SimulationOptions& options);
  SimulationRun run(std::optional<Duration> until);
  bool start(std::string* error);
  void checkInvariantsNow();

  SimulationOptions options_;
  std::unique_ptr<State> state_;
  std::vector<std::string> failures_;
};

// Your application's run, from a fresh Simulation to its verdict: builds its code on `sim`,
// runs it and returns the failure (empty: it passed; sim.failures() count as failures too).
using SimulationBody = std::function<std::string(Simulation& sim)>;

// Runs `body` once with `options` and, when it fails, shrinks the network's faults as
// `dtlsim shrink` does (shrink.h): result->minimal is the smallest fault list found that
// still fails the same way (as its first failure line), result->minimal_trace its trace.
// options.seed is the seed (shrink.seed is not used). Returns false on an error (the
// simulation cannot be built, or replaying does not reproduce the failure: the body is not a
// function of the seed and the faults).
bool shrinkSimulation(const SimulationOptions& options, const SimulationBody& body,
                      const ShrinkOptions& shrink, ShrinkResult* result, std::string* error);

// Runs `body` once and returns its failure lines (the body's own, then sim.failures()) and
// the trace: what a test or a shrink judges.
struct SimulationVerdict {
  bool ok = true;  // false: the simulation could not be built (`error`)
  std::string error;
  std::vector<std::string> failures;
  dtlsim::Trace trace;
};
SimulationVerdict runSimulation(const SimulationOptions& options, const SimulationBody& body);

}  // namespace scenarios
