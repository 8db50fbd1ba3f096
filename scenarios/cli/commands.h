// scenarios/cli/commands.h — the dtlsim commands, one file each (DESIGN.md §6). Each takes
// its arguments (after the command name) and returns the process exit code (args.h); output
// goes to stdout, errors to stderr prefixed with "dtlsim: ".
#pragma once

#include <string>
#include <vector>

namespace dtlsim_cli {

using Args = std::vector<std::string>;

int runCommand(const Args& args);
int sweepCommand(const Args& args);
int replayCommand(const Args& args);
int shrinkCommand(const Args& args);
int catalogCommand(const Args& args);
int matrixCommand(const Args& args);
int mergeCommand(const Args& args);

// The text of `dtlsim help <command>`; empty for an unknown command.
std::string commandHelp(const std::string& command);
// The text of `dtlsim --help`.
std::string overviewHelp();

// Prints "dtlsim: <message>" to stderr and returns kExitBadInput.
int badInput(const std::string& message);

}  // namespace dtlsim_cli
