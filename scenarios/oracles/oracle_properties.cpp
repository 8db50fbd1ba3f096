// The oracle properties, the libraries known to break them (each with the finding that shows
// it) and the trace-level entry point.
#include <algorithm>
#include <cstdio>
#include <map>

#include "scenarios/library_range.h"
#include "scenarios/oracles.h"
#include "scenarios/timeline.h"

namespace scenarios {

const std::vector<OracleProperty>& oracleProperties() {
  // Order = OracleChecker's Property enum.
  static const std::vector<OracleProperty> properties = {
      {"expiry-retransmits", "RFC 6347 §4.2.4",
       "when the retransmission timer expires during a handshake, the endpoint sends its flight "
       "again (or ends the handshake with an error)"},
      {"retransmit-trigger", "RFC 6347 §4.2.4",
       "a flight is sent again only when its timer expires or a retransmission of the peer's "
       "previous flight arrives, not on part of the peer's next flight"},
      {"timer-backoff", "RFC 6347 §4.2.4.1",
       "each expiry with nothing received in between doubles the timer, up to a cap of no less "
       "than 60 s"},
      {"same-messages", "RFC 6347 §4.2.2",
       "a handshake message sent again keeps its message_seq, type, length and bytes"},
      {"last-flight-answered", "RFC 6347 §4.2.4",
       "for 240 s after completing, the sender of the last flight answers each retransmission "
       "of the peer's last flight (its Finished arriving again) by sending its own again"},
      {"copies-discarded", "RFC 6347 §4.1.2.6",
       "a network copy of a datagram already received changes nothing: no data, no error, no "
       "state change"},
      {"no-amplification", "RFC 6347 §4.2.1",
       "before a peer's cookie is verified, a server sends it no more bytes than it received "
       "from it"},
  };
  return properties;
}

namespace {

struct Deviation {
  std::string_view property;
  std::string_view library;        // LibraryRange.name
  std::string_view min_version;    // empty: no lower bound
  std::string_view below_version;  // empty: no upper bound
  std::string_view finding;
};

// The one place where a library is allowed to break a property, each entry with the finding
// (scenarios/findings/) that shows it and says why. The property itself stays as strict.
constexpr Deviation kKnownDeviations[] = {
    {"expiry-retransmits", "OpenSSL", "3.0.22", "",
     "finding 015: after a write that failed with EAGAIN, OpenSSL 3.0.22 sends nothing at the "
     "next expiry"},
    {"expiry-retransmits", "wolfSSL", "", "",
     "finding 020: a resuming wolfSSL client that got part of the server's flight sends nothing "
     "at its timer's expiry"},
    {"expiry-retransmits", "GnuTLS", "", "",
     "finding 002: GnuTLS drops its flight as soon as one message of the peer's next flight "
     "arrives, so a later expiry has nothing to send"},
    {"retransmit-trigger", "wolfSSL", "", "",
     "finding 021: wolfSSL resends its flight when part of the peer's next flight arrives (an "
     "out-of-order ServerHelloDone or Finished), not only on its timer or a repeat"},
    {"timer-backoff", "GnuTLS", "", "",
     "finding 001: GnuTLS takes the doubled timeout modulo 60 s (32 s becomes 4 s)"},
    {"last-flight-answered", "wolfSSL", "", "",
     "finding 007: wolfSSL drops plaintext records once its handshake is done and does not "
     "resend on a repeated Finished"},
    {"last-flight-answered", "GnuTLS", "", "",
     "findings 011 and 014: GnuTLS keeps its last flight for 60 s only and ignores a "
     "retransmission that arrives within its own timer"},
};

}  // namespace

std::optional<std::string> knownDeviation(std::string_view property, const std::string& library) {
  for (const Deviation& d : kKnownDeviations) {
    if (d.property != property) continue;
    dtlsim::LibraryRange range;
    range.set_name(std::string(d.library));
    range.set_min_version(std::string(d.min_version));
    range.set_below_version(std::string(d.below_version));
    if (libraryMatches(range, library)) return std::string(d.finding);
  }
  return std::nullopt;
}

std::vector<dtlsim::OracleCheck> checkOracles(const dtlsim::Trace& trace) {
  OracleChecker checker(trace.scenario());
  for (const dtlsim::TraceEvent& e : trace.events()) checker.onEvent(e);
  std::vector<dtlsim::OracleCheck> checks = checker.finish();
  std::map<std::string, std::string> libraries;
  for (const dtlsim::EndpointOutcome& o : trace.outcome().endpoints())
    libraries[o.name()] = o.library();
  for (dtlsim::OracleCheck& c : checks) c.set_library(libraries[c.endpoint()]);
  return checks;
}

namespace {

std::string msValue(std::uint64_t us) { return formatMs(us) + " ms"; }

const OracleProperty* propertyNamed(std::string_view name) {
  const auto& properties = oracleProperties();
  const auto p = std::find_if(properties.begin(), properties.end(),
                              [&](const OracleProperty& x) { return x.name == name; });
  return p == properties.end() ? nullptr : &*p;
}

}  // namespace

std::string formatOracleChecks(const dtlsim::Outcome& outcome) {
  std::string text;
  for (const dtlsim::OracleCheck& c : outcome.oracles()) {
    const OracleProperty* p = propertyNamed(c.property());
    char head[128];
    std::snprintf(head, sizeof head, "  %-21s %-19s ", c.property().c_str(),
                  p ? std::string(p->section).c_str() : "");
    text += head + c.endpoint();
    if (!c.library().empty()) text += " (" + c.library() + ")";
    text += ": " + std::to_string(c.checks()) + (c.checks() == 1 ? " check, " : " checks, ");
    if (c.violations() == 0) {
      text += "held";
    } else {
      text += std::to_string(c.violations()) + " violated" +
              (c.excused_by().empty()
                   ? ""
                   : " (excused: " + c.excused_by().substr(0, c.excused_by().find(':')) + ")");
    }
    if (c.longest_us() > 0) {
      text += "; timer";
      if (c.initial_min_us() > 0) {
        text += " first " + msValue(c.initial_min_us());
        if (c.initial_max_us() != c.initial_min_us()) text += ".." + msValue(c.initial_max_us());
        text += ",";
      }
      text += " longest " + msValue(c.longest_us());
    }
    text += "\n";
  }
  return text;
}

std::string oracleFailureText(const dtlsim::OracleCheck& check) {
  const OracleProperty* p = propertyNamed(check.property());
  std::string text = "oracle " + check.property();
  if (p != nullptr) text += " (" + std::string(p->section) + ")";
  text += ": " + check.endpoint();
  if (!check.library().empty()) text += " (" + check.library() + ")";
  text += ": " + check.first_violation();
  if (check.violations() > 1) text += " (" + std::to_string(check.violations()) + " times)";
  return text;
}

}  // namespace scenarios
