// scenarios/shrink.h — minimizing the network faults behind a failing run (`dtlsim shrink`).
//
// A fault is one entry of the run's DecisionLog (simnet/decisions.h): simnet records an entry
// exactly for the datagrams whose fate differs from "delivered once, unmodified, after the
// link's latency_us" (dropped, duplicated, truncated, corrupted, delayed or jittered). A
// datagram without an entry is, in replay, delivered cleanly after latency_us — so removing an
// entry from the log "heals" that one datagram and nothing else. The seed is kept: OpenSSL's
// randomness (and so every byte the endpoints write) is the same in every trial.
//
// Algorithm (ddmin, complement removal only, Zeller & Hildebrandt 2002): split the current
// list into n chunks (n = 2 first); for each chunk, re-run with the list minus that chunk
// (RunOptions.replay) and keep the removal when the run still fails "the same way" (below).
// A pass that removed nothing doubles n (halves, quarters, ... single entries); a pass that
// removed something is repeated at the same granularity. It stops when a pass over single
// entries removes nothing — then the list is 1-minimal: removing any one remaining fault
// makes the failure go away — or when the run budget is spent (one_minimal = false).
// Before that, the empty list is tried once: a failure that needs no fault shrinks to zero.
//
// "Fails the same way": by default the run fails and one of its failure lines has the same
// signature as the original run's first failure line, where a signature is the line with
// every number replaced by '#' ("client: expected at most # retransmissions, got #"): removing
// faults changes times and counts, not which check fails. Digits inside a word are part of a
// name and kept ("client8: ..." does not match "client1: ..."). With match_any_failure, any failure
// counts (shrinks further, but may drift to another failure).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "dtlsim/trace.pb.h"
#include "scenarios/scenario_file.h"
#include "simnet/decisions.h"

namespace scenarios {

inline constexpr std::uint64_t kDefaultShrinkMaxRuns = 2000;

struct ShrinkOptions {
  std::uint64_t seed = 0;
  std::uint64_t max_runs = kDefaultShrinkMaxRuns;  // runScenario calls, the first run included
  bool match_any_failure = false;
};

struct ShrinkResult {
  // False: the seed passes; nothing was shrunk (the fields below but `runs` are empty).
  bool failed = false;
  std::string first_failure;   // of the original run
  simnet::DecisionLog original;  // the faults of the original run
  simnet::DecisionLog minimal;   // the faults that remain
  bool one_minimal = false;      // the final single-entry pass removed nothing
  std::uint64_t runs = 0;        // runScenario calls made
  dtlsim::Trace minimal_trace;   // the run that replayed `minimal` (failing)
};

// "client7: expected at most # retransmissions, got #": each number — a maximal run of digits
// (with '.' between digits) not preceded by a letter, digit or '_' — replaced by '#'.
std::string failureSignature(const std::string& failure_line);

// Runs `scenario` with options.seed and, when it fails, shrinks its faults. The starting list
// is the scenario's explicit_faults when it has some (a run replaying them records nothing),
// else the decisions the run recorded. Returns false only for bad input (runScenario's error),
// or when replaying the starting list does not reproduce the failure (a replay bug: the
// message says so).
bool shrinkFailure(const LoadedScenario& scenario, const ShrinkOptions& options,
                   ShrinkResult* result, std::string* error);

// Whether `outcome` fails with a line of signature `signature` (any failure when
// match_any_failure): the test every trial of a shrink makes.
bool failsTheSameWay(const dtlsim::Outcome& outcome, const std::string& signature,
                     bool match_any_failure);

// The algorithm above over any run that replays faults: shrinkFailure's runs of a scenario, a
// Simulation's runs of user code (simulation.h). A trial replays `faults` with the original
// seed and says whether the failure is still there.
enum class TrialResult { kFailsTheSameWay, kPasses, kError };
using ShrinkTrial =
    std::function<TrialResult(const simnet::DecisionLog& faults, std::string* error)>;
// Shrinks `original`, the faults of a run that failed with `failure` (for the message when a
// replay does not reproduce it, with `seed`). Counts trials in *runs (which may start above 0)
// up to max_runs. Returns false on a trial error or a replay that does not reproduce the
// failure, with *error set.
bool minimizeFaults(const simnet::DecisionLog& original, std::uint64_t max_runs,
                    const ShrinkTrial& trial, const std::string& failure, std::uint64_t seed,
                    simnet::DecisionLog* minimal, bool* one_minimal, std::uint64_t* runs,
                    std::string* error);

// explicit_faults only replay when non-empty (scenario.proto), so an empty `faults` is written
// as this one entry, for a datagram id no run reaches (runs are bounded far below it): the
// network still replays — every datagram delivered cleanly — instead of drawing faults.
inline constexpr std::uint64_t kNoFaultSentinelDatagramId = UINT64_MAX;

// The scenario a shrink writes: `scenario` with seed = `seed`, explicit_faults = `faults`, and
// every relative file path (certificate_chain, private_key, ca_certificates) rewritten so it
// resolves from `output_dir` as it did from the original's base_dir: relative to output_dir
// when output_dir is not empty, absolute when it is. Absolute paths are kept as written.
dtlsim::Scenario shrunkScenario(const LoadedScenario& scenario, std::uint64_t seed,
                                const simnet::DecisionLog& faults, const std::string& output_dir);

}  // namespace scenarios
