// scenarios/oracles.h — the RFC 6347 rules every run is checked against, read from its trace.
//
// The expectations of a scenario say what one story must show; the oracles say what every DTLS
// endpoint must do in any story: retransmit on its timer, back the timer off, resend the same
// messages, answer a retransmitted last flight, ignore network copies, not amplify before the
// cookie. Each is a named property with its RFC section (oracleProperties()); a run reports, per
// property and endpoint, how often the trace gave it a chance to fail and how often it did.
//
//   OracleChecker checker(scenario);
//   for (const dtlsim::TraceEvent& e : trace.events()) checker.onEvent(e);
//   std::vector<dtlsim::OracleCheck> checks = checker.finish();
//
// The checker reads events one by one, so the World feeds it while it runs, also when the trace
// keeps no events (a sweep). It judges one virtual instant at a time: everything an endpoint did
// at time t answers what reached it at t (a simulated endpoint reacts without delay), so the
// order of events inside an instant does not matter.
//
// A library that knowingly breaks a property is listed once, in knownDeviation(), with the
// finding that shows it; the property stays as strict for every other library.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dtlsim/scenario.pb.h"
#include "dtlsim/trace.pb.h"

namespace scenarios {

struct OracleProperty {
  std::string_view name;     // "timer-backoff"
  std::string_view section;  // "RFC 6347 §4.2.4.1"
  std::string_view rule;     // one sentence
};
// Every property, in the order reports list them.
const std::vector<OracleProperty>& oracleProperties();

// The finding that shows `library` ("wolfSSL 5.5.4") breaking `property`, as "finding 007:
// <why>"; nullopt when the library is expected to keep it.
std::optional<std::string> knownDeviation(std::string_view property, const std::string& library);

// RFC 6347 §4.2.4 asks the sender of the last flight to answer its peer's retransmissions for
// at least twice TCP's maximum segment lifetime (2 x 2 minutes).
inline constexpr std::uint64_t kFinishedStateUs = 240'000'000;
// The timer may stop doubling at its cap, which must be no less than 60 s (§4.2.4.1).
inline constexpr std::uint64_t kMinTimerCapUs = 60'000'000;

class OracleChecker {
 public:
  // Reads which endpoints are servers, which ignore their timers and which run without cookies.
  explicit OracleChecker(const dtlsim::Scenario& scenario);
  ~OracleChecker();
  OracleChecker(const OracleChecker&) = delete;
  OracleChecker& operator=(const OracleChecker&) = delete;

  // Events in time order; a DELIVER must carry the records of the bytes received.
  void onEvent(const dtlsim::TraceEvent& e);
  // Judges the last instant and returns one entry per property and endpoint that was checked,
  // sorted by property (oracleProperties() order), then endpoint. `library` is left empty.
  std::vector<dtlsim::OracleCheck> finish();
  // When `endpoint` last received from `peer` ("10.0.0.2:49152"; ignored for a client) an
  // epoch-0 handshake message newer than the ones it had answered with a new message of its
  // own; nullopt if never. A stall with such input after the faults stopped is not one that a
  // silent timer explains: the endpoint had something new to act on.
  std::optional<std::uint64_t> lastUnansweredInputUs(const std::string& endpoint,
                                                     const std::string& peer) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The checker over a stored trace (its events must have been recorded), with each entry's
// library filled from the outcome.
std::vector<dtlsim::OracleCheck> checkOracles(const dtlsim::Trace& trace);

// The oracle table over many runs (`dtlsim catalog --matrix --oracles`): per property and
// library (its name without version), how often it was checked, how often it broke, and
// whether a known finding explains it; then the retransmission timer values per library.
class OracleTable {
 public:
  void add(const std::vector<dtlsim::OracleCheck>& checks);
  // Rows = properties, columns = libraries (sorted by name). A cell is "holds (N)" with N
  // checks, "deviates V/N (finding 007)" when every violation is a known deviation, and
  // "VIOLATED V/N" otherwise; "-" when no run exercised it.
  std::string text() const;
  // How many violations no finding explains.
  std::uint64_t unexplained() const;

 private:
  struct Cell {
    std::uint64_t checks = 0;
    std::uint64_t violations = 0;
    std::uint64_t unexcused = 0;
    std::string excused_by;  // the first finding's number ("finding 007")
    std::uint64_t initial_min_us = 0, initial_max_us = 0, longest_us = 0;
  };
  std::map<std::pair<std::string, std::string>, Cell> cells_;  // (property, library)
  std::set<std::string> libraries_;
};

// One line per check of a run, for `dtlsim run --oracles`:
//   "  last-flight-answered  RFC 6347 §4.2.4    server (OpenSSL 3.0.22): 2 checks, held"
// and for timer-backoff the timer values seen ("first 1000.000 ms, longest 8000.000 ms").
std::string formatOracleChecks(const dtlsim::Outcome& outcome);

// "oracle last-flight-answered (RFC 6347 §4.2.4): server (wolfSSL 5.5.4): at t=... ms: ...".
std::string oracleFailureText(const dtlsim::OracleCheck& check);

}  // namespace scenarios
