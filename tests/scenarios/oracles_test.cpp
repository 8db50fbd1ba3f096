// The RFC 6347 oracles over fabricated traces (each property kept and broken, with the DTLS
// records built here byte by byte), over real runs (checked live = checked from the stored
// trace), the known-deviation list and the table.
#include "scenarios/oracles.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/trace_builder.h"

namespace scenarios {
namespace {

constexpr char kClient[] = "10.0.0.2:49152";
constexpr char kServer[] = "10.0.0.1:4433";
constexpr std::uint64_t kMs = 1000;

void put(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::string record(std::uint8_t type, std::uint16_t epoch, std::uint64_t seq,
                   const std::string& fragment) {
  std::string r;
  put(r, type, 1);
  put(r, 0xfefd, 2);
  put(r, epoch, 2);
  put(r, seq, 6);
  put(r, fragment.size(), 2);
  return r + fragment;
}

// A whole handshake message (one fragment) in an epoch-0 record.
std::string handshake(std::uint8_t msg_type, std::uint16_t message_seq, const std::string& body,
                      std::uint64_t record_seq = 0) {
  std::string h;
  put(h, msg_type, 1);
  put(h, body.size(), 3);
  put(h, message_seq, 2);
  put(h, 0, 3);
  put(h, body.size(), 3);
  return record(22, 0, record_seq, h + body);
}

std::string ccs() { return record(20, 0, 9, std::string(1, '\1')); }
std::string finished(std::uint64_t seq = 0) { return record(22, 1, seq, std::string(40, 'F')); }

dtlsim::Scenario twoEndpoints(bool ignore_timeouts = false) {
  dtlsim::Scenario s;
  auto* server = s.add_endpoints();
  server->set_name("server");
  server->set_role(dtlsim::Endpoint::SERVER);
  auto* client = s.add_endpoints();
  client->set_name("client");
  client->set_role(dtlsim::Endpoint::CLIENT);
  client->set_ignore_timeouts(ignore_timeouts);
  return s;
}

std::optional<dtlsim::OracleCheck> find(const std::vector<dtlsim::OracleCheck>& checks,
                                        const std::string& property, const std::string& endpoint) {
  for (const auto& c : checks)
    if (c.property() == property && c.endpoint() == endpoint) return c;
  return std::nullopt;
}

std::vector<dtlsim::OracleCheck> check(const dtlsim::Trace& trace) {
  OracleChecker checker(trace.scenario());
  for (const auto& e : trace.events()) checker.onEvent(e);
  return checker.finish();
}

// A client that sends its ClientHello (message 0) at t=0.
struct ClientTrace {
  explicit ClientTrace(bool ignore_timeouts = false) : b(&trace) {
    *trace.mutable_scenario() = twoEndpoints(ignore_timeouts);
    b.send(0, "client", next_id++, kClient, kServer, handshake(1, 0, "hello"));
  }
  void expire(std::uint64_t t) { b.timerExpired(t, "client"); }
  void resend(std::uint64_t t, const std::string& body = "hello") {
    const std::uint64_t id = next_id++;
    b.send(t, "client", id, kClient, kServer, handshake(1, 0, body, id));
  }
  dtlsim::Trace trace;
  TraceBuilder b;
  std::uint64_t next_id = 1;
};

TEST(OracleTest, ATimerExpiryWithNothingSentBreaksExpiryRetransmits) {
  ClientTrace t;
  t.expire(1000 * kMs);
  t.resend(1000 * kMs);
  t.expire(3000 * kMs);  // nothing sent, no error
  const auto checks = check(t.trace);
  const auto c = find(checks, "expiry-retransmits", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 2u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=3000.000 ms: the retransmission timer expired and the endpoint sent nothing and "
            "reported no error");
}

TEST(OracleTest, AnErrorAtTheExpiryOrAnApplicationThatIgnoresTimersIsNoViolation) {
  ClientTrace t;
  t.expire(1000 * kMs);
  t.b.error(1000 * kMs, "client", "HandshakeTimeoutError: gave up");
  EXPECT_EQ(find(check(t.trace), "expiry-retransmits", "client")->violations(), 0u);

  ClientTrace ignoring(/*ignore_timeouts=*/true);
  ignoring.expire(1000 * kMs);
  EXPECT_FALSE(find(check(ignoring.trace), "expiry-retransmits", "client"));
}

TEST(OracleTest, ResendingWithoutATimerOrAnArrivalBreaksRetransmitTrigger) {
  ClientTrace t;
  t.resend(500 * kMs);  // spontaneous
  t.expire(1500 * kMs);
  t.resend(1500 * kMs);
  t.b.deliver(2000 * kMs, "client", 99, 0, kServer, kClient, handshake(3, 0, "cookie"));
  t.resend(2000 * kMs);  // answers an arrival: allowed
  const auto c = find(check(t.trace), "retransmit-trigger", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 3u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=500.000 ms: sent message_seq 0 (type 1) again with no timer expiring and "
            "nothing arriving");
}

// The client answered the HelloVerifyRequest (server message 0) with ClientHello 1 at 100 ms.
struct CookieClientTrace : ClientTrace {
  CookieClientTrace() {
    b.deliver(100 * kMs, "client", 50, 0, kServer, kClient, handshake(3, 0, "cookie"));
    sendSecondHello(100 * kMs);
  }
  void sendSecondHello(std::uint64_t t) {
    const std::uint64_t id = next_id++;
    b.send(t, "client", id, kClient, kServer, handshake(1, 1, "hello-with-cookie", id));
  }
};

TEST(OracleTest, ResendingOnPartOfThePeersNextFlightBreaksRetransmitTrigger) {
  CookieClientTrace t;
  // Only the ServerHelloDone (message 4) of the server's next flight arrives: a partial read.
  t.b.deliver(200 * kMs, "client", 51, 0, kServer, kClient, handshake(14, 4, ""));
  t.sendSecondHello(200 * kMs);
  // The HelloVerifyRequest again: a retransmission of the previous flight, which may be answered.
  t.b.deliver(300 * kMs, "client", 52, 0, kServer, kClient, handshake(3, 0, "cookie"));
  t.sendSecondHello(300 * kMs);
  const auto c = find(check(t.trace), "retransmit-trigger", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 2u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=200.000 ms: sent message_seq 1 (type 1) again with no timer expiring, on "
            "receiving only new messages of the peer's next flight (message_seq 4 on): a partial "
            "read, not a retransmission of its previous flight");
}

TEST(OracleTest, AnAnswerToADamagedDatagramMakesNoArrivalCountAsTheNextFlight) {
  // A damaged datagram may have carried any message_seq (a HelloVerifyRequest whose number was
  // flipped), so what the client's next new message answered is not known and a later resend
  // on a new-looking message is not held against it.
  CookieClientTrace t;
  t.b.corrupt(150 * kMs, 51, 0, {100});
  t.b.deliver(150 * kMs, "client", 51, 0, kServer, kClient, handshake(3, 0, "cookie2"));
  const std::uint64_t id = t.next_id++;
  t.b.send(150 * kMs, "client", id, kClient, kServer, handshake(1, 2, "hello-with-cookie2", id));
  t.b.deliver(200 * kMs, "client", 52, 0, kServer, kClient, handshake(14, 4, ""));
  const std::uint64_t again = t.next_id++;
  t.b.send(200 * kMs, "client", again, kClient, kServer,
           handshake(1, 2, "hello-with-cookie2", again));
  const auto c = find(check(t.trace), "retransmit-trigger", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 1u);
  EXPECT_EQ(c->violations(), 0u) << c->first_violation();
}

TEST(OracleTest, ATimerThatDoesNotDoubleBreaksTimerBackoffAndItsValuesAreRecorded) {
  ClientTrace t;  // intervals 1 s, 2 s, 2 s: the third should have been 4 s
  for (std::uint64_t at : {1000, 3000, 5000}) {
    t.expire(at * kMs);
    t.resend(at * kMs);
  }
  const auto c = find(check(t.trace), "timer-backoff", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 2u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=5000.000 ms: the timer ran 2000.000 ms after running 2000.000 ms with nothing "
            "received during either (at least 4000.000 ms expected)");
  EXPECT_EQ(c->initial_min_us(), 1000 * kMs);
  EXPECT_EQ(c->initial_max_us(), 1000 * kMs);
  EXPECT_EQ(c->longest_us(), 2000 * kMs);
}

TEST(OracleTest, TheTimerMayStopAtSixtySecondsAndAnArrivalStartsANewChain) {
  ClientTrace t;  // 1, 2, 4, ..., 32, 60, 60 s: capped at 60 s is fine
  std::uint64_t at = 0;
  for (std::uint64_t interval : {1, 2, 4, 8, 16, 32, 60, 60}) {
    at += interval * 1000;
    t.expire(at * kMs);
    t.resend(at * kMs);
  }
  // Something arrives while the timer runs; the next interval (1 s) is no violation.
  t.b.deliver((at + 10) * kMs, "client", 98, 0, kServer, kClient, handshake(3, 0, "x"));
  t.expire((at + 1000) * kMs);
  t.resend((at + 1000) * kMs);
  const auto c = find(check(t.trace), "timer-backoff", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 7u);
  EXPECT_EQ(c->violations(), 0u) << c->first_violation();
  EXPECT_EQ(c->longest_us(), 60'000 * kMs);
}

TEST(OracleTest, AResentMessageWithOtherBytesBreaksSameMessages) {
  ClientTrace t;
  t.expire(1000 * kMs);
  t.resend(1000 * kMs, "hellp");
  const auto c = find(check(t.trace), "same-messages", "client");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=1000.000 ms: message_seq 0 (type 1) differs from its first transmission at body "
            "byte 4 (to 10.0.0.1:4433)");
}

// A server that completes at 50 ms by sending its CCS + Finished (the last flight).
struct ServerTrace {
  ServerTrace() : b(&trace) {
    *trace.mutable_scenario() = twoEndpoints();
    b.deliver(10 * kMs, "server", 1, 0, kClient, kServer, handshake(1, 1, "hello-with-cookie"));
    b.endpointEvent(dtlsim::TraceEvent::VERIFIED, 10 * kMs, "server",
                    std::string("[") + kClient + "] cookie verified");
    b.send(10 * kMs, "server", 2, kServer, kClient, handshake(2, 1, "server-hello"));
    b.deliver(50 * kMs, "server", 3, 0, kClient, kServer, handshake(16, 2, "cke") + ccs() + finished());
    b.send(50 * kMs, "server", 4, kServer, kClient, ccs() + finished());
    b.state(50 * kMs, "server", std::string("[") + kClient + "] HandshakeComplete");
  }
  // The client's Finished again, as a new datagram.
  void clientFinishedAgain(std::uint64_t t, std::uint64_t id) {
    b.deliver(t, "server", id, 0, kClient, kServer, ccs() + finished(id));
  }
  dtlsim::Trace trace;
  TraceBuilder b;
};

TEST(OracleTest, AFinishedServerThatIgnoresTheClientsFinishedBreaksLastFlightAnswered) {
  ServerTrace t;
  t.clientFinishedAgain(1050 * kMs, 10);
  t.b.send(1050 * kMs, "server", 11, kServer, kClient, ccs() + finished(1));  // answered
  t.clientFinishedAgain(3050 * kMs, 12);                                       // ignored
  t.clientFinishedAgain(300'000 * kMs, 13);  // after 240 s: no longer asked for
  const auto c = find(check(t.trace), "last-flight-answered", "server");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 2u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=3050.000 ms: the peer's Finished came again (datagram #12) 3000.000 ms after "
            "the handshake completed and nothing was sent back");
}

// A client that resends its flight (its timer) in the instant the server's last flight arrives
// completes while sending a CCS, but it did not send the last flight: its CCS came first.
TEST(OracleTest, TheSideWhoseCcsCameFirstDoesNotSendTheLastFlight) {
  ClientTrace t;
  t.b.send(40 * kMs, "client", 50, kClient, kServer, handshake(16, 2, "cke") + ccs() + finished());
  t.expire(1040 * kMs);
  t.b.send(1040 * kMs, "client", 51, kClient, kServer, handshake(16, 2, "cke") + ccs() + finished(2));
  t.b.deliver(1040 * kMs, "client", 52, 0, kServer, kClient, ccs() + finished());
  t.b.state(1040 * kMs, "client", "HandshakeComplete");
  t.b.deliver(2040 * kMs, "client", 53, 0, kServer, kClient, ccs() + finished(3));
  EXPECT_FALSE(find(check(t.trace), "last-flight-answered", "client"));
}

// On a link with no delay both CCSs can fall in one instant; events come in causal order, and
// the client's CCS went out before the server's arrived (swarm hunt, lossless seed 14592).
TEST(OracleTest, InOneInstantTheOrderOfEventsSaysWhoseCcsCameFirst) {
  ClientTrace t;
  t.b.send(25 * kMs, "client", 50, kClient, kServer, handshake(16, 2, "cke") + ccs() + finished());
  t.b.deliver(25 * kMs, "client", 51, 0, kServer, kClient, ccs() + finished());
  t.b.state(25 * kMs, "client", "HandshakeComplete");
  t.b.deliver(1030 * kMs, "client", 52, 0, kServer, kClient, ccs() + finished(3));
  EXPECT_FALSE(find(check(t.trace), "last-flight-answered", "client"));
}

TEST(OracleTest, AClosedAssociationHasNoLastFlightToAnswer) {
  ServerTrace t;
  t.b.state(500 * kMs, "server", std::string("[") + kClient + "] HandshakeNotStarted");
  t.clientFinishedAgain(1050 * kMs, 10);  // a late copy after the peer's close_notify
  EXPECT_FALSE(find(check(t.trace), "last-flight-answered", "server"));
}

TEST(OracleTest, DataFromThePeerShowsItHasTheLastFlightAndANetworkCopyIsNoRetransmission) {
  ServerTrace t;
  t.b.deliver(60 * kMs, "server", 3, 1, kClient, kServer,
              handshake(16, 2, "cke") + ccs() + finished());  // a copy of #3
  t.b.endpointEvent(dtlsim::TraceEvent::APP_RECEIVE, 70 * kMs, "server",
                    std::string("[") + kClient + "] 4 B");
  t.clientFinishedAgain(1050 * kMs, 10);  // stale: the client already sent data
  EXPECT_FALSE(find(check(t.trace), "last-flight-answered", "server"));
}

TEST(OracleTest, ANetworkCopyThatRaisesAnErrorBreaksCopiesDiscarded) {
  ServerTrace t;
  const std::string data = record(23, 1, 5, std::string(30, 'A'));
  t.b.deliver(100 * kMs, "server", 20, 0, kClient, kServer, data);
  t.b.endpointEvent(dtlsim::TraceEvent::APP_RECEIVE, 100 * kMs, "server",
                    std::string("[") + kClient + "] 8 B");
  t.b.deliver(130 * kMs, "server", 20, 1, kClient, kServer, data);  // its copy: discarded
  t.b.deliver(160 * kMs, "server", 20, 2, kClient, kServer, data);  // its copy: an error
  t.b.error(160 * kMs, "server", std::string("[") + kClient + "] RemoteClosedConnectionError: x");
  const auto c = find(check(t.trace), "copies-discarded", "server");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 2u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=160.000 ms: a network copy of a datagram received before raised an error");
}

// The old association failed; a late copy of the client's ClientHello (with its cookie) starts
// a new one: that is the new association's first datagram, not a copy it must ignore.
TEST(OracleTest, ACopyThatStartsANewAssociationIsNoCopyOfIt) {
  ServerTrace t;
  t.b.deliver(60 * kMs, "server", 30, 0, kClient, kServer, handshake(1, 1, "hello-again"));
  t.b.deliver(90 * kMs, "server", 30, 1, kClient, kServer, handshake(1, 1, "hello-again"));
  t.b.endpointEvent(dtlsim::TraceEvent::VERIFIED, 90 * kMs, "server",
                    std::string("[") + kClient + "] cookie verified");
  t.b.state(90 * kMs, "server", std::string("[") + kClient + "] HandshakeInProgress");
  const auto c = find(check(t.trace), "copies-discarded", "server");
  EXPECT_FALSE(c.has_value() && c->violations() > 0) << c->first_violation();
}

TEST(OracleTest, MoreBytesThanReceivedBeforeTheCookieBreaksNoAmplification) {
  dtlsim::Trace trace;
  TraceBuilder b(&trace);
  *trace.mutable_scenario() = twoEndpoints();
  b.deliver(10 * kMs, "server", 1, 0, kClient, kServer, handshake(1, 0, std::string(100, 'h')));
  b.send(10 * kMs, "server", 2, kServer, kClient, handshake(3, 0, std::string(20, 'c')));
  b.send(10 * kMs, "server", 3, kServer, kClient, handshake(2, 1, std::string(400, 's')));
  const auto c = find(check(trace), "no-amplification", "server");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->checks(), 2u);
  EXPECT_EQ(c->violations(), 1u);
  EXPECT_EQ(c->first_violation(),
            "at t=10.000 ms: sent 470 bytes to 10.0.0.2:49152, which had sent 125, before its "
            "cookie was verified");
}

TEST(OracleTest, KnownDeviationsNameTheirFindingAndOnlyTheirLibrary) {
  EXPECT_EQ(knownDeviation("last-flight-answered", "wolfSSL 5.5.4").value_or("").substr(0, 11),
            "finding 007");
  EXPECT_EQ(knownDeviation("timer-backoff", "GnuTLS 3.7.9").value_or("").substr(0, 11),
            "finding 001");
  EXPECT_EQ(knownDeviation("expiry-retransmits", "OpenSSL 3.0.22").value_or("").substr(0, 11),
            "finding 015");
  EXPECT_FALSE(knownDeviation("expiry-retransmits", "OpenSSL 3.0.20"));
  EXPECT_FALSE(knownDeviation("last-flight-answered", "OpenSSL 3.0.22"));
  EXPECT_FALSE(knownDeviation("same-messages", "wolfSSL 5.5.4"));
}

LoadedScenario load(const std::string& relative) {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(std::string(DTLSIM_SOURCE_DIR) + "/" + relative, &s, &error))
      << error;
  return s;
}

// The World checks as it runs (also without events); the stored trace checked afterwards gives
// the same verdicts, and a violation by a library without a known deviation fails the run.
TEST(OracleTest, CheckedLiveEqualsCheckedFromTheTrace) {
  const LoadedScenario s = load("scenarios/catalog/lossy-30-percent-with-data.textproto");
  for (std::uint64_t seed : {1, 2, 3}) {
    RunOptions options;
    options.seed = seed;
    dtlsim::Trace trace;
    std::string error;
    ASSERT_TRUE(runScenario(s, options, &trace, &error)) << error;
    const auto stored = checkOracles(trace);
    ASSERT_EQ(stored.size(), static_cast<std::size_t>(trace.outcome().oracles_size()));
    ASSERT_FALSE(stored.empty());
    for (std::size_t i = 0; i < stored.size(); ++i) {
      dtlsim::OracleCheck live = trace.outcome().oracles(static_cast<int>(i));
      live.clear_excused_by();
      EXPECT_EQ(live.SerializeAsString(), stored[i].SerializeAsString())
          << "seed " << seed << ": " << live.DebugString() << " vs " << stored[i].DebugString();
    }
  }
}

TEST(OracleTest, AKnownDeviationIsExcusedNotHidden) {
  const LoadedScenario s =
      load("scenarios/findings/007-wolfssl-ignores-the-retransmitted-last-flight.textproto");
  dtlsim::Trace trace;
  std::string error;
  ASSERT_TRUE(runScenario(s, {}, &trace, &error)) << error;
  ASSERT_EQ(trace.outcome().excused_size(), 1);
  EXPECT_NE(trace.outcome().excused(0).find("oracle last-flight-answered (RFC 6347 §4.2.4): "
                                            "server (wolfSSL 5.5.4)"),
            std::string::npos)
      << trace.outcome().excused(0);
  for (const auto& f : trace.outcome().failures())
    EXPECT_EQ(f.find("oracle"), std::string::npos) << f;
}

TEST(OracleTest, TheTableSaysHoldsDeviatesOrViolated) {
  OracleTable table;
  dtlsim::OracleCheck held, excused, broken;
  held.set_property("same-messages");
  held.set_library("OpenSSL 3.0.22");
  held.set_checks(4);
  excused.set_property("last-flight-answered");
  excused.set_library("wolfSSL 5.5.4");
  excused.set_checks(2);
  excused.set_violations(2);
  excused.set_excused_by("finding 007: why");
  broken.set_property("same-messages");
  broken.set_library("wolfSSL 5.5.4");
  broken.set_checks(3);
  broken.set_violations(1);
  table.add({held, excused, broken});
  const std::string text = table.text();
  EXPECT_NE(text.find("holds (4)"), std::string::npos) << text;
  EXPECT_NE(text.find("deviates 2/2 (finding 007)"), std::string::npos) << text;
  EXPECT_NE(text.find("VIOLATED 1/3"), std::string::npos) << text;
  EXPECT_EQ(table.unexplained(), 1u);
}

}  // namespace
}  // namespace scenarios
