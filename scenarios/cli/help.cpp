#include <cstdio>

#include "args.h"
#include "commands.h"

namespace dtlsim_cli {

int badInput(const std::string& message) {
  std::fprintf(stderr, "dtlsim: %s\n", message.c_str());
  return kExitBadInput;
}

namespace {

// The liveness options of run, sweep and matrix (liveness_options.h).
constexpr const char* kLivenessHelp = R"(  --faults-stop-ms T
                  a liveness phase (the scenario's `liveness` block, overridden): from T ms on
                  the network is clean (latency, bandwidth and MTU stay); every handshake still
                  in progress must end and every payload sent then must arrive, or the run fails
                  naming the stalled endpoint, its state and its next DTLS timer
  --liveness-bound-ms B
                  how long after T every handshake must have ended (default 130000)
)";

// The swarm options of run, sweep (with --backends) and matrix (without: the cell is the pair).
constexpr const char* kSwarmHelp = R"(  --swarm         swarm testing: each seed draws which faults are on (loss, burst, duplicate,
                  reorder, corrupt, truncate, jitter) and how strong, the MTU, a stretch of the
                  actions' times and a liveness phase (faults stop at 5, 10, 20 or 40 s); the
                  story's expectations are dropped and the run is judged by the invariants,
                  the RFC 6347 oracles and the liveness phase. The draw is printed with each
                  failing seed; `dtlsim run FILE --seed N --swarm` repeats it exactly
)";
constexpr const char* kSwarmBackendsHelp = R"(  --backends A,B  with --swarm: every seed also draws its client and its server backend from
                  these
)";

}  // namespace

std::string overviewHelp() {
  return R"(usage: dtlsim COMMAND [ARGS]

Deterministic DTLS simulation: a scenario file (Protobuf text format, scenario.proto) run in
virtual time over a simulated network with real DTLS stacks (OpenSSL, mbedTLS, ...).

commands:
  run SCENARIO      run one seed, check expectations and invariants, export the trace
  sweep SCENARIO    run a range of seeds in parallel and summarize them
  merge SHARD...    the summary of a sweep run as shards (--shard K/N --json), from their outputs
  replay TRACE      print the text timeline of a trace file
  shrink SCENARIO   minimize the network faults of a failing seed
  catalog [DIR]     run every scenario of a catalog (default scenarios/catalog) with a summary
  matrix SCENARIO   run a scenario on every client backend x server backend pair, as a table
  help COMMAND      the options of one command

  dtlsim --version  the build id (what can change a trace)

exit status: 0 expectations and invariants held (or the command succeeded), 1 an expectation
or invariant failed, 2 bad input (arguments, scenario file as file:line:column, trace file).
)";
}

std::string commandHelp(const std::string& command) {
  if (command == "catalog") {
    return R"(usage: dtlsim catalog [DIR] [--sweep N] [--jobs N] [--backend NAME]
                        [--client-backend NAME] [--server-backend NAME]
       dtlsim catalog [DIR] --matrix [--backends A,B,...] [--sweep N] [--jobs N] [--oracles]

Runs every *.textproto in DIR (default scenarios/catalog), in name order, each with its own
seed, and prints one row per scenario (result, client handshake time, retransmissions,
datagrams sent and dropped) and a summary.
  --sweep N   also run seeds 1..N of each scenario and show how many meet every expectation
              and invariant; a scenario passes only if every seed does (its first failing
              seed is printed with the command that reproduces it)
  --jobs N    worker threads for --sweep (default: the number of CPUs)
  --backend NAME  the DTLS stack of endpoints whose scenario names none (openssl, mbedtls, gnutls,
                  wolfssl)
  --client-backend NAME, --server-backend NAME
                  the DTLS stack of every client (server), even one whose scenario names one
  --matrix        run every scenario on every client x server backend pair (see dtlsim help
                  matrix) and print one line per scenario with a cell per pair, "client/server":
                  "PASS 21/21" = seeds passing / seeds run (its own seed and seeds 1..N).
                  Under a failing scenario, each failing pair's first seed, its failure and the
                  command that reproduces it. A story whose expectation depends on the stack
                  says so per library in its file (Expectation.library), with the reason.
  --backends A,B  with --matrix: the backends (default: every backend compiled in)
  --oracles       with --matrix: after the table, the RFC 6347 oracle table over every run:
                  per property and library: holds (N checks), deviates V/N (every violation
                  a known finding, named) or VIOLATED V/N; and the retransmission timer values
                  each library used
exit status: 0 every scenario passed (with its own seed, and with seeds 1..N under --sweep;
on every pair under --matrix), 1 one failed, 2 bad input.
)";
  }
  if (command == "run") {
    return R"(usage: dtlsim run SCENARIO [--seed N] [--trace FILE] [--pcap FILE] [--keylog FILE]
                    [--timeline] [--backend NAME] [--client-backend NAME] [--server-backend NAME]
                    [--faults-stop-ms T [--liveness-bound-ms B]] [--oracles]
                    [--swarm [--backends A,B]]

Runs SCENARIO once and prints PASSED or FAILED with one line per failed expectation, invariant
or RFC 6347 oracle, then one "excused:" line per oracle violation that a known finding explains
(scenarios/findings/).
  --seed N        override the scenario's seed (decimal)
  --trace FILE    write the trace (dtlsim trace format; `dtlsim replay FILE` prints it)
  --pcap FILE     write a pcapng capture (Wireshark decrypts it with the embedded keys)
  --keylog FILE   write the NSS key log (SSLKEYLOGFILE format)
  --timeline      print the text timeline before the result
  --oracles       print every RFC 6347 oracle the run exercised: per property and endpoint, how
                  often it was checked and whether it held, and the retransmission timer values
  --backend NAME  the DTLS stack of endpoints whose scenario names none (openssl, mbedtls, gnutls,
                  wolfssl)
  --client-backend NAME
                  the DTLS stack of every client endpoint, even one whose scenario names one
                  (a matrix cell's reproduce command uses it)
  --server-backend NAME
                  the same for every server endpoint (and its cookie verifier)
)" + std::string(kLivenessHelp) + kSwarmHelp + kSwarmBackendsHelp +
           R"(exit status: 0 held, 1 failed, 2 bad input.
)";
  }
  if (command == "merge") {
    return R"(usage: dtlsim merge SHARD_FILE... [--json]

Reads the outputs of `dtlsim sweep SCENARIO --seeds A..B --shard K/N --json` (one file per
shard, or several shards' outputs in one file) and prints exactly what one
`dtlsim sweep SCENARIO --seeds A..B` (with the same options) prints: the text summary, or with
--json the seed lines and the summary line. The shards must be of one sweep (same scenario,
seeds, shard count and options) and hold every seed of the range once: a missing shard, a
missing or duplicated seed, a seed outside its shard or a summary that does not match its seed
lines is an error naming the file and line. deploy/ runs the shards as a Kubernetes Indexed Job
or a Slurm array, then this.
  --json    JSON lines, as `dtlsim sweep --json` prints them
exit status: 0 every seed passed, 1 some seed failed, 2 bad input.
)";
  }
  if (command == "sweep") {
    return R"(usage: dtlsim sweep SCENARIO --seeds A..B [--jobs N] [--shard K/N] [--json] [--backend NAME]
                      [--client-backend NAME] [--server-backend NAME]
                      [--faults-stop-ms T [--liveness-bound-ms B]] [--swarm [--backends A,B]]

Runs SCENARIO with every seed in A..B (both included), one world per thread, and prints a
summary: passed/failed counts, virtual handshake time percentiles (nearest rank; the latest
client handshake_done of each run), a histogram of retransmissions per run (all endpoints),
and each failing seed with its first failure and the command that reproduces it. The summary
depends only on the seeds, never on --jobs.
  --seeds A..B    the seed range (required)
  --jobs N        worker threads (default: the number of CPUs, at most 256)
  --backend NAME  the DTLS stack of endpoints whose scenario names none (openssl, mbedtls, gnutls,
                  wolfssl)
  --client-backend NAME, --server-backend NAME
                  the DTLS stack of every client (server), even one whose scenario names one
  --shard K/N     1-based: run only the seeds s with (s - A) % N == K - 1; shards 1/N ... N/N
                  together run every seed once. Kubernetes Indexed Job:
                    --shard $((JOB_COMPLETION_INDEX+1))/N
                  Slurm array (--array=1-N):  --shard $SLURM_ARRAY_TASK_ID/N
)" + std::string(kLivenessHelp) + kSwarmHelp + kSwarmBackendsHelp +
           R"(  --json          JSON lines on stdout instead of the text summary: one object per seed
                  {"type":"seed","seed","passed","failures","handshake_us","retransmissions",
                  "end_time_us"} in seed order, then {"type":"summary",...}; the output of
                  several shards concatenates.
A progress bar is drawn on stderr when stderr is a terminal.
exit status: 0 every seed passed, 1 some seed failed, 2 bad input.
)";
  }
  if (command == "matrix") {
    return R"(usage: dtlsim matrix SCENARIO [--backends A,B,...] [--seeds A..B] [--jobs N] [--json]
                       [--faults-stop-ms T [--liveness-bound-ms B]] [--swarm]

Runs SCENARIO on every client backend x server backend pair: in the cell of row X and column
Y every client endpoint runs on X and every server endpoint on Y, whatever backend the
scenario names (noise senders are not DTLS and stay as they are). Prints a table, rows client
backends, columns server backends; each cell: PASS or FAIL, seeds passing / seeds run, the
median virtual handshake time over the runs whose client handshakes completed ("-" if none)
and the retransmissions of all endpoints summed over the runs. Then each failing cell with its
failing seeds, the first one's failure and the command that reproduces it:
  dtlsim run SCENARIO --seed N --client-backend X --server-backend Y
The output depends only on the backends and seeds, never on --jobs.
  --backends A,B  the backends, in row/column order (default: every backend compiled in)
  --seeds A..B    the seed range (default: the scenario's own seed)
  --jobs N        worker threads over pairs x seeds (default: the number of CPUs, at most 256)
)" + std::string(kLivenessHelp) + kSwarmHelp +
           R"(  --json          JSON lines on stdout instead of the table: one object per cell, rows first,
                  {"type":"cell","scenario","client_backend","server_backend","runs","passed",
                  "failed","handshakes","handshake_p50_us","retransmissions","failing_seeds",
                  "first_failure":{"seed","failure","reproduce"}} (handshake_p50_us and
                  first_failure null when there is none)
A progress bar is drawn on stderr when stderr is a terminal.
exit status: 0 every cell passed, 1 some cell failed, 2 bad input (an unknown backend in
--backends names the valid ones).
)";
  }
  if (command == "replay") {
    return R"(usage: dtlsim replay TRACE [--records]

Prints the text timeline of a trace file written by `dtlsim run --trace`.
  --records       one indented line per decoded DTLS record under each datagram
exit status: 0, or 2 when the file is missing, not a trace, truncated or corrupt.
)";
  }
  if (command == "shrink") {
    return R"(usage: dtlsim shrink SCENARIO --seed N [-o FILE] [--max-runs N] [--any-failure]
                       [--swarm [--backends A,B]]

Runs SCENARIO with seed N; when it fails, minimizes the network faults the run recorded (each
datagram that was dropped, duplicated, delayed or jittered, truncated or corrupted) while the
failure persists, by ddmin: remove halves, quarters, ... then single faults, re-running with
the remaining faults replayed exactly (a removed fault becomes a clean delivery after the
link latency). The result is 1-minimal unless the run bound is reached: removing any one
remaining fault makes the failure go away.
  --seed N        the failing seed (required)
  -o FILE         write the shrunk scenario here (paths rewritten relative to FILE's
                  directory); without -o it goes to stdout with absolute paths
  --max-runs N    bound on runs (default 2000)
  --any-failure   keep a removal when the run fails in any way; by default the run must fail
                  with the original first failure (numbers ignored: "got 3" matches "got 1")
  --swarm, --backends A,B
                  shrink a seed of `sweep --swarm`: the scenario its draw made (faults, MTU,
                  action times, backends, liveness phase) is what gets shrunk and written
The shrunk scenario sets seed N and explicit_faults; `dtlsim run FILE` reproduces the failure.
exit status: 0 shrunk, or the seed passes ("nothing to shrink"); 1 the failure could not be
replayed; 2 bad input.
)";
  }
  return {};
}

}  // namespace dtlsim_cli
