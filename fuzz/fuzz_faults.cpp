// fuzz_faults: the input decides simnet's fate of every datagram of a real PSK handshake with
// data exchange (scenarios::runScenario with RunOptions::replay). Byte i decides datagram id
// i + 1 (see decisionFromByte in fixture_faults.h and fuzz/README.md); datagrams past the
// input are delivered cleanly. Oracle: the run ends and every invariant holds (no corruption
// reaches the application, no double delivery, amplification bound); timing expectations of
// the scenario are not part of it. The scenario runs on the fixture's backend (fixture.h).
#include "fixture.h"
#include "fixture_faults.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dtlsim_fuzz;
  const simnet::DecisionLog log = decisionsFromBytes(data, size);
  scenarios::RunOptions options;
  options.replay = &log;
  // The oracle reads the outcome, which is the same without events (CatalogTest's
  // WithoutEventsTheRunIsTheSame); recording them, under ASan, cost about a third of each
  // execution (60 s runs: 277-331 exec/s with events, 458-506 without).
  options.events = false;
  dtlsim::Trace trace;
  std::string error;
  if (!scenarios::runScenario(faultScenario(), options, &trace, &error))
    fail("runScenario could not set up: " + error);
  for (const auto& failure : trace.outcome().failures())
    if (failure.rfind("invariant:", 0) == 0) fail(failure);
  if (fingerprintEnabled())
    for (const auto& e : trace.outcome().endpoints())
      noteFingerprint(e.name() + " state=" + e.final_state() + " error=" + e.last_error() +
                      " delivered=" + std::to_string(e.delivered_size()));
  return 0;
}
