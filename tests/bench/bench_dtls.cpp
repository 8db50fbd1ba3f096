// dtls::Connection data path against bare OpenSSL, in one process. A round trip is one 1 KiB
// datagram encrypted by the client and decrypted by the server, then the same plaintext
// encrypted by the server and decrypted by the client. The goal is
//   dtlsim round trips per second / bare OpenSSL round trips per second >= 0.9
// (STYLE.md "Speed is measured in benchmarks"; tests never assert on time).
//
// Both sides are set up the same way so that the ratio measures the wrapper, not the setup:
// the same certificate chain and key (the test PKI), the same pinned cipher suite
// (ECDHE-ECDSA-AES128-GCM-SHA256, DTLS 1.2), the same link MTU, and the same in-memory
// transport design: a write copies the datagram once into the peer's queue, a read hands
// OpenSSL exactly one queued datagram. The handshake runs once, outside the timed loop.
//
// BM_interleaved alternates batches of both in one loop, so machine noise hits both alike; its
// median ratio is the headline printed last ("ratio dtlsim/openssl = X.XX"). The separate
// benchmarks report each rate on its own (items = round trips, bytes = plaintext both ways).
//   build/<dir>/tests/bench/bench_dtls --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bare_dtls.h"
#include "dtls/connection.h"
#include "support/dtls_pair.h"

namespace {

constexpr std::size_t kPayloadBytes = 1024;
constexpr const char* kCipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
constexpr std::int64_t kBytesPerRoundTrip = 2 * static_cast<std::int64_t>(kPayloadBytes);

using bench::DatagramQueue;

const std::string& payload() {
  static const std::string p(kPayloadBytes, 'x');
  return p;
}

// ---- Bare OpenSSL ---------------------------------------------------------------------------

// A bench::BarePair with the handshake done (no cookies: it is not timed). error() is empty on
// success.
class BareRoundTrips {
 public:
  BareRoundTrips()
      : client_ctx_(bench::newBareContext(false, {})),
        server_ctx_(bench::newBareContext(true, {})),
        pair_(client_ctx_.get(), server_ctx_.get()) {
    if (!pair_.ok() || !bench::bareHandshake(pair_.client(), pair_.server(), false)) {
      error_ = "bare OpenSSL setup failed: " + bench::opensslError();
    } else if (std::strcmp(SSL_get_cipher_name(pair_.client()), kCipher) != 0 ||
               !pair_.queuesEmpty()) {
      error_ = "bare OpenSSL negotiated something else";
    }
  }
  const std::string& error() const { return error_; }

  // One round trip; false if any step did not move exactly kPayloadBytes.
  bool roundTrip() {
    SSL* client = pair_.client();
    SSL* server = pair_.server();
    if (SSL_write(client, payload().data(), kPayloadBytes) != kPayloadBytes) return false;
    const int got = SSL_read(server, buffer_.data(), static_cast<int>(buffer_.size()));
    if (got != static_cast<int>(kPayloadBytes)) return false;
    if (SSL_write(server, buffer_.data(), got) != got) return false;
    return SSL_read(client, buffer_.data(), static_cast<int>(buffer_.size())) == got;
  }

 private:
  bench::SslCtxPtr client_ctx_;
  bench::SslCtxPtr server_ctx_;
  bench::BarePair pair_;
  std::array<char, 16384> buffer_{};  // an application's receive buffer, allocated once
  std::string error_;
};

// ---- dtlsim ---------------------------------------------------------------------------------

// A DatagramSocket whose writes copy the datagram once into the peer's queue (writeDatagram
// takes a view of the record layer's buffer: one copy, as in queueWrite above).
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

// A dtls::test::DtlsPair with the cipher pinned does the handshake (cookie exchange included);
// the data then flows through QueueSockets: a Connection keeps no socket between calls.
class DtlsimPair {
 public:
  DtlsimPair() : pair_(config(dtls::test::DtlsPair::clientConfig()),
                       config(dtls::test::DtlsPair::serverConfig())) {
    if (!pair_.handshake()) {
      error_ = "dtlsim handshake failed: " + pair_.why();
    } else if (pair_.client.sessionCipher().name() != kCipher) {
      error_ = "dtlsim negotiated " + pair_.client.sessionCipher().name();
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
void runRoundTrips(benchmark::State& state) {
  Pair pair;
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

void BM_openssl_roundtrip_1KiB(benchmark::State& state) { runRoundTrips<BareRoundTrips>(state); }
BENCHMARK(BM_openssl_roundtrip_1KiB);

void BM_dtlsim_roundtrip_1KiB(benchmark::State& state) { runRoundTrips<DtlsimPair>(state); }
BENCHMARK(BM_dtlsim_roundtrip_1KiB);

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
void BM_interleaved_1KiB(benchmark::State& state) {
  constexpr int kBatch = 64;
  using Clock = ThreadCpuClock;
  BareRoundTrips bare;
  DtlsimPair dtlsim;
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
  state.counters["openssl_rt/s"] = bare_rate;
  state.counters["dtlsim_rt/s"] = dtlsim_rate;
  state.counters["ratio"] = dtlsim_rate / bare_rate;
  state.SetItemsProcessed(state.iterations() * 2 * kBatch);
  state.SetBytesProcessed(state.iterations() * 2 * kBatch * kBytesPerRoundTrip);
}
BENCHMARK(BM_interleaved_1KiB);

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

  void printSummary() const {
    const auto rate = [&](const char* bench, const char* counter) -> std::optional<double> {
      const auto b = counters_.find(bench);
      if (b == counters_.end()) return std::nullopt;
      const auto c = b->second.first.find(counter);
      if (c == b->second.first.end()) return std::nullopt;
      return c->second.value;
    };
    const auto bare = rate("BM_openssl_roundtrip_1KiB", "items_per_second");
    const auto ours = rate("BM_dtlsim_roundtrip_1KiB", "items_per_second");
    if (bare && ours) {
      std::printf("separate runs: openssl %.0f rt/s, dtlsim %.0f rt/s, ratio %.2f\n", *bare,
                  *ours, *ours / *bare);
    }
    const auto ib = rate("BM_interleaved_1KiB", "openssl_rt/s");
    const auto io = rate("BM_interleaved_1KiB", "dtlsim_rt/s");
    const auto ir = rate("BM_interleaved_1KiB", "ratio");
    if (ib && io && ir) {
      std::printf("interleaved:   openssl %.0f rt/s, dtlsim %.0f rt/s\n", *ib, *io);
      std::printf("ratio dtlsim/openssl = %.2f (goal >= 0.90)\n", *ir);
    } else if (bare && ours) {
      std::printf("ratio dtlsim/openssl = %.2f (goal >= 0.90)\n", *ours / *bare);
    }
    std::fflush(stdout);
  }

 private:
  // function name -> (counters, taken from a median aggregate)
  std::map<std::string, std::pair<benchmark::UserCounters, bool>> counters_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.printSummary();
  benchmark::Shutdown();
  return 0;
}
