// fuzz_decrypt: an established PSK connection (the handshake redone per input, so every input
// sees the same state); fuzzed datagrams go into decryptDatagram of either side. Oracle: a side
// that is still encrypted afterwards decrypts a fresh datagram from its real peer (no desync
// of keys, sequence numbers or the replay window).
// Input: length-prefixed items, each [1 byte: bit 0 = 0 to the server, 1 to the client]
// [datagram bytes].
#include "fixture.h"

namespace {

using namespace dtlsim_fuzz;

// Records the generator (make_corpus) may have put in the corpus carry sequence numbers up to
// this; the peer burns as many before its probe, so the probe is never a replay of them.
constexpr int kBurnedRecords = 4;

// Delivers one fuzzed datagram to a side that is still encrypted. Only a genuine close_notify
// of the peer (make_corpus records one) may end the connection: a forgery cannot pass the
// record MAC, and garbage must leave the connection usable (TlsNonFatalError).
void deliver(Side& to, const ByteArray& datagram, const char* who) {
  if (!to.connection.isConnectionEncrypted()) return;
  to.deliver(datagram);
  if (!to.connection.isConnectionEncrypted() &&
      to.connection.dtlsError() != dtls::DtlsError::RemoteClosedConnectionError)
    fail(std::string(who) + " left the encrypted state: " + to.connection.dtlsErrorString());
}

void checkStillDecrypts(Side& sender, Side& receiver, const char* who) {
  if (!receiver.connection.isConnectionEncrypted()) return;  // closed by a genuine close_notify
  if (!sender.connection.isConnectionEncrypted()) return;  // it answered a close_notify
  for (int i = 0; i < kBurnedRecords; ++i)
    sender.connection.writeDatagramEncrypted(&sender.socket, "burn");
  sender.socket.take();
  if (sender.connection.writeDatagramEncrypted(&sender.socket, "probe") != 5)
    fail(std::string("the peer of the ") + who + " cannot write: " +
         sender.connection.dtlsErrorString());
  const auto sent = sender.socket.take();
  if (sent.size() != 1) fail("the probe is not one datagram");
  const ByteArray plain = receiver.connection.decryptDatagram(&receiver.socket, sent[0]);
  if (plain != "probe")
    fail(std::string(who) + " no longer decrypts its peer: '" +
         receiver.connection.dtlsErrorString() + "'");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Pair pair(Kind::kPsk, /*cookies=*/false);
  if (!pair.handshake()) fail("the PSK handshake did not complete");
  for (const auto& item : splitDatagrams(data, size)) {
    if (item.empty()) continue;
    if (item[0] & 1)
      deliver(pair.client, item.substr(1), "client");
    else
      deliver(pair.server, item.substr(1), "server");
  }
  pair.client.socket.take();  // answers (e.g. to a retransmitted flight) are not delivered
  pair.server.socket.take();
  checkStillDecrypts(pair.client, pair.server, "server");
  checkStillDecrypts(pair.server, pair.client, "client");
  return 0;
}
