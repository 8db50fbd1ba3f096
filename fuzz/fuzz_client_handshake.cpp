// fuzz_client_handshake: a client starts (ClientHello); the fuzzed datagrams stand for the
// server's flights (HelloVerifyRequest, ServerHello ... ServerHelloDone, CCS + Finished).
// Input: [1 byte: bit 0 = 0 certificate (ECDHE-ECDSA), 1 PSK][length-prefixed datagrams].
#include "fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dtlsim_fuzz;
  if (size < 1) return 0;
  dtls::test::ManualClock clock;
  Side client(/*server=*/false, kindFromByte(data[0]), /*cookies=*/false, &clock);
  if (!client.connection.doHandshake(&client.socket)) fail("the client did not start");
  for (const auto& d : splitDatagrams(data + 1, size - 1)) client.deliver(ByteArray(d));
  clock.fireNext();  // one retransmission timer, if armed: the retransmit path
  return 0;
}
