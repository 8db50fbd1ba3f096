// fuzz_server_hello: one datagram, as the first a server sees — into Connection::doHandshake
// (server, certificate configuration, cookies off) and into ClientVerifier::verifyClient.
// Input: the datagram itself (not length-prefixed).
#include "fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dtlsim_fuzz;
  const ByteArray datagram(reinterpret_cast<const char*>(data), size);
  dtls::test::ManualClock clock;
  Side server(/*server=*/true, Kind::kCertificate, /*cookies=*/false, &clock);
  server.connection.doHandshake(&server.socket, datagram);

  const dtls::LibraryContextScope scope(server.library);
  dtls::ClientVerifier verifier;  // in the server's seeded context
  verifier.setCookieGeneratorParameters(cookieParameters());
  if (verifier.verifyClient(&server.socket, datagram, dtls::HostAddress("127.0.0.1"), kClientPort) &&
      verifier.verifiedHello() != datagram)
    fail("verifiedHello() differs from the verified datagram");
  return 0;
}
