#include <algorithm>
#include <cstdio>

#include "judge.h"
#include "scenarios/library_range.h"

namespace scenarios::detail {

namespace {

std::string ms(std::uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

std::string joined(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

const dtlsim::EndpointOutcome* findOutcome(const dtlsim::Outcome& outcome, const std::string& name) {
  for (const auto& e : outcome.endpoints())
    if (e.name() == name) return &e;
  return nullptr;
}

void checkOne(const dtlsim::Expectation& x, const dtlsim::EndpointOutcome& o,
              std::uint64_t end_time_us, std::vector<std::string>& failures) {
  const std::string who = x.endpoint() + ": ";
  auto fail = [&](const std::string& what) { failures.push_back(who + what); };
  const bool completed = o.has_handshake_done_us();

  if (x.has_handshake_done_by_ms()) {
    const std::uint64_t by_us = x.handshake_done_by_ms() * 1000;
    if (!completed)
      fail("expected the handshake done by " + std::to_string(x.handshake_done_by_ms()) +
           " ms, it never completed (last error: " +
           (o.last_error().empty() ? "none" : o.last_error() + " " + o.last_error_string()) + ")");
    else if (o.handshake_done_us() > by_us)
      fail("expected the handshake done by " + std::to_string(x.handshake_done_by_ms()) +
           " ms, it completed at " + ms(o.handshake_done_us()));
  }
  if (x.has_handshake_fails() && x.handshake_fails() && completed)
    fail("expected the handshake to fail, it completed at " + ms(o.handshake_done_us()));
  if (x.has_final_state() && x.final_state() != o.final_state())
    fail("expected final state " + x.final_state() + ", got " + o.final_state());
  if (x.has_last_error() && x.last_error() != o.last_error())
    fail("expected last error " + x.last_error() + ", got " +
         (o.last_error().empty() ? std::string("none") : o.last_error()));
  if (x.has_max_retransmissions() && o.retransmissions() > x.max_retransmissions())
    fail("expected at most " + std::to_string(x.max_retransmissions()) + " retransmissions, got " +
         std::to_string(o.retransmissions()));
  if (x.has_min_retransmissions() && o.retransmissions() < x.min_retransmissions())
    fail("expected at least " + std::to_string(x.min_retransmissions()) +
         " retransmissions, got " + std::to_string(o.retransmissions()));
  if (x.delivered_size() > 0) {
    const bool same = x.delivered_size() == o.delivered_size() &&
                      std::equal(x.delivered().begin(), x.delivered().end(), o.delivered().begin());
    if (!same)
      fail("expected " + std::to_string(x.delivered_size()) + " payloads delivered in order, got " +
           std::to_string(o.delivered_size()));
  }
  if (x.has_delivered_count() && static_cast<std::uint32_t>(o.delivered_size()) != x.delivered_count())
    fail("expected " + std::to_string(x.delivered_count()) + " payloads delivered, got " +
         std::to_string(o.delivered_size()));
  const auto delivered = static_cast<std::uint32_t>(o.delivered_size());
  if (x.has_min_delivered_count() && delivered < x.min_delivered_count())
    fail("expected at least " + std::to_string(x.min_delivered_count()) +
         " payloads delivered, got " + std::to_string(delivered));
  if (x.has_max_delivered_count() && delivered > x.max_delivered_count())
    fail("expected at most " + std::to_string(x.max_delivered_count()) +
         " payloads delivered, got " + std::to_string(delivered));
  if (x.has_run_ends_after_ms() && end_time_us < x.run_ends_after_ms() * 1000)
    fail("expected the run to end after " + std::to_string(x.run_ends_after_ms()) +
         " ms, it ended at " + ms(end_time_us));
  if (x.has_run_ends_by_ms() && end_time_us > x.run_ends_by_ms() * 1000)
    fail("expected the run to end by " + std::to_string(x.run_ends_by_ms()) +
         " ms, it ended at " + ms(end_time_us));
  if (x.final_state_one_of_size() > 0 &&
      std::find(x.final_state_one_of().begin(), x.final_state_one_of().end(), o.final_state()) ==
          x.final_state_one_of().end())
    fail("expected a final state in {" + joined(x.final_state_one_of()) + "}, got " + o.final_state());
  if (x.last_error_one_of_size() > 0) {
    const std::string got = o.last_error().empty() ? std::string("NoError") : o.last_error();
    if (std::find(x.last_error_one_of().begin(), x.last_error_one_of().end(), got) ==
        x.last_error_one_of().end())
      fail("expected a last error in {" + joined(x.last_error_one_of()) + "}, got " + got +
           (o.last_error_string().empty() ? "" : " (" + o.last_error_string() + ")"));
  }
  if (x.has_cipher() && x.cipher() != o.cipher())
    fail("expected cipher " + x.cipher() + ", got " + (o.cipher().empty() ? "none" : o.cipher()));
  if (x.has_protocol() && x.protocol() != o.protocol())
    fail("expected protocol " + x.protocol() + ", got " +
         (o.protocol().empty() ? "none" : o.protocol()));
  if (x.has_alpn() && x.alpn() != o.alpn())
    fail("expected ALPN '" + x.alpn() + "', got '" + o.alpn() + "'");
  for (const auto& wanted : x.verification_errors()) {
    bool found = false;
    for (const auto& got : o.verification_errors()) found = found || got == wanted;
    if (!found) fail("expected verification error " + wanted + ", not reported");
  }
}

}  // namespace

std::vector<std::string> checkExpectations(const dtlsim::Scenario& scenario,
                                           const dtlsim::Outcome& outcome) {
  std::vector<std::string> failures;
  // Endpoints with expectations, and whether one applied: a story whose expectations are all
  // keyed on other stacks would pass without checking anything.
  std::vector<std::pair<std::string, bool>> judged;
  const auto note = [&](const std::string& endpoint, bool applied) {
    for (auto& [name, any] : judged)
      if (name == endpoint) {
        any = any || applied;
        return;
      }
    judged.emplace_back(endpoint, applied);
  };
  for (const auto& x : scenario.expectations()) {
    const dtlsim::EndpointOutcome* o = findOutcome(outcome, x.endpoint());
    if (o == nullptr) {
      failures.push_back(x.endpoint() + ": no such endpoint in the run");
      continue;
    }
    bool applies = true;
    for (const dtlsim::LibraryRange& range : x.library()) {
      const std::string& whose = range.endpoint();
      const dtlsim::EndpointOutcome* lib = whose.empty() ? o : findOutcome(outcome, whose);
      if (lib == nullptr || libraryMatches(range, lib->library()) == range.excluded()) {
        applies = false;
        break;
      }
    }
    note(x.endpoint(), applies);
    if (applies) checkOne(x, *o, outcome.end_time_us(), failures);
  }
  for (const auto& [name, any] : judged) {
    if (any) continue;
    const dtlsim::EndpointOutcome* o = findOutcome(outcome, name);
    failures.push_back(name + ": no expectation applies where it runs " +
                       (o->library().empty() ? std::string("no DTLS library") : o->library()) +
                       " (each stack needs its own, with the reason)");
  }
  return failures;
}

}  // namespace scenarios::detail
