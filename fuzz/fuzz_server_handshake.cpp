// fuzz_server_handshake: a real client's ClientHello and cookie exchange start the server;
// then the fuzzed datagrams stand for the client's later flights (ClientKeyExchange,
// ChangeCipherSpec, Finished, retransmissions, application data).
// Input: [1 byte: bit 0 = 0 certificate (ECDHE-ECDSA), 1 PSK][length-prefixed datagrams].
#include "fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dtlsim_fuzz;
  if (size < 1) return 0;
  Pair pair(kindFromByte(data[0]), /*cookies=*/true);
  if (!pair.startServer()) fail("the real cookie exchange did not start the server");
  for (const auto& d : splitDatagrams(data + 1, size - 1)) pair.server.deliver(ByteArray(d));
  pair.clock.fireNext();  // one retransmission timer, if armed: the retransmit path
  return 0;
}
