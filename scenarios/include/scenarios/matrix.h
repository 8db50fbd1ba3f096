// scenarios/matrix.h — one scenario on every client-backend × server-backend pair (`dtlsim
// matrix`, `dtlsim catalog --matrix`): the same story told by each pair of DTLS stacks.
//
//   MatrixOptions options;
//   options.backends = dtls::availableBackends();   // or parseBackendList("openssl,mbedtls")
//   options.seeds = {1, 2, 3};
//   options.jobs = 2;
//   std::vector<MatrixCell> cells;
//   if (!runMatrix(loaded, options, &cells, &error)) ...  // bad input
//   std::fputs(formatMatrixText(cells, options, "x.textproto").c_str(), stdout);
//
// A cell runs a copy of the scenario with applyRoleBackends(row, column): every client on the
// row's backend, every server on the column's. All pairs × seeds go through one runSeedTasks
// batch, so --jobs spreads over both and the output does not depend on it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario_file.h"
#include "scenarios/sweep.h"

namespace scenarios {

struct MatrixOptions {
  // Rows (client) and columns (server), in this order; each a known backend, no repeats.
  std::vector<std::string> backends;
  // Every pair runs each of these seeds.
  std::vector<std::uint64_t> seeds;
  unsigned jobs = 1;  // 1..kMaxSweepJobs
  SeedProgress progress;
  // What a printed `dtlsim run` needs besides the pair's backends to rebuild a cell's world
  // (" --faults-stop-ms 30000"), each with a leading space.
  std::string run_flags;
  // Swarm testing: every run draws its faults, MTU and action times (not its pair: that is the
  // cell's). Alive during the matrix.
  const SwarmOptions* swarm = nullptr;
};

struct MatrixCell {
  RoleBackends pair;
  std::vector<SeedResult> results;  // one per seed, in MatrixOptions::seeds order
  SweepSummary summary;             // of `results` (points into them: keep the cell alive)
  std::uint64_t retransmissions = 0;  // over every run of the cell, all endpoints

  MatrixCell() = default;
  // `summary` points into `results`: a copy would point into the original.
  MatrixCell(const MatrixCell&) = delete;
  MatrixCell& operator=(const MatrixCell&) = delete;
  MatrixCell(MatrixCell&&) = default;  // vector moves keep the elements where they are
  MatrixCell& operator=(MatrixCell&&) = default;
};

// "openssl,mbedtls" -> {"openssl", "mbedtls"}. Errors (after "--backends: "): an empty name
// ("'a,,b' has an empty backend name"), an unknown one (unknownBackendError), a repeated one
// ("'openssl' is given twice").
bool parseBackendList(std::string_view text, std::vector<std::string>* out, std::string* error);

// Runs every pair (row-major: client backends outer, server backends inner, in
// options.backends order) with every seed. *cells gets one cell per pair. Returns false (bad
// input) when backends is empty or names an unknown backend ("backends: unknown backend 'x'
// (valid: openssl, mbedtls, gnutls, wolfssl)"), seeds is empty, pairs × seeds exceeds kMaxSweepSeeds, or on
// runSeedTasks's errors, prefixed with the pair ("openssl client, mbedtls server: seed 3: ...").
bool runMatrix(const LoadedScenario& scenario, const MatrixOptions& options,
               std::vector<MatrixCell>* cells, std::string* error);

// " --client-backend A --server-backend B": what `dtlsim run` needs to rebuild the cell.
std::string roleBackendFlags(const RoleBackends& pair);

// "PASS 50/50", "FAIL 3/50": whether every seed of the cell passed, and how many did.
std::string cellVerdict(const MatrixCell& cell);

// The table (rows client backends, columns server backends; each cell its verdict, median
// virtual handshake time over the completed handshakes, "-" when none, and retransmissions),
// then each failing cell with its first failing seed, that seed's failureText and the
// reproduceCommand with roleBackendFlags. Deterministic.
std::string formatMatrixText(const std::vector<MatrixCell>& cells, const MatrixOptions& options,
                             const std::string& scenario_path);

// One JSON object (one line, no newline) per cell:
//   {"type":"cell","scenario":"x.textproto","client_backend":"openssl",
//    "server_backend":"mbedtls","runs":50,"passed":47,"failed":3,"handshakes":50,
//    "handshake_p50_us":1040000,"retransmissions":100,"failing_seeds":[3,9,12],
//    "first_failure":{"seed":3,"failure":"...","reproduce":"dtlsim run ..."}}
// (handshake_p50_us null without a completed handshake, first_failure null when all passed).
std::string matrixCellJson(const MatrixCell& cell, const std::string& scenario_path,
                           const std::string& run_flags = "");

}  // namespace scenarios
