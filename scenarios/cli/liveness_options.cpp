#include "liveness_options.h"

namespace dtlsim_cli {

namespace {

constexpr const char* kStop = "--faults-stop-ms";
constexpr const char* kBound = "--liveness-bound-ms";

}  // namespace

std::vector<OptionSpec> livenessOptionSpecs() { return {{kStop, true}, {kBound, true}}; }

bool applyLivenessOptions(const ParsedArgs& args, scenarios::LoadedScenario* scenario,
                          std::string* error) {
  if (!args.has(kStop) && !args.has(kBound)) return true;
  dtlsim::Scenario& s = scenario->scenario;
  if (args.has(kStop)) {
    std::uint64_t stop = 0;
    if (!numberOption(args, kStop, 0, &stop, error)) return false;
    s.mutable_liveness()->set_faults_stop_ms(stop);
  } else if (!s.has_liveness()) {
    *error = std::string(kBound) + ": needs " + kStop + " (the scenario has no liveness phase)";
    return false;
  }
  if (args.has(kBound)) {
    std::uint64_t bound = 0;
    if (!numberOption(args, kBound, 0, &bound, error)) return false;
    s.mutable_liveness()->set_bound_ms(bound);
  }
  const std::uint64_t end_ms = static_cast<std::uint64_t>(scenarios::maxVirtualTimeUs(s) / 1000);
  const dtlsim::Liveness& l = s.liveness();
  const std::uint64_t bound = scenarios::livenessBoundMs(l);
  if (l.faults_stop_ms() > end_ms || bound > end_ms - l.faults_stop_ms()) {
    *error = std::string(args.has(kStop) ? kStop : kBound) + ": " +
             std::to_string(l.faults_stop_ms()) + " + bound " + std::to_string(bound) +
             " ms is after the end of the run (max_virtual_time_ms " + std::to_string(end_ms) +
             ")";
    return false;
  }
  return true;
}

std::string livenessFlags(const ParsedArgs& args) {
  std::string flags;
  for (const char* name : {kStop, kBound})
    if (const auto value = args.value(name)) flags += std::string(" ") + name + " " + *value;
  return flags;
}

}  // namespace dtlsim_cli
