#include "scenarios/matrix.h"

#include <algorithm>
#include <cassert>

namespace scenarios {

bool parseBackendList(std::string_view text, std::vector<std::string>* out, std::string* error) {
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string name(text.substr(start, comma - start));
    if (name.empty()) {
      *error = "'" + std::string(text) + "' has an empty backend name";
      return false;
    }
    if (const std::string e = unknownBackendError("--backends", name); !e.empty()) {
      *error = e.substr(e.find(": ") + 2);  // the caller says which option
      return false;
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      *error = "'" + name + "' is given twice";
      return false;
    }
    names.push_back(name);
    if (comma == text.size()) break;
    start = comma + 1;
  }
  *out = std::move(names);
  return true;
}

std::string roleBackendFlags(const RoleBackends& pair) {
  return " --client-backend " + pair.client + " --server-backend " + pair.server;
}

namespace {

// The scenario of every pair, row-major; the tasks of the batch point into it.
bool pairScenarios(const LoadedScenario& scenario, const std::vector<std::string>& backends,
                   std::vector<LoadedScenario>* out, std::vector<RoleBackends>* pairs,
                   std::string* error) {
  for (const std::string& client : backends) {
    for (const std::string& server : backends) {
      pairs->push_back({client, server});
      out->push_back(scenario);
      if (!applyRoleBackends(&out->back(), pairs->back(), error)) return false;
    }
  }
  return true;
}

}  // namespace

bool runMatrix(const LoadedScenario& scenario, const MatrixOptions& options,
               std::vector<MatrixCell>* cells, std::string* error) {
  if (options.backends.empty() || options.seeds.empty()) {
    *error = options.backends.empty() ? "no backend to run" : "no seed to run";
    return false;
  }
  for (const std::string& name : options.backends) {
    if (std::string e = unknownBackendError("backends", name); !e.empty()) {
      *error = std::move(e);
      return false;
    }
  }
  const std::uint64_t pair_count = options.backends.size() * options.backends.size();
  if (options.seeds.size() > kMaxSweepSeeds / pair_count) {
    *error = std::to_string(pair_count) + " pairs x " + std::to_string(options.seeds.size()) +
             " seeds is more than the bound of " + std::to_string(kMaxSweepSeeds) + " runs";
    return false;
  }
  std::vector<LoadedScenario> scenarios;
  std::vector<RoleBackends> pairs;
  scenarios.reserve(static_cast<std::size_t>(pair_count));  // tasks point into it
  if (!pairScenarios(scenario, options.backends, &scenarios, &pairs, error)) return false;

  std::vector<std::string> labels;
  for (const RoleBackends& pair : pairs)
    labels.push_back(pair.client + " client, " + pair.server + " server");
  std::vector<SeedTask> tasks;
  tasks.reserve(scenarios.size() * options.seeds.size());
  for (std::size_t p = 0; p < scenarios.size(); ++p)
    for (const std::uint64_t seed : options.seeds)
      tasks.push_back({&scenarios[p], seed, labels[p], options.swarm});
  std::vector<SeedResult> results;
  if (!runSeedTasks(tasks, options.jobs, options.progress, &results, error)) return false;
  assert(results.size() == tasks.size());

  cells->clear();
  cells->reserve(pairs.size());
  const std::size_t n = options.seeds.size();
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    MatrixCell cell;
    cell.pair = pairs[p];
    cell.results.assign(std::make_move_iterator(results.begin() + p * n),
                        std::make_move_iterator(results.begin() + (p + 1) * n));
    cell.summary = summarize(cell.results);
    for (const auto& [retx, runs] : cell.summary.retransmissions_histogram)
      cell.retransmissions += retx * runs;
    cells->push_back(std::move(cell));
  }
  return true;
}

std::string cellVerdict(const MatrixCell& cell) {
  return std::string(cell.summary.failed == 0 ? "PASS " : "FAIL ") +
         std::to_string(cell.summary.passed) + "/" + std::to_string(cell.summary.runs);
}

}  // namespace scenarios
