// viz/model/trace_source.h — where the viewer's trace comes from: a trace file, or a scenario
// run through the runner library (scenarios/runner.h) with its own seed or a given one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dtlsim/trace.pb.h"

namespace viz {

enum class InputKind { Trace, Scenario };

// A file starting with the trace magic ("DTLSIMT1") is a trace; anything else is read as a
// scenario (text format). A file that cannot be read is reported by loadInput.
InputKind guessInputKind(const std::string& path);

// Loads a trace file or runs a scenario file. Errors (one line naming the file):
//  - scenarios::readTraceFile's ("x.trace: truncated or corrupt trace (...)");
//  - scenarios::loadScenarioFile's ("x.textproto:12:5: ...") and runScenario's;
//  - "<path>: --seed applies to a scenario, this is a trace";
//  - "<path>: the trace has N events, more than dtlsim-viz shows (200000)".
// A scenario run needs the executable to interpose the clock (dtls_clock_interpose) for a run
// identical to `dtlsim run`; without it the run still works, on the wall clock's timers.
bool loadInput(const std::string& path, std::optional<std::uint64_t> seed, dtlsim::Trace* trace,
               std::string* error);

}  // namespace viz
