// scenarios/cli/catalog_matrix.h — `dtlsim catalog --matrix` (catalog_command.cpp hands over).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "args.h"

namespace dtlsim_cli {

// Runs every file (sorted) on every pair of matrixBackends(args), with the story's own seed
// and seeds 1..sweep, and prints one line per story with a cell per pair; under a failing
// story, each failing cell's first seed, failure and reproduce command. Returns the exit code.
int catalogMatrix(const ParsedArgs& args, const std::vector<std::string>& files,
                  std::uint64_t sweep, unsigned jobs);

}  // namespace dtlsim_cli
