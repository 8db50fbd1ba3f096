// dtlsim: the command-line front end of the scenarios library (DESIGN.md §6).
#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "scenarios/runner.h"

int main(int argc, char** argv) {
  using namespace dtlsim_cli;
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::fputs(overviewHelp().c_str(), stderr);
    return kExitBadInput;
  }
  const std::string& command = all.front();
  const Args rest(all.begin() + 1, all.end());
  if (command == "--help" || command == "-h") {
    std::fputs(overviewHelp().c_str(), stdout);
    return kExitHeld;
  }
  if (command == "--version") {
    std::printf("%s\n", scenarios::buildId().c_str());
    return kExitHeld;
  }
  if (command == "help") {
    if (rest.empty()) {
      std::fputs(overviewHelp().c_str(), stdout);
      return kExitHeld;
    }
    const std::string text = commandHelp(rest.front());
    if (text.empty()) return badInput("help: unknown command '" + rest.front() + "'");
    std::fputs(text.c_str(), stdout);
    return kExitHeld;
  }
  if (command == "run") return runCommand(rest);
  if (command == "sweep") return sweepCommand(rest);
  if (command == "replay") return replayCommand(rest);
  if (command == "shrink") return shrinkCommand(rest);
  if (command == "catalog") return catalogCommand(rest);
  if (command == "matrix") return matrixCommand(rest);
  if (command == "merge") return mergeCommand(rest);
  return badInput("unknown command '" + command + "' (see dtlsim --help)");
}
