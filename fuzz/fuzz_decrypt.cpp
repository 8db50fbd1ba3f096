// fuzz_decrypt: an established PSK connection; datagrams go into decryptDatagram of either side.
// Oracles: garbage never ends a connection (at worst TlsNonFatalError) and never decrypts, and
// every genuine record from the real peer decrypts to what the peer wrote — the ones an input
// asks for and, after the input, a probe each way (no desync of keys, sequence numbers or the
// replay window).
// Input: length-prefixed items, each [1 byte: what][bytes]. Bit 0 of `what`: 0 to the server, 1
// to the client. `what & 0xfe` == 0x02: the peer writes `bytes` (the first kMaxPlaintext; "." if
// none) as application data and that genuine datagram is delivered; 0x04: one datagram of a
// genuine record of "mixed" followed by `bytes` (when `bytes` frame as fewer than
// kMaxRecordsPerDatagram records, so the datagram still frames; else as below);
// any other value: `bytes` is the datagram, its epoch-1 sequence numbers counted from the highest
// the receiving end has accepted (0: that record again; n: n records past it).
//
// A handshake per input would cap this harness at a few thousand inputs per second, so each end
// of the established connection is kept from one input to the next, and the input format makes
// a kept end indistinguishable from a fresh one (fuzz/README.md, "fuzz_decrypt keeps its pair"):
// genuine records are made when an input asks for them, always above what the receiver accepted,
// and a datagram's epoch-1 sequence numbers are relative to the receiver's window, which is all
// that differs between a kept end and a fresh one. An end is rebuilt after an input that changed
// it otherwise (an answer sent, an error other than a dropped record), by replaying what it
// received in a recorded handshake: every handshake draws the same bytes, so the rebuilt end
// holds the keys its kept peer expects.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "dtls/wire/record.h"
#include "fixture.h"

namespace {

using namespace dtlsim_fuzz;

// Before it takes any input, every receiver has accepted a record numbered above this. Corpora
// hold ciphertext of genuine records numbered 1..4 (make_corpus writes them right after the
// handshake; since session 6 only with their headers renumbered, as forgeries and replays;
// before, as they were), and with the receiver's highest at 5 or more no sequence number an
// input can name lands on them, so they are never authentic on any end.
constexpr std::uint64_t kOldCorpusRecords = 4;
// A kept end is rebuilt after this many inputs (a bound, not needed for equivalence).
constexpr int kMaxKeptInputs = 1024;
// A rebuilt end burns records until its next one is above what its kept peer accepted; past this
// many, the peer is rebuilt as well.
constexpr std::uint64_t kMaxBurnedRecords = 64;
// The most plaintext one genuine record carries (well inside any MTU and record limit).
constexpr std::size_t kMaxPlaintext = 512;
constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << 48) - 1;
constexpr std::uint8_t kWriteData = 0x02;  // `what & 0xfe` of an item
constexpr std::uint8_t kWriteMixed = 0x04;

// The PSK handshake every end is rebuilt from: what each side received, and sent. Recorded
// once; an end is rebuilt by replaying what it received (Side::replay), without its peer.
const Transcript& canonical() {
  static const Transcript transcript = [] {
    Transcript t;
    Pair pair(Kind::kPsk, /*cookies=*/false);
    if (!pair.handshake(&t)) fail("the PSK handshake did not complete");
    return t;
  }();
  return transcript;
}

// One end of the established connection. Its epoch-1 sequence numbers are all a kept end has
// that a fresh one has not: both are tracked here, so inputs can be read relative to them.
struct End {
  std::unique_ptr<Side> side;
  int inputs = 0;
  std::uint64_t accepted = 0;  // the highest record it accepted from its peer (0: the Finished)
  std::uint64_t written = 0;   // the last record it wrote (0: its Finished)
  const char* name = "";
};

// [0] the server, [1] the client: the index is an item's direction bit.
struct Kept {
  End end[2];
  // One clock for every side ever built, never destroyed: a ManualClock is also the wall clock
  // libssl reads while it lives (a scope), so clocks must not come and go out of order. Time
  // never moves here, and build() checks that no timer is left armed after a handshake.
  dtls::test::ManualClock clock;
};

bool encrypted(const End& end) { return end.side->connection.isConnectionEncrypted(); }

// Builds end `i` (0 the server, 1 the client) from the canonical handshake. A replay that sends
// other bytes than the recorded handshake would mean the handshake is not deterministic, and
// the kept peer could not talk to it.
void build(Kept& kept, int i) {
  const bool fingerprint = fingerprintEnabled();
  setFingerprintEnabled(false);  // how the end came to be is not the input's behaviour
  const Transcript& t = canonical();
  End& end = kept.end[i];
  end = End{};
  end.name = i == 0 ? "server" : "client";
  end.side = std::make_unique<Side>(/*server=*/i == 0, Kind::kPsk, /*cookies=*/false, &kept.clock);
  const auto sent = end.side->replay(i == 0 ? t.to_server : t.to_client);
  if (sent != (i == 0 ? t.to_client : t.to_server))
    fail(std::string("a replayed ") + end.name + " sent other bytes than in the recorded handshake");
  if (kept.clock.pendingTimers() != 0)
    fail("a timer is armed after a completed handshake (the shared clock would differ)");
  setFingerprintEnabled(fingerprint);
}

// The sequence number of a datagram that must be exactly one well-framed record.
std::uint64_t sequenceOf(const dtls::ByteArray& datagram) {
  int records = 0;
  std::uint64_t seq = 0;
  const auto framing = dtls::wire::scanRecords(datagram, [&](const dtls::wire::Record& r) {
    ++records;
    seq = r.sequence_number;
  });
  if (!framing.empty() || records != 1) fail("a genuine datagram is not one record");
  return seq;
}

dtls::ByteArray relative(std::string_view datagram, std::uint64_t base);
bool leftNoState(Side& to);

// `from` writes `text` as one genuine record; returns its datagram.
dtls::ByteArray write(End& from, const dtls::ByteArray& text) {
  Side& side = *from.side;
  if (side.connection.writeDatagramEncrypted(&side.socket, text) !=
      static_cast<std::int64_t>(text.size()))
    fail(std::string("the ") + from.name + " cannot write: " + side.connection.dtlsErrorString());
  auto sent = side.socket.take();
  if (sent.size() != 1) fail("a genuine record is not one datagram");
  from.written = sequenceOf(sent[0]);
  return std::move(sent[0]);
}

// Writes and drops records until `from`'s next one is numbered above `above`.
void burnPast(End& from, std::uint64_t above) {
  while (from.written < above) write(from, "burnt");
}

// `to` must decrypt a genuine record of `text` from `from` (the oracle), alone in its datagram or
// followed by `raw`, records that frame and carry relative sequence numbers. Returns whether `to`
// kept no state of it beyond `accepted`. Every record `from` writes after settling is delivered
// and accepted, so `accepted` of the one is `written` of the other: the genuine record is always
// `accepted` + 1, and sequence number 1 of `raw` replays it on every end.
bool genuine(End& from, End& to, const dtls::ByteArray& text, std::string_view raw = {}) {
  const std::uint64_t base = to.accepted;
  dtls::ByteArray datagram = write(from, text);
  if (!raw.empty()) datagram += relative(raw, base);
  const dtls::ByteArray plain = to.side->deliver(datagram);
  if (plain != text)
    fail(std::string("the ") + to.name + " no longer decrypts its peer: '" +
         to.side->connection.dtlsErrorString() + "'");
  to.accepted = from.written;
  if (raw.empty())
    return to.side->socket.take().empty() &&
           to.side->connection.dtlsError() == dtls::DtlsError::NoError;
  // The records of `raw` cannot decrypt (relative numbers land on no genuine record but this
  // one, which they can only replay), and decryptDatagram notes exactly the records that
  // decrypted: the genuine one, as if it had come alone. So the end kept no other state if
  // `raw` left none.
  return leftNoState(*to.side);
}

// `datagram` with each epoch-1 record's sequence number s read as `base` + s (left as s past
// 2^48 - 1, where s itself is above `base`). So s = 0 is the receiver's highest accepted record,
// a replay on every end, and s >= 1 is a record it has not seen, on every end.
dtls::ByteArray relative(std::string_view datagram, std::uint64_t base) {
  dtls::ByteArray out(datagram);
  dtls::wire::scanRecords(datagram, [&](const dtls::wire::Record& r) {
    if (r.epoch != 1) return;
    // Arithmetic, not a branch: which case applies depends on `base` (a kept end's history),
    // and the instrumented edges must not.
    const std::uint64_t fits = std::uint64_t{0} - (r.sequence_number <= kMaxSequence - base);
    const std::uint64_t seq = r.sequence_number + (base & fits);
    for (int b = 0; b < 6; ++b)  // sequence_number: bytes 5..10 of the header, big-endian
      out[r.offset + 5 + b] = static_cast<char>(seq >> (8 * (5 - b)));
  });
  return out;
}

// True when the datagram just delivered left `to` as it was: nothing sent in answer, still
// encrypted with a non-fatal outcome. Every record either never reached OpenSSL (framing errors, records
// too short for the cipher or of another version) or was dropped by it without a trace: epoch 0
// (after the handshake OpenSSL 3.0's dtls1_get_bitmap has no window for it), epoch-1 records
// that fail authentication (dropped before anything is recorded, RFC 6347 §4.1.2.7) or replay
// the highest accepted one, and later epochs (dtls1_get_record keeps handshake and alert
// records of the next epoch only while a handshake is in progress; the rest has no window).
bool leftNoState(Side& to) {
  if (!to.socket.take().empty()) return false;
  const dtls::DtlsError error = to.connection.dtlsError();
  return to.connection.isConnectionEncrypted() &&
         (error == dtls::DtlsError::TlsNonFatalError || error == dtls::DtlsError::NoError);
}

// True when `bytes` frame as records, few enough that a genuine record in front of them still
// leaves a datagram that frames (kMaxRecordsPerDatagram).
bool framesBehindARecord(std::string_view bytes) {
  std::size_t records = 0;
  return !bytes.empty() &&
         dtls::wire::scanRecords(bytes, [&](const dtls::wire::Record&) { ++records; }).empty() &&
         records < dtls::wire::kMaxRecordsPerDatagram;
}

// Delivers one datagram of the input's own bytes. Garbage must leave the connection usable
// (TlsNonFatalError), and it cannot hold a genuine record: relative sequence numbers never land
// on one from an old corpus (kOldCorpusRecords). Returns whether the end kept no state of it.
// `*framed` becomes true when the datagram passed the connection's framing check (only such a
// datagram reaches OpenSSL).
bool deliverRaw(End& to, std::string_view bytes, bool* framed) {
  const dtls::ByteArray datagram = relative(bytes, to.accepted);
  if (dtls::wire::scanRecords(datagram, [](const dtls::wire::Record&) {}).empty()) *framed = true;
  const dtls::ByteArray plain = to.side->deliver(datagram);
  if (!encrypted(to)) fail(std::string("the ") + to.name + " left the encrypted state: " +
                           to.side->connection.dtlsErrorString());
  if (!plain.empty())
    fail(std::string("a datagram of the input decrypted at the ") + to.name +
         ": inputs must not hold genuine records (fuzz/README.md)");
  return leftNoState(*to.side);
}

// The oracle after an input: `to` decrypts a fresh probe from `from`. Returns whether `to` kept
// no state of it beyond `accepted`. State an input left in OpenSSL that no check above sees
// (records still buffered behind a failed one) shows here, in the same input, or in no
// behaviour at all: raw records cannot decrypt.
bool probe(End& from, End& to) {
  const bool kept = genuine(from, to, "probe");
  if (fingerprintEnabled()) noteFingerprint(std::string(to.name) + " probe");
  return kept;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // DTLSIM_FUZZ_STATS=1: how often, and why, an end was rebuilt (printed at exit).
  static long inputs = 0, builds = 0, changed = 0, for_peer = 0, burned = 0;
  if (++inputs == 1 && std::getenv("DTLSIM_FUZZ_STATS"))
    std::atexit([] {
      std::fprintf(stderr, "fuzz_decrypt: %ld inputs, %ld ends built (%ld after an input changed "
                   "the end, %ld with a rebuilt peer that had too much to burn), %ld records "
                   "burned\n", inputs, builds, changed, for_peer, burned);
    });
  static Kept& kept = *new Kept;  // never destroyed: it would outlive the seeded contexts
  End* ends = kept.end;
  for (End& end : kept.end)
    if (end.side && end.inputs >= kMaxKeptInputs) end.side.reset();
  // A rebuilt end burns one record per record its kept peer accepted: past a bound, a rebuilt
  // peer is cheaper.
  for (int i : {0, 1}) {
    End& peer = ends[1 - i];
    if (!ends[i].side && peer.side && peer.accepted > kMaxBurnedRecords) {
      ++for_peer;
      peer.side.reset();
    }
  }
  bool built[2] = {false, false};
  for (int i : {0, 1}) {
    if (ends[i].side) continue;
    ++builds;
    build(kept, i);
    built[i] = true;
  }
  // Each direction touching a rebuilt end: the sender's records go above what the receiver
  // accepted (and above an old corpus's), then the receiver accepts one, so every receiver's
  // highest is a record it accepted.
  if (built[0] || built[1]) {
    const bool fingerprint = fingerprintEnabled();
    setFingerprintEnabled(false);  // settling is not the input's behaviour either
    for (int to : {0, 1}) {
      End& from = ends[1 - to];
      const long before = static_cast<long>(from.written);
      burnPast(from, std::max(ends[to].accepted, kOldCorpusRecords));
      burned += static_cast<long>(from.written) - before;
      if (!genuine(from, ends[to], "ready")) fail("a rebuilt pair does not settle");
    }
    setFingerprintEnabled(fingerprint);
  }

  bool keep[2] = {true, true};
  bool framed = false;
  for (const auto& item : splitDatagrams(data, size)) {
    if (item.empty()) continue;
    const int i = item[0] & 1;
    End& to = ends[i];
    End& from = ends[1 - i];
    const std::uint8_t what = static_cast<std::uint8_t>(item[0]) & 0xfe;
    const std::string_view bytes = item.substr(1);
    if (what == kWriteData) {
      framed = true;
      const std::size_t length = std::min(bytes.size(), kMaxPlaintext);
      keep[i] &= genuine(from, to, length == 0 ? dtls::ByteArray(".")
                                               : dtls::ByteArray(bytes.substr(0, length)));
    } else if (what == kWriteMixed && framesBehindARecord(bytes)) {
      framed = true;
      keep[i] &= genuine(from, to, "mixed", bytes);
    } else {
      keep[i] &= deliverRaw(to, bytes, &framed);
    }
  }
  for (End& end : kept.end) end.side->socket.take();  // answers are not delivered
  // An input whose every datagram failed the framing check never reached OpenSSL: both ends are
  // as the last probes (or the settling above) left them, so probing again could only repeat
  // their answer. Otherwise both ends are probed, also the one that received nothing: its
  // probe comes from the end that did, and checks that end can still write.
  if (framed) {
    keep[0] &= probe(ends[1], ends[0]);
    keep[1] &= probe(ends[0], ends[1]);
  }
  for (int i : {0, 1}) {
    End& end = ends[i];
    ++end.inputs;
    if (keep[i]) continue;
    ++changed;
    end.side.reset();
  }
  return 0;
}
