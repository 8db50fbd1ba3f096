// The text timeline over a trace built from a real DTLS handshake's datagrams (so labels are
// the decoder's), with a loss, a timer expiry, a retransmission and application data.
#include "scenarios/timeline.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/trace_builder.h"
#include "support/dtls_pair.h"

namespace scenarios {
namespace {

constexpr char kClient[] = "10.0.0.1:50000";
constexpr char kServer[] = "10.0.0.2:4433";
constexpr std::uint64_t kHopUs = 10'000;
constexpr std::uint64_t kTimeoutUs = 1'000'000;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The one line containing every one of `parts`; fails unless exactly one does.
std::string lineWith(const std::string& text, const std::vector<std::string>& parts) {
  std::vector<std::string> found;
  for (const std::string& line : lines(text)) {
    bool all = true;
    for (const std::string& p : parts) all = all && line.find(p) != std::string::npos;
    if (all) found.push_back(line);
  }
  EXPECT_EQ(found.size(), 1u) << "parts[0] = " << parts.at(0) << "\n" << text;
  return found.empty() ? std::string() : found.front();
}

// Every datagram of a real handshake, in the order carried (true = to the server).
std::vector<std::pair<bool, dtls::ByteArray>> handshakeDatagrams() {
  dtls::test::DtlsPair pair;
  std::vector<std::pair<bool, dtls::ByteArray>> carried;
  pair.filter = [&carried](bool to_server, const dtls::ByteArray& d) {
    carried.emplace_back(to_server, d);
    return true;
  };
  EXPECT_TRUE(pair.handshake()) << pair.why();
  return carried;
}

// The handshake as a trace: the first ClientHello is lost, the client's timer fires after 1 s
// and it retransmits; every other datagram arrives after 10 ms.
dtlsim::Trace handshakeTrace() {
  dtlsim::Trace t;
  t.mutable_scenario()->set_name("timeline-test");
  t.set_seed(42);
  t.set_build_id("dtlsim-test");
  for (auto [name, role, port] : {std::tuple("client", "client", 50000),
                                  std::tuple("server", "server", 4433)}) {
    dtlsim::EndpointInfo* info = t.add_endpoints();
    info->set_name(name);
    info->set_role(role);
    info->set_address(port == 4433 ? "10.0.0.2" : "10.0.0.1");
    info->set_port(port);
  }
  TraceBuilder b(&t);
  const auto datagrams = handshakeDatagrams();
  EXPECT_GE(datagrams.size(), 6u);
  std::uint64_t now = 0, id = 1;
  b.state(0, "client", "HandshakeInProgress");
  b.send(now, "client", id, kClient, kServer, datagrams.at(0).second);
  b.drop(now, id, 0, "loss", static_cast<std::uint32_t>(datagrams.at(0).second.size()));
  now += kTimeoutUs;
  b.timerExpired(now, "client");
  b.retransmit(now, "client", "flight 1");  // detail: free text
  for (const auto& [to_server, d] : datagrams) {
    ++id;
    const char* from = to_server ? "client" : "server";
    const char* to = to_server ? "server" : "client";
    b.send(now, from, id, to_server ? kClient : kServer, to_server ? kServer : kClient, d);
    b.delay(now, id, 0, static_cast<std::int64_t>(kHopUs));
    now += kHopUs;
    b.deliver(now, to, id, 0, to_server ? kClient : kServer, to_server ? kServer : kClient, d);
  }
  b.state(now, "client", "HandshakeComplete");
  b.state(now, "server", "HandshakeComplete");
  b.appSend(now, "client", "ping");
  b.error(now + 5, "server", "RemoteClosedConnectionError \"peer closed\"");
  dtlsim::Outcome* o = t.mutable_outcome();
  o->set_passed(false);
  o->add_failures("expect client handshake_done_by_ms 50: done at 1070.000 ms");
  o->set_end_time_us(now + 5);
  o->set_datagrams_sent(id);
  o->set_datagrams_dropped(1);
  dtlsim::EndpointOutcome* c = o->add_endpoints();
  c->set_name("client");
  c->set_final_state("HandshakeComplete");
  c->set_handshake_done_us(now);
  c->set_retransmissions(1);
  c->set_cipher("ECDHE-ECDSA-AES256-GCM-SHA384");
  c->set_protocol("DTLSv1.2");
  dtlsim::EndpointOutcome* s = o->add_endpoints();
  s->set_name("server");
  s->set_final_state("HandshakeComplete");
  s->set_last_error("RemoteClosedConnectionError");
  return t;
}

TEST(TimelineTest, FormatMs) {
  const std::pair<std::uint64_t, const char*> rows[] = {
      {0, "0.000"}, {999, "0.999"}, {12'345, "12.345"}, {1'000'000, "1000.000"}};
  for (const auto& [us, text] : rows) EXPECT_EQ(formatMs(us), text) << us;
}

TEST(TimelineTest, HeaderNamesScenarioSeedBuildAndEndpoints) {
  const std::string text = renderTimeline(handshakeTrace());
  EXPECT_EQ(lines(text).at(0), "dtlsim trace: timeline-test   seed 42   build dtlsim-test");
  EXPECT_EQ(lines(text).at(1), "  endpoint client (client) 10.0.0.1:50000");
  EXPECT_EQ(lines(text).at(2), "  endpoint server (server) 10.0.0.2:4433");
}

TEST(TimelineTest, KeyLines) {
  const std::string text = renderTimeline(handshakeTrace());
  const std::string hello = lineWith(text, {"#1 ", "ClientHello (msg 0, frag 0-"});
  EXPECT_EQ(hello.find("   0.000  client    client -> server  #1  ClientHello"), 0u) << hello;
  EXPECT_NE(hello.find(" B"), std::string::npos);
  lineWith(text, {"   0.000  net", "client -> server  #1 ", "   X dropped (loss)"});
  lineWith(text, {"1000.000  client", "timer expired"});
  lineWith(text, {"1000.000  client", "retransmit flight 1"});
  lineWith(text, {"server -> client  #3 ", "HelloVerifyRequest"});
  lineWith(text, {"client -> server  #2 ", "<- delivered after 10.000 ms"});
  lineWith(text, {"server", "state -> HandshakeComplete"});
  lineWith(text, {"client", "app send 4 B \"ping\""});
  lineWith(text, {"server", "ERROR RemoteClosedConnectionError \"peer closed\""});
  lineWith(text, {"outcome: FAILED", "datagrams sent, 1 dropped"});
  lineWith(text, {"  failure: expect client handshake_done_by_ms 50: done at 1070.000 ms"});
  // The per-endpoint summary: outcome fields and traffic counted from the events.
  lineWith(text, {"  endpoint  state", "handshake", "sent", "received", "retx", "last error"});
  // (Byte counts vary: the ECDSA signature's DER length is not fixed.)
  const std::string client =
      lineWith(text, {"  client    HandshakeComplete  1080.000 ms  4 ("});
  EXPECT_NE(client.find("ECDHE-ECDSA-AES256-GCM-SHA384 DTLSv1.2"), std::string::npos) << client;
  lineWith(text, {"  server    HandshakeComplete  -            5 (", "RemoteClosedConnectionError"});
}

TEST(TimelineTest, DeterministicAcrossRendersAndCopies) {
  const dtlsim::Trace t = handshakeTrace();
  dtlsim::Trace copy;
  ASSERT_TRUE(copy.ParseFromString(t.SerializeAsString()));
  EXPECT_EQ(renderTimeline(t), renderTimeline(t));
  EXPECT_EQ(renderTimeline(t), renderTimeline(copy));
}

// The event lines: between the column header and the blank line before the outcome.
std::vector<std::string> eventLines(const std::string& text) {
  std::vector<std::string> out;
  bool in = false;
  for (const std::string& line : lines(text)) {
    if (in && line.empty()) break;
    if (in) out.push_back(line);
    in = in || line.find("time ms  endpoint  event") != std::string::npos;
  }
  return out;
}

TEST(TimelineTest, SortedByTimeAndTiesKeepTraceOrder) {
  dtlsim::Trace t;
  TraceBuilder b(&t);
  b.endpointEvent(dtlsim::TraceEvent::NOTE, 2'000, "a", "third");
  b.endpointEvent(dtlsim::TraceEvent::NOTE, 1'000, "a", "first");
  b.endpointEvent(dtlsim::TraceEvent::NOTE, 1'000, "b", "second");
  const auto ev = eventLines(renderTimeline(t));
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_NE(ev[0].find("note first"), std::string::npos) << ev[0];
  EXPECT_NE(ev[1].find("note second"), std::string::npos) << ev[1];
  EXPECT_NE(ev[2].find("note third"), std::string::npos) << ev[2];

  const auto hs = eventLines(renderTimeline(handshakeTrace()));
  ASSERT_GT(hs.size(), 20u);
  double last = -1;
  for (const std::string& line : hs) {
    const double ms = std::stod(line);
    EXPECT_GE(ms, last) << line;
    last = ms;
  }
}

TEST(TimelineTest, ColumnsAreAligned) {
  const auto ev = eventLines(renderTimeline(handshakeTrace()));
  std::size_t id_column = std::string::npos, endpoint_column = std::string::npos;
  for (const std::string& line : ev) {
    // The time is right-aligned: its decimal point is always at the same column.
    EXPECT_EQ(line.find('.'), 4u) << line;
    const std::size_t endpoint = line.find_first_not_of(' ', line.find('.') + 4);
    if (endpoint_column == std::string::npos) endpoint_column = endpoint;
    EXPECT_EQ(endpoint, endpoint_column) << line;
    const std::size_t hash = line.find(" #");
    if (hash == std::string::npos) continue;  // an endpoint event
    if (id_column == std::string::npos) id_column = hash;
    EXPECT_EQ(hash, id_column) << line;
  }
  EXPECT_NE(id_column, std::string::npos);
}

TEST(TimelineTest, Options) {
  const dtlsim::Trace t = handshakeTrace();
  const std::string bare = renderTimeline(t, {.header = false, .footer = false});
  EXPECT_EQ(lines(bare).at(0), " time ms  endpoint  event");  // as wide as "1000.000"
  EXPECT_EQ(bare.find("outcome:"), std::string::npos);
  EXPECT_NE(bare.find(". delayed 10.000 ms"), std::string::npos);
  EXPECT_EQ(renderTimeline(t, {.network_detail = false}).find(". delayed"), std::string::npos);
  const std::string records = renderTimeline(t, {.records = true});
  // Under SEND #1, SEND #2 and DELIVER #2: the first ClientHello's record.
  int hello_records = 0;
  const std::string record = "@0 epoch 0 seq 0 len 303  ClientHello (msg 0, frag 0-291)";
  for (const std::string& line : lines(records)) {
    const std::size_t indent = line.find_first_not_of(' ');
    hello_records += indent > 20 && indent != std::string::npos && line.substr(indent) == record;
  }
  EXPECT_EQ(hello_records, 3) << records;
  EXPECT_EQ(renderTimeline(t).find("@0 epoch"), std::string::npos);
}

}  // namespace
}  // namespace scenarios
