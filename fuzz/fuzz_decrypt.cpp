// fuzz_decrypt: an established PSK connection; fuzzed datagrams go into decryptDatagram of
// either side. Oracle: a side that is still encrypted afterwards decrypts a fresh datagram from
// its real peer (no desync of keys, sequence numbers or the replay window).
// Input: length-prefixed items, each [1 byte: bit 0 = 0 to the server, 1 to the client]
// [datagram bytes].
//
// A handshake per input would cap this harness at a few thousand inputs per second, so the
// established pair is kept from one input to the next while that cannot change any input's
// behaviour (fuzz/README.md, "fuzz_decrypt keeps its pair"): it is kept only after inputs whose
// every datagram was rejected without reaching any state (framing errors, records too short,
// epoch-0 records, epoch-1 records that failed authentication; no answer sent), for at most
// kMaxKeptInputs inputs. Then the only difference from a fresh pair is in the receivers'
// replay windows: the oracle's probes they accepted (Window), and an input naming an epoch-1
// sequence number whose fate that changes gets a fresh pair instead.
#include <cstdio>
#include <cstdlib>

#include "dtls/wire/record.h"
#include "fixture.h"

namespace {

using namespace dtlsim_fuzz;

// Records the generator (make_corpus) may have put in the corpus carry sequence numbers up to
// this; the peer burns as many before its first probe, so a probe is never a replay of them.
constexpr int kBurnedRecords = 4;
// The replay windows (OpenSSL's DTLS1_BITMAP, dtls' ReplayWindow) are 64 records wide: once the
// probes moved a kept receiver's window, older sequence numbers are "too old" there.
constexpr std::uint64_t kReplayWindow = 64;
// A kept pair is rebuilt after this many inputs all the same (a bound, not needed for
// equivalence).
constexpr int kMaxKeptInputs = 1024;
constexpr std::uint8_t kAlert = 21;  // RFC 5246 §6.2.1 ContentType
constexpr std::uint8_t kHandshake = 22;

// What a receiver's replay windows (OpenSSL's DTLS1_BITMAP, dtls' ReplayWindow) hold beyond a
// fresh pair's: the epoch-1 sequence numbers of the probes it accepted. Both windows forget all
// but the last kReplayWindow below the highest, so this one does too (and allocates nothing:
// kept state that grows from input to input would look like a leak to libFuzzer).
struct Window {
  bool any = false;
  std::uint64_t highest = 0;
  std::uint64_t bitmap = 0;  // bit i: highest - i was accepted

  void accept(std::uint64_t seq) {
    if (!any || seq > highest) {
      const std::uint64_t shift = any ? seq - highest : kReplayWindow;
      bitmap = shift >= kReplayWindow ? 0 : bitmap << shift;
      bitmap |= 1;
      highest = seq;
      any = true;
    } else if (highest - seq < kReplayWindow) {
      bitmap |= std::uint64_t{1} << (highest - seq);
    }
  }
  // True when the kept receiver drops an epoch-1 record `seq` as a replay or as too old, where a
  // fresh one (which accepted only the Finished, seq 0) would try to authenticate it.
  bool differs(std::uint64_t seq) const {
    if (!any || seq > highest) return false;
    const std::uint64_t age = highest - seq;
    return age >= kReplayWindow || ((bitmap >> age) & 1) != 0;
  }
};

struct Kept {
  std::unique_ptr<Pair> pair;
  int inputs = 0;
  Window window[2];  // [0] what the server received, [1] the client
  bool burned = false;  // the peers burned kBurnedRecords before their first probe
};

// False when an item names an epoch-1 record with a sequence number a kept receiver accepted as
// a probe, or one the probes made too old for its replay window: OpenSSL would drop it before
// authenticating it (and dtls would call it a replay), where a fresh pair would try to
// authenticate it.
bool keptPairIsEquivalent(const Kept& kept, const std::vector<dtls::ByteArray>& items) {
  for (const auto& item : items) {
    if (item.empty()) continue;
    const Window& window = kept.window[item[0] & 1];
    bool hit = false;
    dtls::wire::scanRecords(std::string_view(item).substr(1), [&](const dtls::wire::Record& r) {
      if (r.epoch == 1 && window.differs(r.sequence_number)) hit = true;
    });
    if (hit) return false;
  }
  return true;
}

// True when delivering `datagram` left `to` as a fresh pair would be: nothing decrypted, nothing
// sent in answer, still encrypted with a non-fatal outcome, and every record either never
// reached OpenSSL (framing errors, records too short for the cipher) or was dropped by it
// without a trace: epoch 0 (after the handshake OpenSSL 3.0's dtls1_get_bitmap has no window
// for it: dropped) and epoch-1 records that fail authentication (dropped before anything is
// recorded, RFC 6347 §4.1.2.7). An epoch-1 record that authenticates is a genuine one recorded
// by make_corpus: application data (plaintext), close_notify (closes), the Finished (a replay,
// dropped by the replay check before processing). Of later epochs, OpenSSL's
// dtls1_get_bitmap has a window only for handshake and alert records of the next epoch (2),
// which it may buffer: not kept; the rest is dropped.
//
// (Keeping the pair after genuine application data too, noting the records in the Window, was
// tried: the fuzzer repeats the corpus's genuine records so often that the next input names
// them and needs a fresh pair anyway; it saved no handshake.)
bool leftNoState(Side& to, const dtls::ByteArray& datagram, const dtls::ByteArray& plain) {
  if (!plain.empty() || !to.socket.take().empty()) return false;
  if (!to.connection.isConnectionEncrypted()) return false;
  const dtls::DtlsError error = to.connection.dtlsError();
  if (error != dtls::DtlsError::TlsNonFatalError && error != dtls::DtlsError::NoError) return false;
  bool windowless = true;
  const dtls::wire::DecodeProblem framing =
      dtls::wire::scanRecords(datagram, [&](const dtls::wire::Record& r) {
        if (r.epoch == 2 && (r.content_type == kHandshake || r.content_type == kAlert))
          windowless = false;
      });
  return !framing.empty() || windowless;
}

// Delivers one fuzzed datagram to a side that is still encrypted. Only a genuine close_notify
// of the peer (make_corpus records one) may end the connection: a forgery cannot pass the
// record MAC, and garbage must leave the connection usable (TlsNonFatalError). Returns whether
// the side kept no state of it. `*framed` becomes true when the datagram passed the
// connection's framing check (only such a datagram reaches OpenSSL).
bool deliver(Side& to, const dtls::ByteArray& datagram, const char* who, bool* framed) {
  if (!to.connection.isConnectionEncrypted()) return false;
  if (dtls::wire::scanRecords(datagram, [](const dtls::wire::Record&) {}).empty()) *framed = true;
  const dtls::ByteArray plain = to.deliver(datagram);
  if (!to.connection.isConnectionEncrypted() &&
      to.connection.dtlsError() != dtls::DtlsError::RemoteClosedConnectionError)
    fail(std::string(who) + " left the encrypted state: " + to.connection.dtlsErrorString());
  return leftNoState(to, datagram, plain);
}

// The oracle. Returns the probe's sequence number (0 when no probe was possible).
std::uint64_t checkStillDecrypts(Side& sender, Side& receiver, const char* who, bool burn) {
  if (!receiver.connection.isConnectionEncrypted()) return 0;  // closed by a close_notify
  if (!sender.connection.isConnectionEncrypted()) return 0;  // it answered a close_notify
  if (burn) {
    for (int i = 0; i < kBurnedRecords; ++i)
      sender.connection.writeDatagramEncrypted(&sender.socket, "burn");
    sender.socket.take();
  }
  if (sender.connection.writeDatagramEncrypted(&sender.socket, "probe") != 5)
    fail(std::string("the peer of the ") + who + " cannot write: " +
         sender.connection.dtlsErrorString());
  const auto sent = sender.socket.take();
  if (sent.size() != 1) fail("the probe is not one datagram");
  const dtls::ByteArray plain = receiver.connection.decryptDatagram(&receiver.socket, sent[0]);
  noteFingerprint(std::string(who) + " probe=" + plain);
  if (plain != "probe")
    fail(std::string(who) + " no longer decrypts its peer: '" +
         receiver.connection.dtlsErrorString() + "'");
  const auto decoded = dtls::wire::decodeDatagram(sent[0]);
  return decoded.records.empty() ? 0 : decoded.records[0].sequence_number;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // DTLSIM_FUZZ_STATS=1: how often, and why, the pair was rebuilt (printed at exit).
  static long inputs = 0, handshakes = 0, not_equivalent = 0, changed = 0;
  if (++inputs == 1 && std::getenv("DTLSIM_FUZZ_STATS"))
    std::atexit([] {
      std::fprintf(stderr, "fuzz_decrypt: %ld inputs, %ld handshakes (%ld inputs changed the state, "
                   "%ld named an accepted sequence number)\n", inputs, handshakes, changed,
                   not_equivalent);
    });
  static Kept& kept = *new Kept;  // never destroyed: it would outlive the seeded contexts
  const auto items = splitDatagrams(data, size);
  if (kept.pair && (kept.inputs >= kMaxKeptInputs || !keptPairIsEquivalent(kept, items))) {
    not_equivalent += kept.inputs < kMaxKeptInputs;
    kept = Kept{};
  }
  if (!kept.pair) {
    ++handshakes;
    const bool fingerprint = fingerprintEnabled();
    setFingerprintEnabled(false);  // how the pair came to be is not the input's behaviour
    kept.pair = std::make_unique<Pair>(Kind::kPsk, /*cookies=*/false);
    if (!kept.pair->handshake()) fail("the PSK handshake did not complete");
    setFingerprintEnabled(fingerprint);
  }
  Pair& pair = *kept.pair;
  pair.client.socket.take();
  pair.server.socket.take();
  bool keep = true;
  bool framed = false;
  for (const auto& item : items) {
    if (item.empty()) continue;
    if (item[0] & 1)
      keep &= deliver(pair.client, item.substr(1), "client", &framed);
    else
      keep &= deliver(pair.server, item.substr(1), "server", &framed);
  }
  pair.client.socket.take();  // answers (e.g. to a retransmitted flight) are not delivered
  pair.server.socket.take();
  // An input whose every datagram failed the framing check never reached OpenSSL nor the replay
  // windows: both sides are as the last probes (or the handshake) left them, so probing again
  // could only repeat their answer.
  if (framed) {
    const bool burn = !kept.burned;
    kept.burned = true;
    const std::uint64_t to_server = checkStillDecrypts(pair.client, pair.server, "server", burn);
    const std::uint64_t to_client = checkStillDecrypts(pair.server, pair.client, "client", burn);
    if (to_server == 0 || to_client == 0) {
      keep = false;
    } else {
      kept.window[0].accept(to_server);
      kept.window[1].accept(to_client);
    }
  }
  ++kept.inputs;
  if (!keep) {
    ++changed;
    kept = Kept{};
  }
  return 0;
}
