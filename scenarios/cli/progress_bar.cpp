#include "progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace dtlsim_cli {

scenarios::SeedProgress ProgressBar::callback() {
  if (!isatty(STDERR_FILENO)) return {};
  return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  const std::uint64_t cells = total == 0 ? kCells : done * kCells / total;
  if (cells == drawn_cells_ && done != total) return;
  drawn_cells_ = cells;
  std::fprintf(stderr, "\r[%s%s] %llu/%llu %s", std::string(cells, '#').c_str(),
               std::string(kCells - cells, '.').c_str(), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), unit_.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (drawn_cells_ != kNone) std::fprintf(stderr, "\r\033[K");
}

}  // namespace dtlsim_cli
