// scenarios/cli/args.h — the argument parsing every dtlsim command shares.
//
// Options are "--name VALUE", "--name=VALUE", "-o VALUE" or bare flags ("--json"); "--" ends
// the options. Errors are one line without the "dtlsim: " prefix (main adds it), e.g.
// "--seed: 'abc' is not a number", "run: unknown option '--sed'", "--seed: missing value".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dtlsim_cli {

// Exit codes (DESIGN.md §6).
inline constexpr int kExitHeld = 0;      // expectations and invariants held / command done
inline constexpr int kExitFailed = 1;    // an expectation or invariant failed
inline constexpr int kExitBadInput = 2;  // bad arguments, scenario or trace file

struct OptionSpec {
  std::string name;  // "--seed", "-o"
  bool takes_value = false;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // option -> value (the last one given)
  std::set<std::string> flags;                // flags given
  bool help = false;                          // -h or --help anywhere

  bool has(const std::string& name) const { return flags.contains(name) || values.contains(name); }
  std::optional<std::string> value(const std::string& name) const;
};

// Parses `args` (the command's arguments, without "dtlsim" and the command name) against
// `specs`. Errors: an option not in specs ("<command>: unknown option '<arg>'"), a missing
// value ("<option>: missing value"), a value given to a flag ("<option>: takes no value").
bool parseArgs(const std::string& command, const std::vector<std::string>& args,
               const std::vector<OptionSpec>& specs, ParsedArgs* out, std::string* error);

// The option's value as a decimal uint64 (unset -> `fallback`). Error: "<option>: '<v>' is not
// a number".
bool numberOption(const ParsedArgs& args, const std::string& name, std::uint64_t fallback,
                  std::uint64_t* out, std::string* error);

// Exactly `count` positional arguments named `names` (for the message): "<command>: expected
// SCENARIO" / "<command>: unexpected argument 'x'".
bool expectPositional(const std::string& command, const ParsedArgs& args,
                      const std::vector<std::string>& names, std::string* error);

// --jobs when not given: the machine's hardware threads, 1..scenarios::kMaxSweepJobs.
unsigned defaultJobs();
// --jobs N (default defaultJobs()). Errors: numberOption's, "--jobs: must be in 1..256".
bool jobsOption(const ParsedArgs& args, unsigned* out, std::string* error);

}  // namespace dtlsim_cli
