// fuzz_server_hello: one datagram, as the first a server sees — into Connection::doHandshake
// (server, certificate configuration, cookies off) and into ClientVerifier::verifyClient.
// Input: the datagram itself (not length-prefixed). Runs on the fixture's backend (fixture.h).
#include "fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dtlsim_fuzz;
  const ByteArray datagram(reinterpret_cast<const char*>(data), size);
  dtls::test::ManualClock clock;
  Side server(/*server=*/true, Kind::kCertificate, /*cookies=*/false, &clock);
  server.connection.doHandshake(&server.socket, datagram);

  const ContextScope scope(server.seeded);
  dtls::ClientVerifier verifier(backend());  // in the server's seeded context
  verifier.setCookieGeneratorParameters(cookieParameters());
  const bool verified =
      verifier.verifyClient(&server.socket, datagram, dtls::HostAddress("127.0.0.1"), kClientPort);
  if (verified && verifier.verifiedHello() != datagram)
    fail("verifiedHello() differs from the verified datagram");
  if (fingerprintEnabled())
    noteFingerprint("S state=" + std::to_string(server.connection.handshakeState()) +
                    " verified=" + std::to_string(verified));
  return 0;
}
