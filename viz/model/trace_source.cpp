#include "model/trace_source.h"

#include <fstream>

#include "model/timeline.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/trace_io.h"

namespace viz {

InputKind guessInputKind(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[scenarios::kTraceMagicBytes] = {};
  in.read(magic, sizeof magic);
  if (in.gcount() == static_cast<std::streamsize>(sizeof magic) &&
      std::string(magic, sizeof magic) == scenarios::kTraceMagic)
    return InputKind::Trace;
  // Not a scenario either if it does not read as text; the scenario loader says so with a
  // position. A short binary file named *.trace is still a (broken) trace: say that instead.
  const std::string ext = path.size() >= 6 ? path.substr(path.size() - 6) : std::string();
  return ext == ".trace" ? InputKind::Trace : InputKind::Scenario;
}

bool loadInput(const std::string& path, std::optional<std::uint64_t> seed, dtlsim::Trace* trace,
               std::string* error) {
  if (guessInputKind(path) == InputKind::Trace) {
    if (seed) {
      *error = path + ": --seed applies to a scenario, this is a trace";
      return false;
    }
    if (!scenarios::readTraceFile(path, trace, error)) return false;
  } else {
    scenarios::LoadedScenario scenario;
    if (!scenarios::loadScenarioFile(path, &scenario, error)) return false;
    scenarios::RunOptions options;
    options.seed = seed;
    if (!scenarios::runScenario(scenario, options, trace, error)) return false;
  }
  if (trace->events_size() > kMaxTimelineEvents) {
    *error = path + ": the trace has " + std::to_string(trace->events_size()) +
             " events, more than dtlsim-viz shows (" + std::to_string(kMaxTimelineEvents) + ")";
    trace->Clear();
    return false;
  }
  return true;
}

}  // namespace viz
