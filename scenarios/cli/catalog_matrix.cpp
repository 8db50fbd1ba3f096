// dtlsim catalog --matrix: every story of the catalog on every client × server backend pair,
// one line per story with a cell per pair. A story whose expectation depends on the stack says
// so per library in its file (Expectation.library), so every cell is expected to pass.
#include <algorithm>
#include <cstdio>

#include "backend_options.h"
#include "catalog_matrix.h"
#include "commands.h"
#include "progress_bar.h"
#include "scenarios/matrix.h"
#include "scenarios/oracles.h"
#include "scenarios/runner.h"

namespace dtlsim_cli {

namespace {

// The story's own seed and seeds 1..n: what `catalog --sweep n` judges a story by.
std::vector<std::uint64_t> storySeeds(const scenarios::LoadedScenario& s, std::uint64_t n) {
  std::vector<std::uint64_t> seeds = scenarios::shardSeeds({1, std::max<std::uint64_t>(n, 1)}, {});
  if (n == 0) seeds.clear();
  seeds.push_back(s.scenario.seed());
  std::sort(seeds.begin(), seeds.end());
  seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
  return seeds;
}

std::string pairLabel(const scenarios::RoleBackends& pair) {
  return pair.client + "/" + pair.server;
}

std::string padded(std::string text, std::size_t width) {
  text.resize(std::max(text.size(), width), ' ');
  return text;
}

// Under a story's line: the cell's first failing seed and the command that reproduces it.
std::string failingCellText(const scenarios::MatrixCell& cell, const std::string& file) {
  const scenarios::SeedResult& first = *cell.summary.failing.front();
  return "    " + pairLabel(cell.pair) + ": seed " + std::to_string(first.seed) + ": " +
         scenarios::failureText(first) + "\n      reproduce: " +
         scenarios::reproduceCommand(file, first.seed, scenarios::roleBackendFlags(cell.pair)) +
         "\n";
}

}  // namespace

int catalogMatrix(const ParsedArgs& args, const std::vector<std::string>& files,
                  std::uint64_t sweep, unsigned jobs) {
  std::string error;
  for (const OptionSpec& spec : backendOptionSpecs())
    if (args.has(spec.name))
      return badInput("catalog: --matrix sets the backend of every client and server; " +
                      spec.name + " does not apply");
  if (sweep > scenarios::kMaxSweepSeeds)
    return badInput("catalog: --sweep: more than " + std::to_string(scenarios::kMaxSweepSeeds));
  scenarios::MatrixOptions options;
  options.jobs = jobs;
  if (!matrixBackends(args, &options.backends, &error)) return badInput(error);

  std::vector<std::string> labels;
  std::size_t width = 8;  // "PASS 1/1"
  for (const std::string& client : options.backends)
    for (const std::string& server : options.backends) {
      labels.push_back(pairLabel({client, server}));
      width = std::max(width, labels.back().size());
    }
  std::printf("%s\n\n", scenarios::buildId().c_str());
  std::printf("each cell: client/server backend pair, seeds passing/run (the story's own seed%s)"
              "\n\n",
              sweep ? (" and seeds 1.." + std::to_string(sweep)).c_str() : "");
  std::string header = padded("scenario", 40);
  for (const std::string& label : labels) header += "  " + padded(label, width);
  header.erase(header.find_last_not_of(' ') + 1);
  std::printf("%s\n", header.c_str());

  std::size_t failed_cells = 0;
  std::size_t failed_stories = 0;
  scenarios::OracleTable oracles;
  for (const std::string& file : files) {
    scenarios::LoadedScenario s;
    if (!scenarios::loadScenarioFile(file, &s, &error)) return badInput(error);
    options.seeds = storySeeds(s, sweep);
    ProgressBar bar("runs of " + s.scenario.name());
    options.progress = bar.callback();
    std::vector<scenarios::MatrixCell> cells;
    const bool ok = scenarios::runMatrix(s, options, &cells, &error);
    bar.finish();
    if (!ok) return badInput(file + ": " + error);
    std::string line = padded(s.scenario.name(), 40);
    std::string details;
    for (const auto& cell : cells) {
      for (const auto& result : cell.results) oracles.add(result.oracles);
      line += "  " + padded(scenarios::cellVerdict(cell), width);
      if (cell.summary.failing.empty()) continue;
      ++failed_cells;
      details += failingCellText(cell, file);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::printf("%s\n%s", line.c_str(), details.c_str());
    std::fflush(stdout);
    if (!details.empty()) ++failed_stories;
  }
  const std::size_t pairs = labels.size();
  std::printf("\n%zu stories x %zu pairs: %zu cells passed, %zu failed (%zu stories with a "
              "failing cell)\n",
              files.size(), pairs, files.size() * pairs - failed_cells, failed_cells,
              failed_stories);
  if (args.has("--oracles")) {
    std::printf("\nRFC 6347 oracles over every run above (violations/checks; \"deviates\": every "
                "violation is a known finding, scenarios/findings/):\n%s",
                oracles.text().c_str());
  }
  return failed_cells == 0 ? kExitHeld : kExitFailed;
}

}  // namespace dtlsim_cli
