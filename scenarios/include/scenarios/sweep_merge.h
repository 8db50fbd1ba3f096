// scenarios/sweep_merge.h — puts the JSON lines of sharded sweeps back together (DESIGN.md §7):
// `dtlsim sweep FILE --seeds A..B --shard K/N --json`, run on N machines, then `dtlsim merge`
// over their outputs prints what one `dtlsim sweep FILE --seeds A..B` prints, byte for byte.
//
//   std::vector<ShardOutput> shards(files.size());
//   for (i...) if (!parseShardOutput(text[i], files[i], &shards[i], &error)) ...  // bad input
//   MergedSweep merged;
//   if (!mergeShardOutputs(shards, &merged, &error)) ...  // missing or duplicated seeds, ...
//   const SweepSummary summary = summarize(merged.results);
//
// A shard's output is its seed lines followed by its summary line; one file may hold several
// shards' outputs one after another (each closed by its summary). Nothing is trusted: every
// seed must belong to the shard its summary names, each summary's counts must match its seed
// lines, and the shards together must hold every seed of the range exactly once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/sweep.h"

namespace scenarios {

// One shard's output: its seed lines and what its summary line says.
struct ShardRun {
  std::string scenario;
  SeedRange range;
  Shard shard;
  std::string run_flags;
  std::vector<SeedResult> results;  // in the order of their lines
  std::vector<std::size_t> lines;   // 1-based line of each result
  std::size_t summary_line = 0;
};

// The shard runs of one file.
struct ShardOutput {
  std::string file;  // names the file in errors
  std::vector<ShardRun> runs;
};

// Reads `text` (JSON lines; blank lines are skipped). Errors name "<file>:<line>: " and what is
// wrong: not JSON (with the column), not an object of type "seed" or "summary", a field missing
// or of the wrong type, seed lines after the last summary, no summary at all.
bool parseShardOutput(std::string_view text, const std::string& file, ShardOutput* out,
                      std::string* error);

struct MergedSweep {
  std::string scenario;
  SeedRange range;
  std::string run_flags;
  std::vector<SeedResult> results;  // sorted by seed, every seed of the range once
};

// Checks the shards against each other and merges them. Errors: no shard; shards of different
// sweeps (scenario, range, shard count or run flags differ: both values and where); a shard
// given twice; a seed that is not in its shard, or listed twice (both places); a summary whose
// counts do not match its seed lines; missing shards and missing seeds (the first ten of them
// and how many).
bool mergeShardOutputs(const std::vector<ShardOutput>& outputs, MergedSweep* out,
                       std::string* error);

}  // namespace scenarios
