#include "trace_fixtures.h"

#include <gtest/gtest.h>

#include "model/trace_source.h"
#include "scenarios/trace_builder.h"

namespace viz::testing {

std::string record(std::uint8_t type, std::uint16_t epoch, std::uint64_t seq,
                   const std::string& body) {
  std::string r;
  r += static_cast<char>(type);
  r += '\xfe';
  r += '\xfd';
  r += static_cast<char>(epoch >> 8);
  r += static_cast<char>(epoch & 0xff);
  for (int shift = 40; shift >= 0; shift -= 8) r += static_cast<char>((seq >> shift) & 0xff);
  r += static_cast<char>(body.size() >> 8);
  r += static_cast<char>(body.size() & 0xff);
  return r + body;
}

std::string handshake(std::uint8_t msg_type, std::uint16_t message_seq, std::uint32_t total,
                      std::uint32_t frag_offset, std::uint32_t frag_len) {
  auto u24 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 16), static_cast<char>((v >> 8) & 0xff),
                       static_cast<char>(v & 0xff)};
  };
  std::string h;
  h += static_cast<char>(msg_type);
  h += u24(total);
  h += static_cast<char>(message_seq >> 8);
  h += static_cast<char>(message_seq & 0xff);
  h += u24(frag_offset) + u24(frag_len);
  return h + std::string(frag_len, '\0');
}

dtlsim::Trace smallTrace() {
  dtlsim::Trace trace;
  trace.mutable_scenario()->set_name("small");
  trace.set_seed(7);
  auto* c = trace.add_endpoints();
  c->set_name("client");
  c->set_role("client");
  c->set_address("10.0.0.2");
  c->set_port(5000);
  auto* s = trace.add_endpoints();
  s->set_name("server");
  s->set_role("server");
  s->set_address("10.0.0.1");
  s->set_port(4433);
  const std::string cli = "10.0.0.2:5000", srv = "10.0.0.1:4433";
  const std::string hello = record(22, 0, 0, handshake(1, 0, 100, 0, 100));
  const std::string server_hello = record(22, 0, 0, handshake(2, 1, 60, 0, 60));
  const std::string appdata = record(23, 1, 1, std::string(1024, 'x'));
  scenarios::TraceBuilder b(&trace);
  b.state(0, "client", "HandshakeInProgress");
  b.send(0, "client", 1, cli, srv, hello);
  b.delay(0, 1, 0, 10'000);
  b.deliver(10'000, "server", 1, 0, cli, srv, hello);
  b.send(10'000, "server", 2, srv, cli, server_hello);
  b.drop(10'000, 2, 0, "rule", static_cast<std::uint32_t>(server_hello.size()));
  b.timerExpired(1'010'000, "server");
  b.send(1'010'000, "server", 3, srv, cli, server_hello);
  b.retransmit(1'010'000, "server", "retransmission 1");
  b.deliver(1'020'000, "client", 3, 0, srv, cli, server_hello);
  b.state(1'020'000, "client", "HandshakeComplete");
  b.send(2'000'000, "client", 4, cli, srv, appdata);
  b.duplicate(2'000'000, 4, 1);
  b.corrupt(2'000'000, 4, 1, {100, 200});
  b.deliver(2'010'000, "server", 4, 0, cli, srv, appdata);
  std::string damaged = appdata;
  damaged[12] ^= 0x10;
  damaged[25] ^= 0x01;
  b.deliver(2'011'000, "server", 4, 1, cli, srv, damaged);
  const std::string a5 = record(23, 1, 2, std::string(20, 'a'));
  const std::string a6 = record(23, 1, 3, std::string(20, 'b'));
  b.send(3'000'000, "client", 5, cli, srv, a5);
  b.send(3'000'000, "client", 6, cli, srv, a6);
  b.deliver(3'010'000, "server", 6, 0, cli, srv, a6);
  b.deliver(3'030'000, "server", 5, 0, cli, srv, a5);
  const std::string a7 = record(23, 1, 4, std::string(40, 'c'));
  b.send(4'000'000, "client", 7, cli, srv, a7);
  b.truncate(4'000'000, 7, 0, 20);
  b.deliver(4'010'000, "server", 7, 0, cli, srv, a7.substr(0, 20));
  b.endpointEvent(dtlsim::TraceEvent::ALERT, 4'010'000, "server", "fatal decode_error sent");
  b.error(4'010'000, "server", "TlsNonFatalError: bad record");
  auto* o = trace.mutable_outcome();
  o->set_passed(false);
  o->add_failures("client: delivered 0 payloads, expected 1");
  o->set_end_time_us(4'010'000);
  auto* co = o->add_endpoints();
  co->set_name("client");
  co->set_final_state("HandshakeComplete");
  co->set_handshake_done_us(1'020'000);
  auto* so = o->add_endpoints();
  so->set_name("server");
  so->set_final_state("HandshakeComplete");
  so->set_handshake_done_us(1'010'000);
  so->set_retransmissions(1);
  return trace;
}

std::string sourceDir() { return DTLSIM_SOURCE_DIR; }

dtlsim::Trace catalogTrace(const std::string& name) {
  dtlsim::Trace trace;
  std::string error;
  const std::string path = sourceDir() + "/scenarios/catalog/" + name + ".textproto";
  if (!loadInput(path, std::nullopt, &trace, &error)) {
    ADD_FAILURE() << error;
    trace.Clear();
  }
  return trace;
}

}  // namespace viz::testing
