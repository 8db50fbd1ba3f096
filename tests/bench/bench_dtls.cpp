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
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dtls/connection.h"
#include "support/dtls_pair.h"
#include "support/test_data.h"

namespace {

constexpr std::size_t kPayloadBytes = 1024;
constexpr const char* kCipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
// What dtls::Connection gives OpenSSL without an MTU hint: 576 minus IPv4 and UDP headers.
constexpr long kLinkMtuBytes = 576 - 20 - 8;
constexpr std::int64_t kBytesPerRoundTrip = 2 * static_cast<std::int64_t>(kPayloadBytes);

using DatagramQueue = std::deque<std::string>;

const std::string& payload() {
  static const std::string p(kPayloadBytes, 'x');
  return p;
}

// ---- Bare OpenSSL ---------------------------------------------------------------------------

// One end of the in-memory link: reads pop the next datagram from `in`, writes push one onto
// `out`. The same contract as dtls' datagram BIO (dtls/src/datagram_bio.cpp).
struct QueueEnd {
  DatagramQueue* in = nullptr;
  DatagramQueue* out = nullptr;
};

QueueEnd* endOf(BIO* bio) { return static_cast<QueueEnd*>(BIO_get_data(bio)); }

int queueWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  if (len < 0) return -1;
  endOf(bio)->out->emplace_back(data, static_cast<std::size_t>(len));
  return len;
}

int queueRead(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  DatagramQueue* in = endOf(bio)->in;
  if (in->empty()) {
    BIO_set_retry_read(bio);
    return -1;
  }
  const std::size_t n = std::min(in->front().size(), static_cast<std::size_t>(std::max(len, 0)));
  std::memcpy(out, in->front().data(), n);
  in->pop_front();
  return static_cast<int>(n);
}

long queueCtrl(BIO* bio, int cmd, long /*num*/, void* /*ptr*/) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return endOf(bio)->in->empty() ? 0 : static_cast<long>(endOf(bio)->in->front().size());
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return 576;
    default:
      return 0;
  }
}

BIO_METHOD* queueMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench queue");
    BIO_meth_set_write(m, queueWrite);
    BIO_meth_set_read(m, queueRead);
    BIO_meth_set_ctrl(m, queueCtrl);
    BIO_meth_set_create(m, [](BIO* b) {
      BIO_set_init(b, 1);
      return 1;
    });
    return m;
  }();
  return method;
}

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

// A client and a server SSL joined by two queues, handshake done. error() is empty on success.
class BarePair {
 public:
  BarePair() {
    if (!init()) error_ = "bare OpenSSL setup failed: " + opensslError();
  }
  const std::string& error() const { return error_; }

  // One round trip; false if any step did not move exactly kPayloadBytes.
  bool roundTrip() {
    if (SSL_write(client_.get(), payload().data(), kPayloadBytes) != kPayloadBytes) return false;
    const int got = SSL_read(server_.get(), buffer_.data(), static_cast<int>(buffer_.size()));
    if (got != static_cast<int>(kPayloadBytes)) return false;
    if (SSL_write(server_.get(), buffer_.data(), got) != got) return false;
    return SSL_read(client_.get(), buffer_.data(), static_cast<int>(buffer_.size())) == got;
  }

 private:
  static std::string opensslError() {
    char text[256] = "no OpenSSL error";
    if (const unsigned long e = ERR_get_error()) ERR_error_string_n(e, text, sizeof text);
    ERR_clear_error();
    return text;
  }

  static SSL_CTX* newContext(bool server) {
    SSL_CTX* ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
    if (ctx == nullptr) return nullptr;
    SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU);
    bool ok = SSL_CTX_set_cipher_list(ctx, kCipher) == 1;
    if (server) {
      ok = ok &&
           SSL_CTX_use_certificate_chain_file(ctx,
                                              dtls::test::certPath("server-chain.pem").c_str()) ==
               1 &&
           SSL_CTX_use_PrivateKey_file(ctx, dtls::test::certPath("server.key.pem").c_str(),
                                       SSL_FILETYPE_PEM) == 1;
    } else {
      ok = ok && SSL_CTX_load_verify_locations(ctx, dtls::test::certPath("ca.pem").c_str(),
                                               nullptr) == 1;
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    }
    if (!ok) {
      SSL_CTX_free(ctx);
      return nullptr;
    }
    return ctx;
  }

  bool attach(std::unique_ptr<SSL, SslFree>& ssl, SSL_CTX* ctx, QueueEnd* end) {
    ssl.reset(SSL_new(ctx));
    BIO* bio = ssl ? BIO_new(queueMethod()) : nullptr;
    if (bio == nullptr) return false;
    BIO_set_data(bio, end);
    SSL_set_bio(ssl.get(), bio, bio);
    DTLS_set_link_mtu(ssl.get(), kLinkMtuBytes);
    return true;
  }

  bool init() {
    client_ctx_.reset(newContext(false));
    server_ctx_.reset(newContext(true));
    if (!client_ctx_ || !server_ctx_) return false;
    if (!attach(client_, client_ctx_.get(), &client_end_) ||
        !attach(server_, server_ctx_.get(), &server_end_))
      return false;
    SSL_set_connect_state(client_.get());
    SSL_set_accept_state(server_.get());
    SSL_set_tlsext_host_name(client_.get(), "server.dtlsim.test");
    SSL_set1_host(client_.get(), "server.dtlsim.test");
    for (int round = 0; round < 20; ++round) {
      const int c = SSL_do_handshake(client_.get());
      const int s = SSL_do_handshake(server_.get());
      if (c == 1 && s == 1) break;
      for (const auto& [ssl, ret] : {std::pair{client_.get(), c}, std::pair{server_.get(), s}}) {
        const int e = SSL_get_error(ssl, ret);
        if (ret != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return false;
      }
    }
    if (!SSL_is_init_finished(client_.get()) || !SSL_is_init_finished(server_.get()))
      return false;
    if (std::strcmp(SSL_get_cipher_name(client_.get()), kCipher) != 0) return false;
    return to_server_.empty() && to_client_.empty();
  }

  DatagramQueue to_server_;
  DatagramQueue to_client_;
  QueueEnd client_end_{&to_client_, &to_server_};
  QueueEnd server_end_{&to_server_, &to_client_};
  std::unique_ptr<SSL_CTX, SslCtxFree> client_ctx_;
  std::unique_ptr<SSL_CTX, SslCtxFree> server_ctx_;
  std::unique_ptr<SSL, SslFree> client_;
  std::unique_ptr<SSL, SslFree> server_;
  std::array<char, 16384> buffer_{};  // an application's receive buffer, allocated once
  std::string error_;
};

// ---- dtlsim ---------------------------------------------------------------------------------

// A DatagramSocket whose writes copy the datagram once into the peer's queue (writeDatagram
// takes a const reference, so one copy is the minimum, as in queueWrite above).
class QueueSocket final : public dtls::DatagramSocket {
 public:
  explicit QueueSocket(DatagramQueue* out) : out_(out) {}
  std::int64_t writeDatagram(const dtls::ByteArray& datagram, const dtls::HostAddress&,
                             std::uint16_t) override {
    out_->push_back(datagram);
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
    const dtls::ByteArray at_server = pair_.server.decryptDatagram(&server_socket_, pop(to_server_));
    if (at_server.size() != kPayloadBytes) return false;
    if (pair_.server.writeDatagramEncrypted(&server_socket_, at_server) !=
        static_cast<std::int64_t>(kPayloadBytes))
      return false;
    return pair_.client.decryptDatagram(&client_socket_, pop(to_client_)).size() == kPayloadBytes;
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

void BM_openssl_roundtrip_1KiB(benchmark::State& state) { runRoundTrips<BarePair>(state); }
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
  BarePair bare;
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
