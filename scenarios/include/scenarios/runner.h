// scenarios/runner.h — run one scenario with one seed: a World is built from the scenario, run
// in virtual time to its end, and judged against the scenario's expectations and the invariants
// every run must keep (DESIGN.md §6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dtlsim/trace.pb.h"
#include "scenarios/scenario_file.h"
#include "scenarios/swarm.h"
#include "simnet/decisions.h"

namespace scenarios {

struct RunOptions {
  // Overrides the scenario's seed.
  std::optional<std::uint64_t> seed;
  // Replays exactly these network decisions instead of drawing them from the seed (what
  // `dtlsim shrink` does). When null, the scenario's explicit_faults are replayed if present.
  const simnet::DecisionLog* replay = nullptr;
  // False: the trace gets no events (nor the datagrams, decodings and key log lines they
  // carry); the scenario, seed, build id, endpoints, outcome and decisions are all there. That
  // is all a sweep or the catalog summary reads, for a fraction of the cost. The run itself is
  // the same, and so is everything in the trace but the events and key log lines.
  bool events = true;
  // Checks the RFC 6347 oracles (scenarios/oracles.h) as the run goes, with or without events:
  // a violation fails the run unless the library's deviation is a known finding.
  bool oracles = true;
  // Swarm testing (scenarios/swarm.h): the run applies this seed's draw to a copy of the
  // scenario first; the trace holds the scenario as run and Outcome.swarm_draw the draw.
  const SwarmOptions* swarm = nullptr;
};

// Runs the scenario. Returns false only when the scenario cannot be set up (a certificate that
// does not load, an address already bound...), with `error` naming the field as
// "file:line:column: ...". A run whose expectations or invariants fail still returns true; its
// trace's outcome says passed = false and lists one line per failure.
//
// The same scenario, seed and options give a byte-identical trace (serialized): in one process
// or two, in the gcc or the clang build.
bool runScenario(const LoadedScenario& scenario, const RunOptions& options, dtlsim::Trace* trace,
                 std::string* error);

// "dtlsim 0.1.0, OpenSSL 3.0.19": the part of the build that can change a trace. The compiler is
// deliberately not part of it: gcc and clang builds must produce the same bytes.
std::string buildId();
// buildId() and, for endpoints on another backend, that library's version and their names:
// "dtlsim 0.1.0, OpenSSL 3.0.19 ...; mbed TLS 2.28.3 (server)". What a trace records.
std::string buildId(const dtlsim::Scenario& scenario);

}  // namespace scenarios
