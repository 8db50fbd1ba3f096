// scenarios/cli/progress_bar.h — the progress line of the commands that run many seeds.
#pragma once

#include <cstdint>
#include <string>

#include "scenarios/sweep.h"

namespace dtlsim_cli {

// A one-line bar redrawn on stderr when the finished fraction moves by a bar cell or more.
// Fed by runSeedTasks's progress callback, so never called concurrently.
class ProgressBar {
 public:
  static constexpr std::uint64_t kCells = 40;

  // `unit` names what is counted: "seeds", "runs".
  explicit ProgressBar(std::string unit) : unit_(std::move(unit)) {}

  // The callback to give runSeedTasks: draws this bar when stderr is a terminal, else empty
  // (a log file gets no carriage returns). The bar must outlive the run.
  scenarios::SeedProgress callback();
  void update(std::uint64_t done, std::uint64_t total);
  // Clears the bar's line if one was drawn.
  void finish();

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  std::string unit_;
  std::uint64_t drawn_cells_ = kNone;
};

}  // namespace dtlsim_cli
