// fuzz_scenario: the scenario text parser with its validation (scenarios::parseScenarioText)
// and the trace reader (scenarios::parseTrace). Input: the bytes, given to both. Oracle: a
// trace that parses serializes and parses again.
#include "fixture.h"
#include "scenarios/scenario_file.h"
#include "scenarios/trace_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dtlsim_fuzz;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  scenarios::LoadedScenario loaded;
  std::string error;
  // Relative certificate paths resolve against the catalog, as for the committed scenarios.
  (void)scenarios::parseScenarioText(bytes, "fuzz.textproto", DTLSIM_CATALOG_DIR, &loaded, &error);

  dtlsim::Trace trace;
  if (!scenarios::parseTrace(bytes, &trace, &error)) return 0;
  std::string again;
  dtlsim::Trace reread;
  if (!scenarios::serializeTrace(trace, &again, &error)) fail("serializeTrace: " + error);
  if (!scenarios::parseTrace(again, &reread, &error)) fail("a re-serialized trace: " + error);
  return 0;
}
