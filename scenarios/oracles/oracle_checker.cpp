// The oracles as a pass over the event stream. An endpoint's state is kept per association (a
// client has one; a server one per peer address), and each association's events are gathered
// per virtual instant and judged when time moves on.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "scenarios/oracles.h"
#include "scenarios/timeline.h"

namespace scenarios {

namespace {

enum Property : std::size_t {
  kExpiryRetransmits,
  kRetransmitTrigger,
  kTimerBackoff,
  kSameMessages,
  kLastFlightAnswered,
  kCopiesDiscarded,
  kNoAmplification,
  kPropertyCount,
};

constexpr std::uint32_t kContentCcs = 20;
constexpr std::uint32_t kContentHandshake = 22;
constexpr std::uint32_t kHelloVerifyRequest = 3;

std::string atMs(std::uint64_t us) { return "at t=" + formatMs(us) + " ms"; }
std::string msText(std::uint64_t us) { return formatMs(us) + " ms"; }

// "[10.0.0.2:49152] HandshakeComplete" -> peer "10.0.0.2:49152", rest "HandshakeComplete".
// Brackets are dropped from both kinds of peer text so that IPv6 peers match too.
std::string peerKey(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '['), text.end());
  text.erase(std::remove(text.begin(), text.end(), ']'), text.end());
  return text;
}

std::pair<std::string, std::string> splitPrefix(const std::string& detail) {
  if (detail.empty() || detail[0] != '[') return {"", detail};
  const std::size_t close = detail.find("] ");
  if (close == std::string::npos) return {"", detail};
  return {peerKey(detail.substr(1, close - 1)), detail.substr(close + 2)};
}

// The first transmission of an epoch-0 handshake message, as far as its fragments showed it.
struct SentMessage {
  std::uint64_t first_sent_us = 0;
  std::uint32_t msg_type = 0;
  std::uint32_t length = 0;
  std::string body;
  std::vector<bool> known;
};

// What one association did and received during the instant being judged.
struct Instant {
  bool timer_expired = false;
  bool error = false;
  bool state_changed = false;
  bool became_complete = false;
  bool app_received = false;
  bool action = false;            // a scenario action or an application write
  bool restarted = false;         // a new association began (a verified ClientHello, a restart)
  bool sent = false;              // any datagram to the peer
  bool sent_flight = false;       // a handshake (not HelloVerifyRequest) or CCS record
  bool sent_new_message = false;  // an epoch-0 handshake message first sent now
  std::string resent;             // the first message sent again ("msg 2, type 11")
  std::uint32_t delivered_copies = 0;  // intact copies of datagrams received before
  std::uint32_t delivered_other = 0;   // anything else that arrived from the peer
  // Of delivered_other: datagrams holding nothing but epoch-0 handshake messages newer than
  // the ones this side answered, i.e. part of the peer's next flight (not a retransmission of
  // its previous one); the lowest such message_seq, for the report.
  std::uint32_t delivered_next_flight = 0;
  std::optional<std::uint32_t> next_flight_seq;
  std::optional<std::uint64_t> peer_finished_id;  // a new intact datagram with a Finished
};

struct Association {
  std::string endpoint;
  std::map<std::uint32_t, SentMessage> sent;  // by message_seq, epoch 0
  std::optional<std::uint64_t> armed_us;      // when the flight the timer guards went out
  bool armed_by_new_flight = false;
  // The interval that ended at the expiry that armed the timer last, if nothing arrived in it.
  std::optional<std::uint64_t> chain_interval_us;
  bool received_since_arm = false;
  std::optional<std::uint64_t> complete_us;
  bool sent_last_flight = false;
  // The first ChangeCipherSpec each side sent in this handshake, as event numbers (an instant
  // can hold both on a zero-delay link; events come in causal order): the side whose CCS came
  // second sends the last flight (the server in a full handshake, the client in a resumed one).
  std::optional<std::uint64_t> first_ccs_sent_event;
  std::optional<std::uint64_t> first_peer_ccs_event;
  // Data from the peer after completing: it has the last flight, so a retransmission of its
  // own that arrives later is stale (reordered) and needs no answer.
  bool peer_has_last_flight = false;
  bool closed = false;
  bool verified = false;  // a server's peer whose cookie checked out (or cookies are off)
  // Datagrams (ids) this association's connection got intact, and those it got encrypted while
  // still in its handshake. A server's verifier is not the connection: it starts empty.
  std::set<std::uint64_t> received;
  std::set<std::uint64_t> received_early;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  // The peer's highest epoch-0 handshake message_seq received intact, that value when this side
  // last sent a message for the first time (what it has answered), and when a message newer than
  // that answer last arrived: the liveness check asks whether input went unanswered.
  std::optional<std::uint32_t> peer_seq_received;
  std::optional<std::uint32_t> peer_seq_answered;
  // A damaged datagram arrived since the last answer (its message_seq cannot be trusted), or
  // before it: what was answered is not known, so no arrival counts as the next flight.
  bool damaged_since_answer = false;
  bool answer_uncertain = false;
  std::optional<std::uint64_t> unanswered_input_us;
  Instant now;
  bool touched = false;

  void restartHandshake() {
    sent.clear();
    armed_us.reset();
    armed_by_new_flight = false;
    chain_interval_us.reset();
    complete_us.reset();
    sent_last_flight = false;
    first_ccs_sent_event.reset();
    first_peer_ccs_event.reset();
    peer_has_last_flight = false;
    closed = false;
    received_since_arm = false;
    received.clear();
    received_early.clear();
    peer_seq_received.reset();
    peer_seq_answered.reset();
    damaged_since_answer = false;
    answer_uncertain = false;
    unanswered_input_us.reset();
  }
};

struct EndpointSpec {
  bool server = false;
  bool noise = false;
  bool ignore_timeouts = false;
  bool cookies = true;
};

struct Tally {
  std::uint32_t checks = 0;
  std::uint32_t violations = 0;
  std::string first;
};

struct TimerValues {
  std::optional<std::uint64_t> initial_min, initial_max;
  std::uint64_t longest = 0;
};

}  // namespace

struct OracleChecker::State {
  std::map<std::string, EndpointSpec> specs;
  std::map<std::pair<std::string, std::string>, Association> associations;
  std::vector<Association*> touched;
  std::optional<std::uint64_t> instant_us;
  std::uint64_t events = 0;  // events read so far: their order within an instant is causal
  std::set<std::pair<std::uint64_t, std::uint32_t>> damaged;     // (datagram, copy)
  std::map<std::pair<std::size_t, std::string>, Tally> tallies;  // (property, endpoint)
  std::map<std::string, TimerValues> timers;

  Association& association(const std::string& endpoint, const std::string& peer) {
    const bool server = specs[endpoint].server;
    auto [it, fresh] = associations.try_emplace({endpoint, server ? peerKey(peer) : ""});
    Association& a = it->second;
    if (fresh) {
      a.endpoint = endpoint;
      a.verified = !server || !specs[endpoint].cookies;
    }
    if (!a.touched) {
      a.touched = true;
      touched.push_back(&a);
    }
    return a;
  }

  void check(Property p, const std::string& endpoint, bool held, std::uint64_t at,
             const std::string& what) {
    Tally& t = tallies[{p, endpoint}];
    ++t.checks;
    if (held) return;
    if (t.violations++ == 0) t.first = atMs(at) + ": " + what;
  }

  bool isEndpoint(const std::string& name) const {
    auto it = specs.find(name);
    return it != specs.end() && !it->second.noise;
  }

  void advanceTo(std::uint64_t t) {
    // A datagram read after the instant it arrived in still belongs to the current one.
    if (instant_us && t <= *instant_us) return;
    if (instant_us) judgeInstant(*instant_us);
    instant_us = t;
  }

  void onSend(const dtlsim::TraceEvent& e);
  void onDeliver(const dtlsim::TraceEvent& e);
  void onEndpointEvent(const dtlsim::TraceEvent& e);
  void judgeInstant(std::uint64_t t);
  void judge(Association& a, std::uint64_t t);
};

OracleChecker::OracleChecker(const dtlsim::Scenario& scenario) : state_(new State) {
  for (const dtlsim::Endpoint& e : scenario.endpoints()) {
    EndpointSpec& s = state_->specs[e.name()];
    s.server = e.role() == dtlsim::Endpoint::SERVER;
    s.noise = e.role() == dtlsim::Endpoint::NOISE;
    s.ignore_timeouts = e.ignore_timeouts();
    s.cookies = !e.dtls().disable_cookies();
  }
}

OracleChecker::~OracleChecker() = default;

void OracleChecker::onEvent(const dtlsim::TraceEvent& e) {
  State& s = *state_;
  ++s.events;
  s.advanceTo(e.time_us());
  switch (e.kind()) {
    case dtlsim::TraceEvent::SEND: s.onSend(e); break;
    case dtlsim::TraceEvent::DELIVER: s.onDeliver(e); break;
    case dtlsim::TraceEvent::CORRUPT:
    case dtlsim::TraceEvent::TRUNCATE: s.damaged.insert({e.datagram_id(), e.copy()}); break;
    default: s.onEndpointEvent(e); break;
  }
}

void OracleChecker::State::onSend(const dtlsim::TraceEvent& e) {
  if (!isEndpoint(e.endpoint())) return;
  Association& a = association(e.endpoint(), e.destination());
  Instant& now = a.now;
  const std::uint64_t t = e.time_us();
  now.sent = true;
  a.bytes_out += e.size_bytes();
  if (!a.verified)
    check(kNoAmplification, a.endpoint, a.bytes_out <= a.bytes_in, t,
          "sent " + std::to_string(a.bytes_out) + " bytes to " + e.destination() +
              ", which had sent " + std::to_string(a.bytes_in) + ", before its cookie was verified");
  const std::string& data = e.data();
  for (const dtlsim::Record& r : e.records()) {
    if (r.content_type() == kContentCcs) {
      now.sent_flight = true;
      if (!a.first_ccs_sent_event) a.first_ccs_sent_event = events;
    }
    if (r.content_type() != kContentHandshake) continue;
    if (r.epoch() != 0) {
      now.sent_flight = true;  // the encrypted Finished
      continue;
    }
    for (const dtlsim::HandshakeFragment& f : r.handshake()) {
      // A HelloVerifyRequest is answered afresh to every ClientHello by a stateless verifier
      // (§4.2.1): it is no flight, has no timer and is never "retransmitted".
      if (f.msg_type() == kHelloVerifyRequest) continue;
      now.sent_flight = true;
      const std::size_t body_at = f.offset() + 12;
      const bool in_bounds = body_at + f.fragment_length() <= data.size() &&
                             std::uint64_t{f.fragment_offset()} + f.fragment_length() <= f.length();
      auto [it, fresh] = a.sent.try_emplace(f.message_seq());
      SentMessage& m = it->second;
      if (fresh) {
        m.first_sent_us = t;
        m.msg_type = f.msg_type();
        m.length = f.length();
        m.body.assign(f.length(), '\0');
        m.known.assign(f.length(), false);
      }
      const bool resent = m.first_sent_us < t;
      if (!resent) {
        // The first new message of an instant starts the answer; the flight's others join it.
        a.answer_uncertain =
            a.damaged_since_answer || (now.sent_new_message && a.answer_uncertain);
        a.damaged_since_answer = false;
        now.sent_new_message = true;
        a.peer_seq_answered = a.peer_seq_received;
      }
      if (resent && now.resent.empty())
        now.resent = "message_seq " + std::to_string(f.message_seq()) + " (type " +
                     std::to_string(f.msg_type()) + ")";
      std::string differs;
      if (m.msg_type != f.msg_type() || m.length != f.length()) {
        differs = "message_seq " + std::to_string(f.message_seq()) + " was type " +
                  std::to_string(m.msg_type) + ", " + std::to_string(m.length) +
                  " bytes; now type " + std::to_string(f.msg_type()) + ", " +
                  std::to_string(f.length()) + " bytes";
      } else if (in_bounds) {
        for (std::uint32_t i = 0; i < f.fragment_length(); ++i) {
          const std::size_t at = f.fragment_offset() + i;
          const char byte = data[body_at + i];
          if (!m.known[at]) {
            m.known[at] = true;
            m.body[at] = byte;
          } else if (m.body[at] != byte && differs.empty()) {
            differs = "message_seq " + std::to_string(f.message_seq()) + " (type " +
                      std::to_string(f.msg_type()) + ") differs from its first transmission at "
                      "body byte " + std::to_string(at);
          }
        }
      }
      if (resent) check(kSameMessages, a.endpoint, differs.empty(), t, differs + " (to " +
                                                                          e.destination() + ")");
    }
  }
}

void OracleChecker::State::onDeliver(const dtlsim::TraceEvent& e) {
  if (!isEndpoint(e.endpoint())) return;
  Association& a = association(e.endpoint(), e.source());
  Instant& now = a.now;
  a.bytes_in += e.size_bytes();
  const bool intact = !damaged.contains({e.datagram_id(), e.copy()});
  const bool seen = a.received.contains(e.datagram_id());
  if (intact && seen) {
    ++now.delivered_copies;
    return;
  }
  ++now.delivered_other;
  if (!intact) {
    a.damaged_since_answer = true;
    return;
  }
  bool next_flight_only =
      e.records_size() > 0 && a.peer_seq_answered && !a.answer_uncertain && !a.damaged_since_answer;
  std::optional<std::uint32_t> lowest_new;
  for (const dtlsim::Record& r : e.records()) {
    if (r.content_type() != kContentHandshake || r.epoch() != 0 || r.handshake_size() == 0) {
      next_flight_only = false;
      continue;
    }
    for (const dtlsim::HandshakeFragment& f : r.handshake()) {
      if (a.peer_seq_answered && f.message_seq() <= *a.peer_seq_answered) next_flight_only = false;
      if (!lowest_new || f.message_seq() < *lowest_new) lowest_new = f.message_seq();
    }
  }
  if (next_flight_only) {
    ++now.delivered_next_flight;
    if (!now.next_flight_seq || *lowest_new < *now.next_flight_seq) now.next_flight_seq = lowest_new;
  }
  for (const dtlsim::Record& r : e.records()) {
    if (r.content_type() != kContentHandshake || r.epoch() != 0) continue;
    for (const dtlsim::HandshakeFragment& f : r.handshake()) {
      if (!a.peer_seq_received || f.message_seq() > *a.peer_seq_received)
        a.peer_seq_received = f.message_seq();
      if (!a.peer_seq_answered || f.message_seq() > *a.peer_seq_answered)
        a.unanswered_input_us = e.time_us();
    }
  }
  // Encrypted records that reach a receiver still in its handshake may come before it can read
  // their epoch (they overtook the CCS, or the CCS it got was dropped) and be dropped or kept
  // for later (RFC 6347 §4.1): a later copy of their datagram may be the first one used, or a
  // duplicate. The trace cannot tell, so neither oracle judges it.
  const std::uint64_t key = e.datagram_id();
  if (a.received_early.contains(key)) return;
  bool early = false;
  for (const dtlsim::Record& r : e.records()) {
    early = early || (r.epoch() != 0 && !a.complete_us);
    if (r.content_type() == kContentCcs && !a.first_peer_ccs_event) a.first_peer_ccs_event = events;
  }
  (early ? a.received_early : a.received).insert(key);
  if (early) return;
  // The peer's last flight counts as retransmitted when its last message, the encrypted
  // Finished, arrives again: that is what OpenSSL and mbedTLS answer, and a flight whose
  // Finished is lost has not come again as a whole.
  for (const dtlsim::Record& r : e.records())
    if (r.content_type() == kContentHandshake && r.epoch() != 0 && !now.peer_finished_id)
      now.peer_finished_id = e.datagram_id();
}

void OracleChecker::State::onEndpointEvent(const dtlsim::TraceEvent& e) {
  if (!isEndpoint(e.endpoint())) return;
  auto [peer, what] = splitPrefix(e.detail());
  const bool server = specs[e.endpoint()].server;
  if (server && peer.empty()) {
    // An event of the whole server: its restart drops every association.
    if (e.kind() == dtlsim::TraceEvent::ACTION)
      for (auto& [key, a] : associations)
        if (key.first == e.endpoint()) a.restartHandshake();
    return;
  }
  Association& a = association(e.endpoint(), peer);
  Instant& now = a.now;
  switch (e.kind()) {
    case dtlsim::TraceEvent::TIMER_EXPIRED: now.timer_expired = true; break;
    case dtlsim::TraceEvent::ERROR: now.error = true; break;
    case dtlsim::TraceEvent::APP_RECEIVE: now.app_received = true; break;
    case dtlsim::TraceEvent::APP_SEND: now.action = true; break;
    case dtlsim::TraceEvent::STATE:
      now.state_changed = true;
      if (what == "HandshakeComplete") now.became_complete = true;
      // A completed association leaves HandshakeComplete only when closed (by either side):
      // there is no last flight to answer for any more.
      if (what != "HandshakeComplete" && a.complete_us) a.closed = true;
      break;
    case dtlsim::TraceEvent::VERIFIED:
      // A new association with this peer starts from its verified ClientHello, which the new
      // association has received (its message_seq stays, for what the server answers).
      {
        const auto seq = a.peer_seq_received;
        const bool damaged_before = a.damaged_since_answer;
        a.restartHandshake();
        a.peer_seq_received = seq;
        a.damaged_since_answer = damaged_before;
      }
      a.verified = true;
      now.restarted = true;
      break;
    case dtlsim::TraceEvent::ACTION:
      now.action = true;
      if (what == "start handshake" || what == "restart on the same port") {
        a.restartHandshake();
        now.restarted = true;
      }
      if (what == "shutdown" || what.starts_with("abort")) a.closed = true;
      break;
    default: break;
  }
}

void OracleChecker::State::judgeInstant(std::uint64_t t) {
  for (Association* a : touched) {
    judge(*a, t);
    a->now = Instant{};
    a->touched = false;
  }
  touched.clear();
}

void OracleChecker::State::judge(Association& a, std::uint64_t t) {
  const Instant& now = a.now;
  const EndpointSpec& spec = specs[a.endpoint];
  const bool delivered = now.delivered_copies + now.delivered_other > 0;
  const bool handshaking = !a.complete_us && !a.closed;

  if (now.timer_expired && !spec.ignore_timeouts && handshaking)
    check(kExpiryRetransmits, a.endpoint, now.sent_flight || now.error, t,
          "the retransmission timer expired and the endpoint sent nothing and reported no error");

  // A repeat of the peer's previous flight (or a copy, a damaged datagram, an encrypted record,
  // an alert: anything but new messages of its next flight) may trigger a retransmission; part
  // of the next flight may not: "partial reads ... do not cause state transitions" (§4.2.4).
  const bool trigger =
      now.delivered_copies + now.delivered_other > now.delivered_next_flight;
  if (!now.resent.empty()) {
    std::string why = "sent " + now.resent + " again with no timer expiring and nothing arriving";
    if (delivered)
      why = "sent " + now.resent + " again with no timer expiring, on receiving only new " +
            "messages of the peer's next flight (message_seq " +
            std::to_string(now.next_flight_seq.value_or(0)) + " on): a partial read, not a " +
            "retransmission of its previous flight";
    check(kRetransmitTrigger, a.endpoint, now.timer_expired || trigger, t, why);
  }

  // The timer: an expiry that made the endpoint resend is measured from when the flight last
  // went out. Two intervals in a row with nothing received during either must double (up to the
  // cap). A datagram received while the timer runs may reset the value for the next arming
  // (RFC 6347 leaves that open) without changing the running timer, so such an interval starts
  // no chain; one received in the instant of an arming counts as received after it.
  if (now.timer_expired && !now.resent.empty() && a.armed_us && !spec.ignore_timeouts) {
    const std::uint64_t interval = t - *a.armed_us;
    TimerValues& v = timers[a.endpoint];
    v.longest = std::max(v.longest, interval);
    if (a.armed_by_new_flight) {
      v.initial_min = std::min(v.initial_min.value_or(interval), interval);
      v.initial_max = std::max(v.initial_max.value_or(interval), interval);
    }
    const bool clean = !a.received_since_arm;
    if (clean && a.chain_interval_us) {
      const std::uint64_t want = std::min(2 * *a.chain_interval_us, kMinTimerCapUs);
      // Stacks keep their timers in milliseconds and round: allow 5% + 1 ms.
      check(kTimerBackoff, a.endpoint, interval + want / 20 + 1000 >= want, t,
            "the timer ran " + msText(interval) + " after running " +
                msText(*a.chain_interval_us) + " with nothing received during either (at least " +
                msText(want) + " expected)");
    }
    a.chain_interval_us = clean ? std::optional<std::uint64_t>(interval) : std::nullopt;
    a.armed_us = t;
    a.armed_by_new_flight = false;
    a.received_since_arm = false;
  } else if (now.sent_flight) {
    a.armed_us = t;
    a.armed_by_new_flight = now.sent_new_message;
    a.chain_interval_us.reset();
    a.received_since_arm = false;
  } else if (now.timer_expired) {
    a.chain_interval_us.reset();
  }
  if (delivered) a.received_since_arm = true;

  if (a.complete_us && now.app_received) a.peer_has_last_flight = true;
  if (now.became_complete) {
    a.complete_us = t;
    // Not "it sent a flight as it completed": a client may resend its flight (its timer) in the
    // instant the server's last flight arrives.
    a.sent_last_flight = a.first_ccs_sent_event && a.first_peer_ccs_event &&
                         *a.first_peer_ccs_event < *a.first_ccs_sent_event;
  } else if (a.complete_us && a.sent_last_flight && !a.closed && !a.peer_has_last_flight &&
             now.peer_finished_id && t - *a.complete_us <= kFinishedStateUs) {
    check(kLastFlightAnswered, a.endpoint, now.sent_flight, t,
          "the peer's Finished came again (datagram #" + std::to_string(*now.peer_finished_id) +
              ") " + msText(t - *a.complete_us) +
              " after the handshake completed and nothing was sent back");
  }

  // A copy that a new association took (the old one had ended) is that association's first.
  if (now.delivered_copies > 0 && now.delivered_other == 0 && !now.timer_expired &&
      !now.action && !now.restarted && a.verified) {
    check(kCopiesDiscarded, a.endpoint, !now.app_received && !now.error && !now.state_changed, t,
          std::string("a network copy of a datagram received before ") +
              (now.app_received ? "delivered data" : now.error ? "raised an error"
                                                                : "changed the handshake state"));
  }
}

std::optional<std::uint64_t> OracleChecker::lastUnansweredInputUs(const std::string& endpoint,
                                                                  const std::string& peer) const {
  const auto spec = state_->specs.find(endpoint);
  const bool server = spec != state_->specs.end() && spec->second.server;
  const auto it = state_->associations.find({endpoint, server ? peerKey(peer) : ""});
  if (it == state_->associations.end()) return std::nullopt;
  return it->second.unanswered_input_us;
}

std::vector<dtlsim::OracleCheck> OracleChecker::finish() {
  State& s = *state_;
  if (s.instant_us) s.judgeInstant(*s.instant_us);
  s.instant_us.reset();
  std::vector<dtlsim::OracleCheck> out;
  const auto& properties = oracleProperties();
  for (std::size_t p = 0; p < kPropertyCount; ++p) {
    for (const auto& [name, spec] : s.specs) {
      const auto tally = s.tallies.find({p, name});
      const auto timer = s.timers.find(name);
      const bool timed = p == kTimerBackoff && timer != s.timers.end();
      if (tally == s.tallies.end() && !timed) continue;
      dtlsim::OracleCheck& c = out.emplace_back();
      c.set_property(std::string(properties[p].name));
      c.set_endpoint(name);
      if (tally != s.tallies.end()) {
        c.set_checks(tally->second.checks);
        c.set_violations(tally->second.violations);
        c.set_first_violation(tally->second.first);
      }
      if (timed) {
        if (timer->second.initial_min) c.set_initial_min_us(*timer->second.initial_min);
        if (timer->second.initial_max) c.set_initial_max_us(*timer->second.initial_max);
        c.set_longest_us(timer->second.longest);
      }
    }
  }
  return out;
}

}  // namespace scenarios
