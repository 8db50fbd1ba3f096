// dtls::Connection data path against each bare library it wraps, in one process. A round trip
// is one 1 KiB datagram encrypted by the client and decrypted by the server, then the same
// plaintext encrypted by the server and decrypted by the client. For every backend the goal is
//   dtlsim round trips per second / bare library round trips per second >= 0.9
// (STYLE.md "Speed is measured in benchmarks"; tests never assert on time).
//
// Both sides are set up the same way so that the ratio measures the wrapper, not the setup:
// the bare pair is bench::BareLink of that library (bare_end.h), whose sides are set up as the
// matching dtls backend sets up its own: the same certificate chain and key (the test PKI), the
// same pinned cipher suite (ECDHE-ECDSA-AES128-GCM-SHA256, DTLS 1.2), the same link MTU for the
// handshake and records that may exceed it after, and the same in-memory transport design: a
// write copies the datagram once into the peer's queue, a read hands the library exactly one
// queued datagram. The dtlsim pair is a dtls::test::DtlsPair on that backend. Each pair's
// handshake runs once, outside the timed loop.
//
// For each backend B (dtls::availableBackends() that this build has a bare side for):
//   BM_B_roundtrip_1KiB          the bare library alone,
//   BM_dtlsim_B_roundtrip_1KiB   dtls::Connection on B alone,
//   BM_interleaved_B_1KiB        batches of both alternating in one loop, so machine noise hits
//                                both alike; its ratio is the headline.
// The summary printed last has one line per backend, "ratio dtlsim/B = X.XX", and a table of
// the interleaved rates. Items = round trips, bytes = plaintext both ways.
//   build/<dir>/tests/bench/bench_dtls [--benchmark_filter=gnutls] --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bare_end.h"
#include "dtls/backend.h"
#include "dtls/connection.h"
#include "support/dtls_pair.h"

namespace {

constexpr std::size_t kPayloadBytes = 1024;
constexpr const char* kCipher = bench::kPinnedCipher;
constexpr std::int64_t kBytesPerRoundTrip = 2 * static_cast<std::int64_t>(kPayloadBytes);

using bench::DatagramQueue;

const std::string& payload() {
  static const std::string p(kPayloadBytes, 'x');
  return p;
}

// ---- Bare library ---------------------------------------------------------------------------

// A bench::BareLink of one library with the handshake done (no cookies: it is not timed).
// error() is empty on success.
class BareRoundTrips {
 public:
  explicit BareRoundTrips(const std::string& library)
      : client_side_(bench::newBareSide(library, false, {})),
        server_side_(bench::newBareSide(library, true, {})) {
    if (!client_side_ || !server_side_) {
      error_ = "bare " + library + " setup failed";
      return;
    }
    link_ = std::make_unique<bench::BareLink>(*client_side_, *server_side_);
    std::string why = "an end could not be made";
    if (!link_->ok() || !link_->handshake(&why)) {
      error_ = "bare " + library + " handshake failed: " + why;
    } else if (link_->client().suite() != bench::kPinnedSuiteId || !link_->queuesEmpty()) {
      error_ = "bare " + library + " negotiated something else";
    }
  }
  const std::string& error() const { return error_; }

  // One round trip; false if any step did not move exactly kPayloadBytes.
  bool roundTrip() {
    bench::BareEnd& client = link_->client();
    bench::BareEnd& server = link_->server();
    if (!client.write(payload().data(), kPayloadBytes)) return false;
    const long got = server.read(buffer_.data(), buffer_.size());
    if (got != static_cast<long>(kPayloadBytes)) return false;
    if (!server.write(buffer_.data(), kPayloadBytes)) return false;
    return client.read(buffer_.data(), buffer_.size()) == got;
  }

 private:
  std::unique_ptr<bench::BareSide> client_side_;
  std::unique_ptr<bench::BareSide> server_side_;
  std::unique_ptr<bench::BareLink> link_;
  std::array<char, 16384> buffer_{};  // an application's receive buffer, allocated once
  std::string error_;
};

// ---- dtlsim ---------------------------------------------------------------------------------

// A DatagramSocket whose writes copy the datagram once into the peer's queue (writeDatagram
// takes a view of the record layer's buffer: one copy, as in bench::QueueEnd::send).
class QueueSocket final : public dtls::DatagramSocket {
 public:
  explicit QueueSocket(DatagramQueue* out) : out_(out) {}
  std::int64_t writeDatagram(std::string_view datagram, const dtls::HostAddress&,
                             std::uint16_t) override {
    out_->emplace_back(datagram);
    return static_cast<std::int64_t>(datagram.size());
  }
  int error() const override { return 0; }
  std::string errorString() const override { return {}; }

 private:
  DatagramQueue* out_;
};

// A dtls::test::DtlsPair on one backend with the cipher pinned does the handshake (cookie
// exchange included); the data then flows through QueueSockets: a Connection keeps no socket
// between calls.
class DtlsimPair {
 public:
  explicit DtlsimPair(const std::string& backend)
      : pair_(dtls::test::DtlsPair::Backends{backend, backend},
              config(dtls::test::DtlsPair::clientConfig()),
              config(dtls::test::DtlsPair::serverConfig())) {
    if (!pair_.handshake()) {
      error_ = "dtlsim " + backend + " handshake failed: " + pair_.why();
    } else if (pair_.client.sessionCipher().name() != kCipher) {
      error_ = "dtlsim " + backend + " negotiated " + pair_.client.sessionCipher().name();
    }
  }
  const std::string& error() const { return error_; }

  bool roundTrip() {
    if (pair_.client.writeDatagramEncrypted(&client_socket_, payload()) !=
        static_cast<std::int64_t>(kPayloadBytes))
      return false;
    // The application's receive buffer is reused, as the bare side's is (the caller-buffer
    // decryptDatagram).
    if (pair_.server.decryptDatagram(&server_socket_, pop(to_server_), &plaintext_) !=
        static_cast<std::int64_t>(kPayloadBytes))
      return false;
    if (pair_.server.writeDatagramEncrypted(&server_socket_, plaintext_) !=
        static_cast<std::int64_t>(kPayloadBytes))
      return false;
    return pair_.client.decryptDatagram(&client_socket_, pop(to_client_), &plaintext_) ==
           static_cast<std::int64_t>(kPayloadBytes);
  }

 private:
  static dtls::Configuration config(dtls::Configuration c) {
    c.setCiphers(kCipher);
    return c;
  }
  static std::string pop(DatagramQueue& q) {
    if (q.empty()) return {};
    std::string d = std::move(q.front());
    q.pop_front();
    return d;
  }

  dtls::test::DtlsPair pair_;
  DatagramQueue to_server_;
  DatagramQueue to_client_;
  QueueSocket client_socket_{&to_server_};
  QueueSocket server_socket_{&to_client_};
  dtls::ByteArray plaintext_;
  std::string error_;
};

// ---- Benchmarks -----------------------------------------------------------------------------

template <typename Pair>
void runRoundTrips(benchmark::State& state, const std::string& library) {
  Pair pair(library);
  if (!pair.error().empty()) {
    state.SkipWithError(pair.error().c_str());
    return;
  }
  for (auto _ : state) {
    if (!pair.roundTrip()) {
      state.SkipWithError("a round trip did not carry the payload");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * kBytesPerRoundTrip);
}

// This thread's CPU time: on a shared machine, wall time would count the time other
// processes ran (the separate benchmarks' rates are per CPU second too).
struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  static duration now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
  }
};

// Each iteration: kBatch bare round trips, then kBatch dtlsim round trips, each batch timed on
// its own. Counters: both rates (round trips per CPU second) and their ratio.
void interleaved(benchmark::State& state, const std::string& library) {
  constexpr int kBatch = 64;
  using Clock = ThreadCpuClock;
  BareRoundTrips bare(library);
  DtlsimPair dtlsim(library);
  for (const std::string* e : {&bare.error(), &dtlsim.error()}) {
    if (!e->empty()) {
      state.SkipWithError(e->c_str());
      return;
    }
  }
  Clock::duration bare_time{}, dtlsim_time{};
  for (auto _ : state) {
    bool ok = true;
    const auto t0 = Clock::now();
    for (int i = 0; i < kBatch; ++i) ok = bare.roundTrip() && ok;
    const auto t1 = Clock::now();
    for (int i = 0; i < kBatch; ++i) ok = dtlsim.roundTrip() && ok;
    const auto t2 = Clock::now();
    bare_time += t1 - t0;
    dtlsim_time += t2 - t1;
    if (!ok) {
      state.SkipWithError("a round trip did not carry the payload");
      break;
    }
  }
  const double trips = static_cast<double>(state.iterations()) * kBatch;
  const double bare_rate = trips / std::chrono::duration<double>(bare_time).count();
  const double dtlsim_rate = trips / std::chrono::duration<double>(dtlsim_time).count();
  state.counters["bare_rt/s"] = bare_rate;
  state.counters["dtlsim_rt/s"] = dtlsim_rate;
  state.counters["ratio"] = dtlsim_rate / bare_rate;
  state.SetItemsProcessed(state.iterations() * 2 * kBatch);
  state.SetBytesProcessed(state.iterations() * 2 * kBatch * kBytesPerRoundTrip);
}

std::string bareName(const std::string& library) { return "BM_" + library + "_roundtrip_1KiB"; }
std::string dtlsimName(const std::string& library) {
  return "BM_dtlsim_" + library + "_roundtrip_1KiB";
}
std::string interleavedName(const std::string& library) {
  return "BM_interleaved_" + library + "_1KiB";
}

// The backends of dtls (its order, the default first) that this build has a bare side for.
std::vector<std::string> measuredBackends() {
  const std::vector<std::string> bare = bench::bareLibraries();
  std::vector<std::string> out;
  for (const std::string& backend : dtls::availableBackends())
    if (std::find(bare.begin(), bare.end(), backend) != bare.end()) out.push_back(backend);
  return out;
}

void registerBenchmarks(const std::vector<std::string>& backends) {
  for (const std::string& b : backends) {
    benchmark::RegisterBenchmark(bareName(b).c_str(), [b](benchmark::State& state) {
      runRoundTrips<BareRoundTrips>(state, b);
    });
    benchmark::RegisterBenchmark(dtlsimName(b).c_str(), [b](benchmark::State& state) {
      runRoundTrips<DtlsimPair>(state, b);
    });
    benchmark::RegisterBenchmark(interleavedName(b).c_str(),
                                 [b](benchmark::State& state) { interleaved(state, b); });
  }
}

// ---- Summary --------------------------------------------------------------------------------

// The console reporter, keeping each benchmark's counters: the median aggregate when there
// are repetitions, else the single run.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.error_occurred || !(median || run.run_type == Run::RT_Iteration)) continue;
      auto& slot = counters_[run.run_name.function_name];
      if (median || !slot.second) slot = {run.counters, median};
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Per backend: the separate runs' rates, the interleaved ones and the headline ratio, then
  // the interleaved figures as a table.
  void printSummary(const std::vector<std::string>& backends) const {
    struct Line {
      std::string backend;
      double dtlsim = 0, bare = 0, ratio = 0;
    };
    std::vector<Line> table;
    for (const std::string& b : backends) {
      const auto bare = counter(bareName(b), "items_per_second");
      const auto ours = counter(dtlsimName(b), "items_per_second");
      if (bare && ours) {
        std::printf("%s separate runs: bare %.0f rt/s, dtlsim %.0f rt/s, ratio %.2f\n",
                    b.c_str(), *bare, *ours, *ours / *bare);
      }
      const auto ib = counter(interleavedName(b), "bare_rt/s");
      const auto io = counter(interleavedName(b), "dtlsim_rt/s");
      const auto ir = counter(interleavedName(b), "ratio");
      if (ib && io && ir) {
        std::printf("%s interleaved:   bare %.0f rt/s, dtlsim %.0f rt/s\n", b.c_str(), *ib, *io);
        std::printf("ratio dtlsim/%s = %.2f (goal >= 0.90)\n", b.c_str(), *ir);
        table.push_back({b, *io, *ib, *ir});
      } else if (bare && ours) {
        std::printf("ratio dtlsim/%s = %.2f (goal >= 0.90)\n", b.c_str(), *ours / *bare);
        table.push_back({b, *ours, *bare, *ours / *bare});
      }
    }
    if (!table.empty()) {
      std::printf("\n%-10s %-16s %-16s %s\n", "backend", "dtlsim rt/s", "bare rt/s", "ratio");
      for (const Line& l : table)
        std::printf("%-10s %-16.0f %-16.0f %.2f\n", l.backend.c_str(), l.dtlsim, l.bare, l.ratio);
    }
    std::fflush(stdout);
  }

 private:
  std::optional<double> counter(const std::string& bench, const char* name) const {
    const auto b = counters_.find(bench);
    if (b == counters_.end()) return std::nullopt;
    const auto c = b->second.first.find(name);
    if (c == b->second.first.end()) return std::nullopt;
    return c->second.value;
  }

  // function name -> (counters, taken from a median aggregate)
  std::map<std::string, std::pair<benchmark::UserCounters, bool>> counters_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::vector<std::string> backends = measuredBackends();
  registerBenchmarks(backends);
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.printSummary(backends);
  benchmark::Shutdown();
  return 0;
}
