// viz/model/command_line.h — dtlsim-viz's arguments, parsed before any Qt object exists so a
// bad argument gets its message and exit status 2 even without a display.
//
//   dtlsim-viz [TRACE]
//   dtlsim-viz SCENARIO [--seed N]
//   dtlsim-viz --screenshot FILE.png [--size WxH] (TRACE | SCENARIO [--seed N])
//   dtlsim-viz --compare A B [--seed N] [--seed-b M] [--screenshot FILE.png] [--size WxH]
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace viz {

struct CommandLine {
  std::string input;                  // a trace or a scenario file; empty: start empty
  std::optional<std::uint64_t> seed;  // run the scenario with this seed
  // --compare: `input` is run A, `compare_b` run B (traces or scenarios); B's scenario runs
  // with seed_b, else with `seed`.
  std::string compare_b;
  std::optional<std::uint64_t> seed_b;
  std::string screenshot;             // render the window to this PNG and exit
  int width_px = 1280, height_px = 800;  // the window size (--size)
  bool help = false;
};

inline constexpr int kMaxWindowPx = 8192;  // --size bound (an image larger is a typo)

// Parses argv[1..]. Errors (one line, for stderr): an unknown option, a missing or bad value
// ("--seed: 'x' is not an unsigned integer"), a second input, --seed or --screenshot without
// an input, a screenshot file not ending in ".png", --size outside 320x200..8192x8192,
// --compare with a positional input or without two files, --seed-b without --compare.
bool parseCommandLine(const std::vector<std::string>& args, CommandLine* out, std::string* error);

std::string usageText();

}  // namespace viz
