// fuzz_decrypt: an established PSK connection; fuzzed datagrams go into decryptDatagram of
// either side. Oracle: a side that is still encrypted afterwards decrypts a fresh datagram from
// its real peer (no desync of keys, sequence numbers or the replay window).
// Input: length-prefixed items, each [1 byte: bit 0 = 0 to the server, 1 to the client]
// [datagram bytes].
//
// A handshake per input would cap this harness at a few thousand inputs per second, so each end
// of the established connection is kept from one input to the next while that cannot change any
// input's behaviour (fuzz/README.md, "fuzz_decrypt keeps its pair"): an end is kept only after
// inputs whose every datagram to it was rejected without reaching any state (framing errors,
// records too short, epoch-0 records, epoch-1 records that failed authentication; no answer
// sent), for at most kMaxKeptInputs inputs. Then the only difference from a fresh end is in its
// replay windows: the oracle's probes it accepted (Window), and an input naming an epoch-1
// sequence number whose fate that changes gets a fresh end instead. An end is rebuilt alone, by
// replaying what it received in a recorded handshake: every handshake draws the same bytes, so
// the rebuilt end holds the keys its kept peer expects.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

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
// A kept end is rebuilt after this many inputs all the same (a bound, not needed for
// equivalence).
constexpr int kMaxKeptInputs = 1024;
// A rebuilt end burns records up to the highest probe its kept peer accepted; past this many, the
// peer is rebuilt as well. Its window has then moved far enough that the corpus's sequence
// numbers soon fall out of it (a fresh end anyway), and long burns cost more than they save:
// 30 s runs gave 11,885 inputs/s with 8, 11,267 with 24, 10,461 with 48, 5,844 (60 s) with 256.
constexpr std::uint64_t kMaxBurnedRecords = 8;
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

// The PSK handshake every side is rebuilt from: what each side received, and sent. Recorded
// once; a side is rebuilt by replaying what it received (Side::replay), without its peer.
const Transcript& canonical() {
  static const Transcript transcript = [] {
    Transcript t;
    Pair pair(Kind::kPsk, /*cookies=*/false);
    if (!pair.handshake(&t)) fail("the PSK handshake did not complete");
    return t;
  }();
  return transcript;
}

// One end of the established connection, kept from input to input while that cannot change
// any input's behaviour; the two ends are kept and rebuilt independently.
struct End {
  std::unique_ptr<Side> side;
  int inputs = 0;
  Window window;        // the probes this end accepted
  bool burned = false;  // it burned records before its first probe (as a sender)
};

// [0] the server, [1] the client: the index is an item's direction bit.
struct Kept {
  End end[2];
  // One clock for every side ever built, never destroyed: a ManualClock is also the wall clock
  // libssl reads while it lives (a scope), so clocks must not come and go out of order. Time
  // never moves here, and build() checks that no timer is left armed after a handshake.
  dtls::test::ManualClock clock;
};

// Builds end `i` (0 the server, 1 the client) from the canonical handshake. A replay that sends
// other bytes than the recorded handshake would mean the handshake is not deterministic, and
// the kept peer could not talk to it.
void build(Kept& kept, int i) {
  const bool fingerprint = fingerprintEnabled();
  setFingerprintEnabled(false);  // how the end came to be is not the input's behaviour
  const Transcript& t = canonical();
  kept.end[i] = End{};
  kept.end[i].side =
      std::make_unique<Side>(/*server=*/i == 0, Kind::kPsk, /*cookies=*/false, &kept.clock);
  const auto sent = kept.end[i].side->replay(i == 0 ? t.to_server : t.to_client);
  if (sent != (i == 0 ? t.to_client : t.to_server))
    fail(std::string("a replayed ") + (i == 0 ? "server" : "client") +
         " sent other bytes than in the recorded handshake");
  if (kept.clock.pendingTimers() != 0)
    fail("a timer is armed after a completed handshake (the shared clock would differ)");
  setFingerprintEnabled(fingerprint);
}

// False when an item for end `i` names an epoch-1 record with a sequence number the kept end
// accepted as a probe, or one the probes made too old for its replay window: OpenSSL would drop
// it before authenticating it (and dtls would call it a replay), where a fresh end would try to
// authenticate it.
bool keptEndIsEquivalent(const End& end, int i, const std::vector<dtls::ByteArray>& items) {
  for (const auto& item : items) {
    if (item.empty() || (item[0] & 1) != i) continue;
    bool hit = false;
    dtls::wire::scanRecords(std::string_view(item).substr(1), [&](const dtls::wire::Record& r) {
      if (r.epoch == 1 && end.window.differs(r.sequence_number)) hit = true;
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

// The oracle: `receiver` decrypts a fresh probe from `sender`. Returns the probe's sequence
// number (0 when no probe was possible: one of them is closed). A sender's first probe follows
// records it burns (never delivered) so that the probe's sequence number is above the ones the
// corpus may hold and above every probe the receiver accepted from an earlier sender.
std::uint64_t probe(End& sender, End& receiver, const char* who) {
  Side& from = *sender.side;
  Side& to = *receiver.side;
  if (!to.connection.isConnectionEncrypted()) return 0;  // closed by a close_notify
  if (!from.connection.isConnectionEncrypted()) return 0;  // it answered a close_notify
  auto write = [&](const char* text) {
    if (from.connection.writeDatagramEncrypted(&from.socket, text) != 5)
      fail(std::string("the peer of the ") + who + " cannot write: " +
           from.connection.dtlsErrorString());
    const auto sent = from.socket.take();
    if (sent.size() != 1) fail("a probe is not one datagram");
    return sent[0];
  };
  auto sequence = [](const dtls::ByteArray& datagram) {
    int records = 0;
    std::uint64_t seq = 0;
    const auto framing = dtls::wire::scanRecords(datagram, [&](const dtls::wire::Record& r) {
      ++records;
      seq = r.sequence_number;
    });
    if (!framing.empty() || records != 1) fail("a probe is not one record");
    return seq;
  };
  if (!sender.burned) {
    const std::uint64_t last_taken =
        std::max<std::uint64_t>(kBurnedRecords, receiver.window.any ? receiver.window.highest : 0);
    // At most kMaxBurnedRecords + kBurnedRecords writes: a rebuilt end's peer is never further
    // along (LLVMFuzzerTestOneInput).
    for (int writes = 0; sequence(write("burnt")) < last_taken; ++writes)
      if (writes > static_cast<int>(kMaxBurnedRecords + kBurnedRecords))
        fail("a rebuilt sender burns more records than its peer accepted probes");
    sender.burned = true;
  }
  const dtls::ByteArray datagram = write("probe");
  const dtls::ByteArray plain = to.connection.decryptDatagram(&to.socket, datagram);
  if (fingerprintEnabled()) noteFingerprint(std::string(who) + " probe=" + plain);
  if (plain != "probe")
    fail(std::string(who) + " no longer decrypts its peer: '" +
         to.connection.dtlsErrorString() + "'");
  return sequence(datagram);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // DTLSIM_FUZZ_STATS=1: how often, and why, an end was rebuilt (printed at exit).
  static long inputs = 0, builds = 0, not_equivalent = 0, changed = 0, for_peer = 0;
  if (++inputs == 1 && std::getenv("DTLSIM_FUZZ_STATS"))
    std::atexit([] {
      std::fprintf(stderr, "fuzz_decrypt: %ld inputs, %ld ends built (%ld after an input changed "
                   "the end, %ld before an input naming a sequence number it accepted, %ld "
                   "with a rebuilt peer that had too much to burn)\n", inputs, builds, changed,
                   not_equivalent, for_peer);
    });
  static Kept& kept = *new Kept;  // never destroyed: it would outlive the seeded contexts
  const auto items = splitDatagrams(data, size);
  for (int i : {0, 1}) {
    End& end = kept.end[i];
    if (end.side && (end.inputs >= kMaxKeptInputs || !keptEndIsEquivalent(end, i, items))) {
      not_equivalent += end.inputs < kMaxKeptInputs;
      end.side.reset();
    }
  }
  // A rebuilt end burns one record per probe its kept peer accepted: past a bound, a rebuilt
  // peer is cheaper.
  for (int i : {0, 1}) {
    End& peer = kept.end[1 - i];
    if (!kept.end[i].side && peer.side && peer.window.any &&
        peer.window.highest > kMaxBurnedRecords) {
      ++for_peer;
      peer.side.reset();
    }
  }
  for (int i : {0, 1}) {
    if (kept.end[i].side) continue;
    ++builds;
    build(kept, i);
  }
  Side* sides[2] = {kept.end[0].side.get(), kept.end[1].side.get()};
  for (Side* side : sides) side->socket.take();
  bool keep[2] = {true, true};
  bool framed = false;
  for (const auto& item : items) {
    if (item.empty()) continue;
    const int i = item[0] & 1;
    keep[i] &= deliver(*sides[i], item.substr(1), i == 0 ? "server" : "client", &framed);
  }
  for (Side* side : sides) side->socket.take();  // answers are not delivered
  // An input whose every datagram failed the framing check never reached OpenSSL nor the replay
  // windows: both ends are as the last probes (or the handshake) left them, so probing again
  // could only repeat their answer. Otherwise both ends are probed, also the one that received
  // nothing: its probe comes from the end that did, and checks that end can still write.
  if (framed) {
    const std::uint64_t to_server = probe(kept.end[1], kept.end[0], "server");
    const std::uint64_t to_client = probe(kept.end[0], kept.end[1], "client");
    if (to_server != 0) kept.end[0].window.accept(to_server);
    if (to_client != 0) kept.end[1].window.accept(to_client);
  }
  for (int i : {0, 1}) {
    End& end = kept.end[i];
    ++end.inputs;
    if (keep[i] && end.side->connection.isConnectionEncrypted()) continue;
    ++changed;
    end.side.reset();
  }
  return 0;
}
