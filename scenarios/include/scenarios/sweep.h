// scenarios/sweep.h — one scenario over a range of seeds, in parallel, summarized
// deterministically (DESIGN.md §6 `dtlsim sweep`, §7 sharding).
//
//   SweepOptions options;
//   parseSeedRange("1..1000", &options.seeds, &error);
//   parseShard("2/4", &options.shard, &error);   // seeds 2, 6, 10, ...
//   options.jobs = 2;
//   std::vector<SeedResult> results;
//   if (!runSweep(loaded, options, &results, &error)) ...  // bad input
//   const SweepSummary summary = summarize(results);
//
// Each seed runs in its own World (its own OpenSSL library context; the virtual clock is
// thread-local), so worlds on different threads share nothing but the const scenario. Results
// come back sorted by seed, so everything derived from them (summary, text, JSON) is the same
// for any number of jobs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtlsim/trace.pb.h"
#include "scenarios/scenario_file.h"
#include "scenarios/swarm.h"

namespace scenarios {

// Bound on the seeds one sweep (one shard) runs: results stay in memory until the summary.
inline constexpr std::uint64_t kMaxSweepSeeds = 10'000'000;
// Bound on --jobs.
inline constexpr unsigned kMaxSweepJobs = 256;

// Seeds first..last, both included.
struct SeedRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

// Shard `index` of `count`, 1-based: shard K/N runs the seeds s of the range with
// (s - first) % N == K - 1. Shards 1/N ... N/N together run every seed exactly once. A
// Kubernetes Indexed Job passes --shard $((JOB_COMPLETION_INDEX+1))/N, a Slurm array
// (--array=1-N) passes --shard $SLURM_ARRAY_TASK_ID/N.
struct Shard {
  std::uint64_t index = 1;
  std::uint64_t count = 1;
};

// "A..B" with decimal A <= B. Errors (in *error): "'<text>' is not a seed range (A..B)",
// "'<text>': A is greater than B".
bool parseSeedRange(std::string_view text, SeedRange* out, std::string* error);
// "K/N" with decimal 1 <= K <= N. Errors: "'<text>' is not a shard (K/N, 1-based)",
// "'<text>': K must be in 1..N".
bool parseShard(std::string_view text, Shard* out, std::string* error);
// Strict decimal uint64 (no sign, no spaces, no overflow).
bool parseUint64(std::string_view text, std::uint64_t* out);

// How many seeds of `range` shard `shard` runs (saturates at UINT64_MAX for 0..UINT64_MAX).
std::uint64_t shardSeedCount(const SeedRange& range, const Shard& shard);
// Those seeds, ascending. Precondition: shardSeedCount(range, shard) <= kMaxSweepSeeds.
std::vector<std::uint64_t> shardSeeds(const SeedRange& range, const Shard& shard);

// What the summary needs from one run (the trace itself is not kept).
struct SeedResult {
  std::uint64_t seed = 0;
  bool passed = false;
  std::vector<std::string> failures;
  // The latest handshake_done_us over the client endpoints; unset when a client never
  // completed (or the scenario has no client).
  std::optional<std::uint64_t> handshake_us;
  // Retransmissions of every endpoint, summed.
  std::uint64_t retransmissions = 0;
  std::uint64_t end_time_us = 0;
  // The run's RFC 6347 oracle checks (Outcome.oracles), for tables over many runs.
  std::vector<dtlsim::OracleCheck> oracles;
  // A swarm run's draw (Outcome.swarm_draw); empty otherwise.
  std::string swarm_draw;
};

// The SeedResult of a finished run's trace.
SeedResult seedResultOf(const dtlsim::Trace& trace);

// Called after each finished run with (done, total), from the worker that finished it, never
// concurrently. May be empty.
using SeedProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct SweepOptions {
  SeedRange seeds;
  Shard shard;
  unsigned jobs = 1;  // worker threads, 1..kMaxSweepJobs
  SeedProgress progress;
  // Swarm testing (scenarios/swarm.h): each seed runs its own draw. Alive during the sweep.
  const SwarmOptions* swarm = nullptr;
};

// One run of a batch: `scenario` (alive during the batch) with `seed`.
struct SeedTask {
  const LoadedScenario* scenario = nullptr;
  std::uint64_t seed = 0;
  // Names the task in a setup error when several scenarios share a batch (alive during it).
  std::string_view label;
  const SwarmOptions* swarm = nullptr;  // RunOptions::swarm (alive during the batch)
};

// The worker pool of every sweep: runs each task in its own World, `jobs` at a time.
// *results receives one entry per task, in task order, so everything derived from them is the
// same for any `jobs`. Returns false (bad input) when jobs is 0 or above kMaxSweepJobs ("jobs
// must be in 1..256, got 0"), or when a task cannot be set up: runScenario's error prefixed
// with "seed N: " (and "<label>: " before that when the task has one), of the first such task
// in order; the remaining tasks are skipped.
bool runSeedTasks(const std::vector<SeedTask>& tasks, unsigned jobs, const SeedProgress& progress,
                  std::vector<SeedResult>* results, std::string* error);

// Runs every seed of the shard through runSeedTasks. *results receives one entry per seed,
// sorted by seed. Returns false (bad input) when the shard has more than kMaxSweepSeeds seeds,
// or on runSeedTasks's errors (the lowest seed that cannot be set up is the one reported).
bool runSweep(const LoadedScenario& scenario, const SweepOptions& options,
              std::vector<SeedResult>* results, std::string* error);

// Nearest-rank percentile (p in 1..100) of ascending `sorted` values: the value at 1-based rank
// ceil(p * n / 100). Precondition: `sorted` non-empty and ascending.
std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, unsigned p);

struct SweepSummary {
  std::uint64_t runs = 0;
  std::uint64_t passed = 0;
  std::uint64_t failed = 0;
  // Over the runs whose handshake completed (handshakes of them).
  std::uint64_t handshakes = 0;
  std::uint64_t handshake_p50_us = 0;
  std::uint64_t handshake_p90_us = 0;
  std::uint64_t handshake_p99_us = 0;
  std::uint64_t handshake_max_us = 0;
  // Retransmissions (per run, all endpoints) -> number of runs.
  std::map<std::uint64_t, std::uint64_t> retransmissions_histogram;
  // The failing results, ascending by seed (pointers into the summarized vector).
  std::vector<const SeedResult*> failing;
};

// Precondition: `results` sorted by seed (as runSweep returns them) and alive while the
// summary's `failing` pointers are used.
SweepSummary summarize(const std::vector<SeedResult>& results);

// A failed run's first failure, and how many more there were: "client: expected ... (+2 more)"
// ("failed" when the outcome lists none).
std::string failureText(const SeedResult& result);
// "dtlsim run <scenario_path> --seed N<run_flags>": the command that reproduces one run.
// `run_flags` are the options that changed the scenario (" --backend mbedtls"), each with a
// leading space; without them the printed command would run another world.
std::string reproduceCommand(const std::string& scenario_path, std::uint64_t seed,
                             const std::string& run_flags);

// The human summary: counts, percentiles, histogram, and each failing seed with its
// failureText and reproduceCommand. Deterministic.
std::string formatSummaryText(const SweepSummary& summary, const std::string& scenario_path,
                              const std::string& run_flags = "");

// One JSON object (one line, no newline) per seed:
//   {"type":"seed","seed":7,"passed":false,"failures":["..."],"handshake_us":12345,
//    "retransmissions":2,"end_time_us":1000000}
// (handshake_us null when unset). And the summary:
//   {"type":"summary","scenario":"...","seeds":"1..100","shard":"1/1","run_flags":"",
//    "runs":100,...}
std::string seedResultJson(const SeedResult& result);
// `run_flags` as for reproduceCommand: `dtlsim merge` needs them to print the reproduce commands.
std::string summaryJson(const SweepSummary& summary, const std::string& scenario_path,
                        const SeedRange& range, const Shard& shard,
                        const std::string& run_flags = "");
// Everything `dtlsim sweep` prints on stdout for `results` (sorted by seed): with `json`, a
// seedResultJson line per result and the summaryJson line; else the line "sweep <path> seeds
// A..B shard K/N" and formatSummaryText. `dtlsim merge` prints the same for merged shards.
std::string sweepReport(const std::vector<SeedResult>& results, const std::string& scenario_path,
                        const SeedRange& range, const Shard& shard, const std::string& run_flags,
                        bool json);
// JSON string literal (with quotes) of UTF-8 text: ", \ and control characters escaped.
std::string jsonString(std::string_view text);

}  // namespace scenarios
