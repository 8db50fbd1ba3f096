// The matrix's text table and JSON lines (matrix.h). Everything here reads the cells only, so
// the output is the same for any --jobs.
#include <algorithm>
#include <cstdio>

#include "scenarios/matrix.h"
#include "scenarios/timeline.h"

namespace scenarios {

namespace {

// "1..50" for a contiguous ascending list, else the seeds themselves: "3, 7, 9".
std::string seedsText(const std::vector<std::uint64_t>& seeds) {
  const bool contiguous = !seeds.empty() && std::is_sorted(seeds.begin(), seeds.end()) &&
                          seeds.back() - seeds.front() + 1 == seeds.size();
  if (contiguous && seeds.size() > 1)
    return std::to_string(seeds.front()) + ".." + std::to_string(seeds.back());
  std::string out;
  for (const std::uint64_t s : seeds) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

std::string cellText(const MatrixCell& cell) {
  const std::string median =
      cell.summary.handshakes == 0 ? "-" : formatMs(cell.summary.handshake_p50_us) + " ms";
  return cellVerdict(cell) + "  " + median + "  " + std::to_string(cell.retransmissions) +
         " retx";
}

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

// The failing seeds of a cell, the first ten of them: a cell can fail thousands.
std::string failingSeedsText(const SweepSummary& summary) {
  constexpr std::size_t kShown = 10;
  std::string out;
  for (std::size_t i = 0; i < std::min(summary.failing.size(), kShown); ++i)
    out += (i ? ", " : "") + std::to_string(summary.failing[i]->seed);
  if (summary.failing.size() > kShown) out += ", ...";
  return out;
}

std::string table(const std::vector<MatrixCell>& cells, const std::vector<std::string>& backends) {
  const std::string corner = "client \\ server";
  std::size_t row_width = corner.size();
  std::size_t cell_width = 0;
  for (const std::string& b : backends) {
    row_width = std::max(row_width, b.size());
    cell_width = std::max(cell_width, b.size());
  }
  std::vector<std::string> texts;
  for (const MatrixCell& cell : cells) {
    texts.push_back(cellText(cell));
    cell_width = std::max(cell_width, texts.back().size());
  }
  std::string out = padded(corner, row_width);
  for (const std::string& b : backends) out += "   " + padded(b, cell_width);
  out.erase(out.find_last_not_of(' ') + 1);
  out += "\n";
  const std::size_t n = backends.size();
  for (std::size_t row = 0; row < n; ++row) {
    std::string line = padded(backends[row], row_width);
    for (std::size_t col = 0; col < n; ++col)
      line += "   " + padded(texts[row * n + col], cell_width);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string formatMatrixText(const std::vector<MatrixCell>& cells, const MatrixOptions& options,
                             const std::string& scenario_path) {
  std::string out = "matrix " + scenario_path + " seeds " + seedsText(options.seeds) + "\n";
  out += "rows: client backend, columns: server backend; each cell: seeds passing/run, median "
         "virtual handshake time, retransmissions over all runs\n\n";
  out += table(cells, options.backends);
  std::string failing;
  std::size_t failed_cells = 0;
  for (const MatrixCell& cell : cells) {
    if (cell.summary.failing.empty()) continue;
    ++failed_cells;
    const SeedResult& first = *cell.summary.failing.front();
    failing += "  " + cell.pair.client + " client, " + cell.pair.server + " server: " +
               std::to_string(cell.summary.failed) + " of " + std::to_string(cell.summary.runs) +
               " seeds failed (" + failingSeedsText(cell.summary) + ")\n";
    failing += "    seed " + std::to_string(first.seed) + ": " + failureText(first) + "\n";
    if (!first.swarm_draw.empty()) failing += "    draw: " + first.swarm_draw + "\n";
    failing += "    reproduce: " +
               reproduceCommand(scenario_path, first.seed,
                                roleBackendFlags(cell.pair) + options.run_flags) +
               "\n";
  }
  out += "\n" + std::to_string(cells.size()) + " pairs: " +
         std::to_string(cells.size() - failed_cells) + " passed, " +
         std::to_string(failed_cells) + " failed\n";
  if (!failing.empty()) out += "failing cells:\n" + failing;
  return out;
}

std::string matrixCellJson(const MatrixCell& cell, const std::string& scenario_path,
                           const std::string& run_flags) {
  const SweepSummary& s = cell.summary;
  std::string out = "{\"type\":\"cell\",\"scenario\":" + jsonString(scenario_path);
  out += ",\"client_backend\":" + jsonString(cell.pair.client);
  out += ",\"server_backend\":" + jsonString(cell.pair.server);
  out += ",\"runs\":" + std::to_string(s.runs) + ",\"passed\":" + std::to_string(s.passed) +
         ",\"failed\":" + std::to_string(s.failed);
  out += ",\"handshakes\":" + std::to_string(s.handshakes);
  out += ",\"handshake_p50_us\":" +
         (s.handshakes == 0 ? std::string("null") : std::to_string(s.handshake_p50_us));
  out += ",\"retransmissions\":" + std::to_string(cell.retransmissions);
  out += ",\"failing_seeds\":[";
  for (std::size_t i = 0; i < s.failing.size(); ++i)
    out += (i ? "," : "") + std::to_string(s.failing[i]->seed);
  out += "],\"first_failure\":";
  if (s.failing.empty()) return out + "null}";
  const SeedResult& first = *s.failing.front();
  out += "{\"seed\":" + std::to_string(first.seed) + ",\"failure\":" +
         jsonString(first.failures.empty() ? "failed" : first.failures.front()) +
         ",\"reproduce\":" +
         jsonString(reproduceCommand(scenario_path, first.seed,
                                    roleBackendFlags(cell.pair) + run_flags)) +
         "}";
  return out + "}";
}

}  // namespace scenarios
