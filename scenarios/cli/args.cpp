#include "args.h"

#include <algorithm>
#include <thread>

#include "scenarios/sweep.h"

namespace dtlsim_cli {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

namespace {

const OptionSpec* findSpec(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const OptionSpec& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace

bool parseArgs(const std::string& command, const std::vector<std::string>& args,
               const std::vector<OptionSpec>& specs, ParsedArgs* out, std::string* error) {
  *out = ParsedArgs{};
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      out->positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      out->help = true;
      continue;
    }
    const std::size_t eq = arg.rfind("--", 0) == 0 ? arg.find('=') : std::string::npos;
    const std::string name = arg.substr(0, eq);
    const OptionSpec* spec = findSpec(specs, name);
    if (spec == nullptr) {
      *error = command + ": unknown option '" + arg + "' (see dtlsim help " + command + ")";
      return false;
    }
    if (!spec->takes_value) {
      if (eq != std::string::npos) {
        *error = name + ": takes no value";
        return false;
      }
      out->flags.insert(name);
      continue;
    }
    if (eq != std::string::npos) {
      out->values[name] = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      out->values[name] = args[++i];
    } else {
      *error = name + ": missing value";
      return false;
    }
  }
  return true;
}

bool numberOption(const ParsedArgs& args, const std::string& name, std::uint64_t fallback,
                  std::uint64_t* out, std::string* error) {
  const std::optional<std::string> v = args.value(name);
  if (!v) {
    *out = fallback;
    return true;
  }
  if (!scenarios::parseUint64(*v, out)) {
    *error = name + ": '" + *v + "' is not a number";
    return false;
  }
  return true;
}

bool expectPositional(const std::string& command, const ParsedArgs& args,
                      const std::vector<std::string>& names, std::string* error) {
  if (args.positional.size() < names.size()) {
    *error = command + ": expected " + names[args.positional.size()] + " (see dtlsim help " +
             command + ")";
    return false;
  }
  if (args.positional.size() > names.size()) {
    *error = command + ": unexpected argument '" + args.positional[names.size()] + "'";
    return false;
  }
  return true;
}

bool jobsOption(const ParsedArgs& args, unsigned* out, std::string* error) {
  std::uint64_t jobs = 0;
  if (!numberOption(args, "--jobs", defaultJobs(), &jobs, error)) return false;
  if (jobs == 0 || jobs > scenarios::kMaxSweepJobs) {
    *error = "--jobs: must be in 1.." + std::to_string(scenarios::kMaxSweepJobs);
    return false;
  }
  *out = static_cast<unsigned>(jobs);
  return true;
}

unsigned defaultJobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min(n, scenarios::kMaxSweepJobs);
}

}  // namespace dtlsim_cli
