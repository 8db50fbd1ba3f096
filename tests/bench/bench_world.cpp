// bench_world: what the simulation costs, measured in one process and printed as one table
// (issue 5's benchmark; STYLE.md "Speed is measured in benchmarks"; tests never assert on time).
//
//   handshakes   lossless simulated handshakes with cookie exchange per CPU second (one World,
//                one cookie-checking server, many clients; world setup and the trace included)
//                against bare OpenSSL in-memory handshakes with cookie exchange (DTLSv1_listen,
//                same PKI, cipher, MTU; contexts built once per batch as a World builds its own).
//                Batches alternate so machine noise hits both; the median ratio is reported.
//                Goal: ratio >= 0.9.
//   mbedtls, gnutls, wolfssl, openssl-mbedtls, mbedtls-openssl
//                the same for an mbedTLS, a GnuTLS and a wolfSSL client and server, and for
//                worlds that mix OpenSSL and mbedTLS (client backend first), against bare
//                handshakes between the same libraries, each set up as its dtls backend sets up
//                its own (bare_end.h). A row whose backend the build lacks says "skipped".
//   blackout     wall time of one run of the total-blackout scenario: 12 timer expiries, the
//                handshake fails at about 483 s of virtual time. Goal: <= 20 ms (median).
//   sweep        `dtlsim sweep`'s engine (runSweep) over the same seeds with 2 jobs and 1 job;
//                wall-time speedup. Goal: >= 1.8x (2 cores; meaningless on a busy machine).
//   10k clients  one server and 10,000 concurrent simulated clients, every handshake complete;
//                heap per established connection (both ends counted, the trace's own memory
//                excluded) next to a bare OpenSSL SSL object's after the same handshake.
//   psk-crowd-openssl, psk-crowd-mbedtls, psk-crowd-gnutls, psk-crowd-wolfssl
//                (issue 22, the IoT story) one PSK server and 100,000 concurrent PSK clients on
//                one backend, every handshake complete (PSK-CHACHA20-POLY1305, the one plain-PSK
//                suite all four have; the trace without events): wall time, heap per
//                established connection as for 10k clients, peak RSS. The bare column is a bare
//                OpenSSL SSL object's after a PSK handshake with cookies, for every backend (no
//                bare PSK baseline of the other libraries yet). `--only psk-crowd` runs all four.
//
//   build/default/tests/bench/bench_world [--quick] [--only ROW] [--flights] [--psk-clients N]
// (ROW: a name above; psk-crowd runs the four PSK crowd rows, which run only when named or
// with --quick) --quick shrinks every measurement (for a smoke run; 500 PSK clients); the
// figures then mean little. --only runs one row (for a profiler). --flights measures nothing: for each handshake row it runs one
// bare and one simulated handshake and prints their datagrams each way as dtls/wire labels,
// to check that both exchange the same flights (exit 1 if they do not). --psk-clients sets
// the PSK crowd's size. A crowd whose clients do not all complete makes the exit status 1.
#include <malloc.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bare_dtls.h"
#include "bare_end.h"
#include "dtls/backend.h"
#include "dtls/wire/describe.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/sweep.h"
#include "world.h"

namespace {

// Pinned on both sides, so both run the same handshake.
constexpr const char* kCipher = bench::kPinnedCipher;

struct Sizes {
  int handshake_clients = 500;  // handshakes per batch (one World)
  int handshake_batches = 5;
  int blackout_runs = 15;
  int sweep_seeds = 200;
  int sweep_repeats = 3;
  int crowd_clients = 10'000;
  int psk_crowd_clients = 100'000;
};

// This thread's CPU time: on a shared machine wall time would count other processes.
double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

std::size_t heapInUse() { return mallinfo2().uordblks; }

// ---- Scenarios --------------------------------------------------------------------------------

// 10.a.b.c with b and c in 1..250: 10.1.1.1 .. 10.1.250.250 for the first 62,500 clients,
// then 10.2.1.1 and on (the server is 10.0.0.1).
std::string clientAddress(int i) {
  return "10." + std::to_string(1 + i / 62'500) + "." + std::to_string(1 + i / 250 % 250) + "." +
         std::to_string(1 + i % 250);
}

// Which backend each side of a world runs (dtls/backend.h names).
struct Backends {
  std::string client = "openssl";
  std::string server = "openssl";
};

// One cookie-checking server and `clients` clients starting `spacing_us` apart over a 10 ms
// link; `extra_network` goes inside network { } and `extra` at the end of the file.
std::string scenarioText(int clients, std::uint64_t spacing_us, const std::string& extra_network,
                         const std::string& extra, const Backends& backends = {}) {
  std::string t;
  t.reserve(static_cast<std::size_t>(clients) * 320 + 1024);
  t += "name: \"bench\"\nseed: 1\nmax_virtual_time_ms: 600000\n";
  t += "network { default_link { latency_us: 10000 } " + extra_network + " }\n";
  t += "endpoints { name: \"server\" role: SERVER address: \"10.0.0.1\" port: 4433 dtls {"
       " certificate_chain: \"server-chain.pem\" private_key: \"server.key.pem\" ciphers: \"" +
       std::string(kCipher) + "\" backend: \"" + backends.server + "\" } }\n";
  for (int i = 0; i < clients; ++i) {
    const std::uint64_t start_us = spacing_us * static_cast<std::uint64_t>(i);
    t += "endpoints { name: \"c" + std::to_string(i) + "\" role: CLIENT address: \"" +
         clientAddress(i) + "\" server: \"server\" start_ms: " + std::to_string(start_us / 1000) +
         " dtls { ca_certificates: \"ca.pem\" verify_mode: \"VerifyPeer\""
         " verify_name: \"server.dtlsim.test\" ciphers: \"" + std::string(kCipher) +
         "\" backend: \"" + backends.client + "\" } }\n";
  }
  return t + extra;
}

bool load(const std::string& text, scenarios::LoadedScenario* out) {
  std::string error;
  if (scenarios::parseScenarioText(text, "bench.textproto", DTLSIM_TEST_DATA_DIR "/certs", out,
                                   &error))
    return true;
  std::fprintf(stderr, "bench_world: scenario does not load: %s\n", error.c_str());
  return false;
}

// Every client endpoint of the outcome completed its handshake.
int completedClients(const dtlsim::Trace& trace) {
  int done = 0;
  for (const auto& e : trace.outcome().endpoints())
    if (e.name() != "server" && e.has_handshake_done_us()) ++done;
  return done;
}

// ---- Rows -------------------------------------------------------------------------------------

struct Row {
  std::string what;
  std::string dtlsim;
  std::string baseline;
  std::string result;
  std::string goal;
  bool met = false;
  bool skipped = false;  // the build lacks what the row measures
  std::string detail = {};  // printed on a line of its own under the row
  // A missed goal fails the run (exit 1): a crowd whose clients did not all finish.
  bool must_meet = false;
  std::string name = {};  // the step's, set by main
};

std::string fmt(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// The same handshake as the World's: cookie exchange, a CertificateRequest answered with an
// empty Certificate, a session ticket.
const bench::BareOptions kBareHandshake{.cipher = kCipher, .cookies = true, .query_peer = true};

// Both backends are in dtls and have a bare side in this build.
bool built(const Backends& backends) {
  const std::vector<std::string> ours = dtls::availableBackends();
  const std::vector<std::string> bare = bench::bareLibraries();
  for (const std::string* name : {&backends.client, &backends.server}) {
    if (std::find(ours.begin(), ours.end(), *name) == ours.end() ||
        std::find(bare.begin(), bare.end(), *name) == bare.end())
      return false;
  }
  return true;
}

// A client side and a server side of the bare libraries, for kBareHandshake; false (with a
// message) if either cannot be set up.
bool bareSides(const Backends& backends, std::unique_ptr<bench::BareSide>* client,
               std::unique_ptr<bench::BareSide>* server) {
  *client = bench::newBareSide(backends.client, false, kBareHandshake);
  *server = bench::newBareSide(backends.server, true, kBareHandshake);
  if (*client && *server) return true;
  std::fprintf(stderr, "bench_world: bare %s side setup failed\n",
               *client ? backends.server.c_str() : backends.client.c_str());
  return false;
}

bool handshakesBetween(const Backends& backends, const Sizes& sizes, Row* row) {
  const std::string what =
      "handshakes/s with cookies, " + backends.client + " -> " + backends.server;
  if (!built(backends)) {
    *row = {what, "-", "-", "not built", ">= 0.90", false, true, {}};
    return true;
  }
  scenarios::LoadedScenario loaded;
  if (!load(scenarioText(sizes.handshake_clients, 2000, "", "", backends), &loaded)) return false;
  std::vector<double> ratios, ours, bare, ratios_events, ours_events;
  for (int batch = 0; batch < sizes.handshake_batches; ++batch) {
    double t0 = threadCpuSeconds();
    {
      std::unique_ptr<bench::BareSide> client_side, server_side;
      if (!bareSides(backends, &client_side, &server_side)) return false;
      for (int i = 0; i < sizes.handshake_clients; ++i) {
        bench::BareLink link(*client_side, *server_side);
        std::string error = "an end could not be made";
        if (!link.ok() || !link.handshake(&error)) {
          std::fprintf(stderr, "bench_world: bare handshake failed: %s\n", error.c_str());
          return false;
        }
      }
    }
    const double bare_s = threadCpuSeconds() - t0;
    // The world twice: trace events off (what a sweep or the catalog summary runs; the
    // oracles still check every event) and on (a trace to replay or export).
    double ours_s[2] = {0, 0};
    for (const bool events : {false, true}) {
      scenarios::RunOptions options;
      options.events = events;
      t0 = threadCpuSeconds();
      dtlsim::Trace trace;
      std::string error;
      if (!scenarios::runScenario(loaded, options, &trace, &error) ||
          completedClients(trace) != sizes.handshake_clients) {
        std::fprintf(stderr, "bench_world: simulated handshakes did not all complete %s\n",
                     error.c_str());
        return false;
      }
      ours_s[events ? 1 : 0] = threadCpuSeconds() - t0;
    }
    bare.push_back(sizes.handshake_clients / bare_s);
    ours.push_back(sizes.handshake_clients / ours_s[0]);
    ours_events.push_back(sizes.handshake_clients / ours_s[1]);
    ratios.push_back(bare_s / ours_s[0]);
    ratios_events.push_back(bare_s / ours_s[1]);
  }
  const double ratio = median(ratios);
  *row = {what + ", events off", fmt("%.0f /s", median(ours)), fmt("%.0f /s", median(bare)),
          fmt("ratio %.2f", ratio), ">= 0.90", ratio >= 0.9, false, {}};
  row->detail = "  the same with trace events on: " + fmt("%.0f /s", median(ours_events)) +
                ", ratio " + fmt("%.2f", median(ratios_events));
  return true;
}

bool blackout(const Sizes& sizes, Row* row) {
  scenarios::LoadedScenario loaded;
  const std::string partition = "partitions { side_a: \"c0\" side_b: \"server\" from_ms: 0 }";
  if (!load(scenarioText(1, 0, partition, ""), &loaded)) return false;
  std::vector<double> ms;
  std::uint64_t virtual_end_us = 0;
  std::uint32_t retransmissions = 0;
  for (int run = 0; run < sizes.blackout_runs; ++run) {
    dtlsim::Trace trace;
    std::string error;
    const double t0 = wallSeconds();
    if (!scenarios::runScenario(loaded, {}, &trace, &error)) {
      std::fprintf(stderr, "bench_world: blackout: %s\n", error.c_str());
      return false;
    }
    ms.push_back((wallSeconds() - t0) * 1e3);
    virtual_end_us = trace.outcome().end_time_us();
    for (const auto& e : trace.outcome().endpoints())
      if (e.name() == "c0") retransmissions = e.retransmissions();
  }
  if (retransmissions != 12) {
    std::fprintf(stderr, "bench_world: blackout: %u retransmissions, not 12\n", retransmissions);
    return false;
  }
  const double wall_ms = median(ms);
  *row = {"blackout: 12 expiries, " + fmt("%.0f s virtual", virtual_end_us / 1e6),
          fmt("%.2f ms wall", wall_ms), "-", fmt("%.0fx real time", virtual_end_us / 1e3 / wall_ms),
          "<= 20 ms", wall_ms <= 20.0, false, {}};
  return true;
}

bool sweep(const Sizes& sizes, Row* row) {
  scenarios::LoadedScenario loaded;
  if (!load(scenarioText(1, 0, "",
                         "actions { at_ms: 500 endpoint: \"c0\" send { payload: \"ping\" } }\n"),
            &loaded))
    return false;
  const auto timed = [&](unsigned jobs, double* seconds) {
    scenarios::SweepOptions options;
    options.seeds = {1, static_cast<std::uint64_t>(sizes.sweep_seeds)};
    options.jobs = jobs;
    std::vector<scenarios::SeedResult> results;
    std::string error;
    const double t0 = wallSeconds();
    const bool ok = scenarios::runSweep(loaded, options, &results, &error);
    *seconds = wallSeconds() - t0;
    if (!ok) std::fprintf(stderr, "bench_world: sweep: %s\n", error.c_str());
    return ok && scenarios::summarize(results).passed == results.size();
  };
  std::vector<double> speedups, one, two;
  for (int r = 0; r < sizes.sweep_repeats; ++r) {
    double s1 = 0, s2 = 0;
    if (!timed(1, &s1) || !timed(2, &s2)) return false;
    one.push_back(sizes.sweep_seeds / s1);
    two.push_back(sizes.sweep_seeds / s2);
    speedups.push_back(s1 / s2);
  }
  const double speedup = median(speedups);
  *row = {"sweep " + std::to_string(sizes.sweep_seeds) + " seeds: --jobs 2 vs --jobs 1",
          fmt("%.0f runs/s", median(two)), fmt("%.0f runs/s", median(one)),
          fmt("%.2fx", speedup), ">= 1.8x", speedup >= 1.8, false, {}};
  return true;
}

// Heap per established SSL object of bare OpenSSL pairs, handshake done, queues empty.
bool bareBytesPerConnection(int pairs, double* bytes,
                            const bench::BareOptions& options = {.cipher = kCipher,
                                                                 .cookies = true,
                                                                 .query_peer = true}) {
  bench::SslCtxPtr client_ctx = bench::newBareContext(false, options);
  bench::SslCtxPtr server_ctx = bench::newBareContext(true, options);
  std::vector<std::unique_ptr<bench::BarePair>> all;
  all.reserve(static_cast<std::size_t>(pairs));
  const std::size_t before = heapInUse();
  for (int i = 0; i < pairs; ++i) {
    all.push_back(std::make_unique<bench::BarePair>(client_ctx.get(), server_ctx.get()));
    if (!all.back()->ok() || !bench::bareHandshake(all.back()->client(), all.back()->server(), true))
      return false;
  }
  *bytes = static_cast<double>(heapInUse() - before) / (2.0 * pairs);
  return true;
}

bool ended(const simnet::RunResult& result) {
  return result.stop != simnet::RunStop::kEventLimit && result.stop != simnet::RunStop::kLivelock;
}

bool crowd(const Sizes& sizes, Row* row) {
  scenarios::LoadedScenario loaded;
  // Clients start 500 µs apart: all 10,000 are connected at once at the end (nobody shuts down).
  if (!load(scenarioText(sizes.crowd_clients, 500, "", ""), &loaded)) return false;
  const double t0 = wallSeconds();
  const std::size_t before = heapInUse();
  auto world = std::make_unique<scenarios::detail::World>(loaded, 1);
  std::string error;
  if (!world->setUp({}, &error) || !ended(world->run())) {
    std::fprintf(stderr, "bench_world: crowd: %s\n",
                 error.empty() ? "event limit or livelock" : error.c_str());
    return false;
  }
  const std::size_t after = heapInUse();
  const double wall_s = wallSeconds() - t0;
  const int done = completedClients(world->trace());
  const auto trace_bytes = static_cast<std::size_t>(world->trace().SpaceUsedLong());
  const double ours = static_cast<double>(after - before - std::min(after - before, trace_bytes)) /
                      (2.0 * sizes.crowd_clients);
  world.reset();
  double bare = 0;
  if (!bareBytesPerConnection(std::min(sizes.crowd_clients, 1000), &bare)) {
    std::fprintf(stderr, "bench_world: bare pairs failed: %s\n", bench::opensslError().c_str());
    return false;
  }
  *row = {std::to_string(done) + "/" + std::to_string(sizes.crowd_clients) +
              " clients done, one server, " + fmt("%.1f s wall", wall_s),
          fmt("%.1f KiB/conn", ours / 1024), fmt("%.1f KiB/SSL", bare / 1024),
          fmt("%.2fx memory", ours / bare), "completes", done == sizes.crowd_clients, false, {}};
  row->must_meet = true;
  return true;
}

// ---- PSK crowd --------------------------------------------------------------------------------

// The one plain-PSK suite of every backend: Debian's wolfSSL 5.5.4 is built without
// WOLFSSL_STATIC_PSK and has no PSK suite with AES (tests/support/backend_param.h).
constexpr const char* kPskCipher = "PSK-CHACHA20-POLY1305";
// 10 clients start per millisecond: 100,000 over 10 s of virtual time, about 800 handshakes
// under way at once; all are connected at the end (nobody shuts down).
constexpr std::uint64_t kPskSpacingUs = 100;

// One cookie-checking PSK server (no identity hint: an mbedTLS 2.28 server cannot send one) and
// `clients` devices with identity "sensor" and the same key, all on `backend`, over a 10 ms
// link.
std::string pskScenarioText(int clients, const std::string& backend) {
  const std::string dtls = std::string("ciphers: \"") + kPskCipher + "\" backend: \"" + backend +
                           "\" psk { key_hex: \"" + bench::kBarePskKeyHex + "\"";
  std::string t;
  t.reserve(static_cast<std::size_t>(clients) * 240 + 1024);
  t += "name: \"psk-crowd\"\nseed: 1\nmax_virtual_time_ms: 600000\n";
  t += "network { default_link { latency_us: 10000 } }\n";
  t += "endpoints { name: \"server\" role: SERVER address: \"10.0.0.1\" port: 5684 dtls { " +
       dtls + " } } }\n";
  for (int i = 0; i < clients; ++i) {
    const std::uint64_t start_us = kPskSpacingUs * static_cast<std::uint64_t>(i);
    t += "endpoints { name: \"c" + std::to_string(i) + "\" role: CLIENT address: \"" +
         clientAddress(i) + "\" server: \"server\" start_ms: " + std::to_string(start_us / 1000) +
         " dtls { " + dtls + " identity: \"" + bench::kBarePskIdentity + "\" } } }\n";
  }
  return t;
}

// Linux: makes the process's peak resident set (VmHWM) its current one; false elsewhere.
bool resetPeakRss() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

// VmHWM in KiB; 0 if unknown.
long peakRssKiB() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
  std::fclose(f);
  return kib;
}

// One server and sizes.psk_crowd_clients concurrent PSK clients, all on `backend`: every
// handshake done, wall time of setting up and running the world, heap per established
// connection (both ends counted, the trace's own memory excluded) next to a bare OpenSSL SSL
// object's after the same PSK handshake with cookies.
bool pskCrowd(const std::string& backend, const Sizes& sizes, Row* row) {
  const int clients = sizes.psk_crowd_clients;
  scenarios::LoadedScenario loaded;
  double t0 = wallSeconds();
  if (!load(pskScenarioText(clients, backend), &loaded)) return false;
  const double load_s = wallSeconds() - t0;
  malloc_trim(0);
  const bool peak_known = resetPeakRss();
  t0 = wallSeconds();
  const double cpu0 = threadCpuSeconds();
  const std::size_t before = heapInUse();
  auto world = std::make_unique<scenarios::detail::World>(loaded, 1);
  // No events in the trace (RunOptions::events false, as a sweep runs): 100,000 handshakes'
  // events would take about 1.3 GiB, and the outcome says all the row needs. The oracles still
  // check every event as the run goes.
  scenarios::RunOptions options;
  options.events = false;
  std::string error;
  if (!world->setUp(options, &error) || !ended(world->run())) {
    std::fprintf(stderr, "bench_world: psk crowd on %s: %s\n", backend.c_str(),
                 error.empty() ? "event limit or livelock" : error.c_str());
    return false;
  }
  const std::size_t after = heapInUse();
  const double wall_s = wallSeconds() - t0;
  const double cpu_s = threadCpuSeconds() - cpu0;
  const long peak_kib = peak_known ? peakRssKiB() : 0;
  const int done = completedClients(world->trace());
  for (const auto& e : world->trace().outcome().endpoints()) {
    if (e.has_handshake_done_us() && e.cipher() != kPskCipher) {
      std::fprintf(stderr, "bench_world: psk crowd on %s: %s agreed on %s, not %s\n",
                   backend.c_str(), e.name().c_str(), e.cipher().c_str(), kPskCipher);
      return false;
    }
  }
  const auto trace_bytes = static_cast<std::size_t>(world->trace().SpaceUsedLong());
  const double ours = static_cast<double>(after - before - std::min(after - before, trace_bytes)) /
                      (2.0 * clients);
  world.reset();
  // The peak again, with the teardown: freeing can touch pages that were allocated but never
  // written (wolfSSL 5.5.4 zeroes buffers as it frees them: +2.4 GiB over 15.2 for 100,000).
  const long teardown_peak_kib = peak_known ? peakRssKiB() : 0;
  malloc_trim(0);
  double bare = 0;
  if (!bareBytesPerConnection(std::min(clients, 1000), &bare,
                              {.cipher = kPskCipher, .cookies = true, .psk = true})) {
    std::fprintf(stderr, "bench_world: bare PSK pairs failed: %s\n",
                 bench::opensslError().c_str());
    return false;
  }
  const bool own_library = backend == "openssl";
  *row = {"psk " + backend + " " + std::to_string(done) + "/" + std::to_string(clients) +
              " done, " + fmt("%.1f s wall", wall_s),
          fmt("%.1f KiB/conn", ours / 1024),
          own_library ? fmt("%.1f KiB/SSL", bare / 1024) : fmt("OpenSSL %.1f KiB", bare / 1024),
          fmt(own_library ? "%.2fx memory" : "%.2fx OpenSSL's", ours / bare),
          "completes",
          done == clients};
  row->must_meet = true;
  const auto mib = [](long kib) { return fmt("%.0f MiB", static_cast<double>(kib) / 1024); };
  row->detail = "  " + std::string(kPskCipher) + ", one server, " + std::to_string(clients) +
              " clients " + fmt("%.0f", 1000.0 / kPskSpacingUs) + "/ms; " +
              fmt("%.1f s CPU", cpu_s) + "; trace without events " +
              fmt("%.1f MiB", static_cast<double>(trace_bytes) / (1 << 20)) +
              " excluded; peak RSS " +
              (peak_known ? mib(peak_kib) + " (" + mib(teardown_peak_kib) + " with the teardown)"
                          : "unknown") +
              "; scenario parsed in " + fmt("%.1f s", load_s) + " (not in the wall time)" +
              (own_library ? "" : "; bare column: OpenSSL's SSL object (no bare " + backend +
                                      " PSK baseline)");
  return true;
}

// ---- Flights (--flights) -----------------------------------------------------------------------

// A datagram as its records' dtls/wire labels ("handshake:server_hello handshake:certificate")
// and its size. Flights match when the labels do: sizes differ with what each side puts in a
// cookie or a ticket.
struct Sent {
  std::string labels;
  std::size_t bytes = 0;
};

// One handshake's datagrams each way in the order they were sent.
struct Flights {
  std::vector<Sent> to_server;
  std::vector<Sent> to_client;
};

Sent sent(std::string_view datagram) {
  Sent out{{}, datagram.size()};
  for (std::string_view label : dtls::wire::classify(datagram).labels) {
    if (!out.labels.empty()) out.labels += ' ';
    out.labels += label;
  }
  return out;
}

bool bareFlights(const Backends& backends, Flights* out, std::uint16_t* suite) {
  std::unique_ptr<bench::BareSide> client_side, server_side;
  if (!bareSides(backends, &client_side, &server_side)) return false;
  bench::DatagramQueue to_server, to_client;
  bench::BareLink link(*client_side, *server_side);
  link.copyDatagrams(&to_server, &to_client);
  std::string error = "an end could not be made";
  if (!link.ok() || !link.handshake(&error)) {
    std::fprintf(stderr, "bench_world: bare handshake failed: %s\n", error.c_str());
    return false;
  }
  for (const std::string& d : to_server) out->to_server.push_back(sent(d));
  for (const std::string& d : to_client) out->to_client.push_back(sent(d));
  *suite = link.client().suite();
  return true;
}

bool worldFlights(const Backends& backends, Flights* out) {
  scenarios::LoadedScenario loaded;
  if (!load(scenarioText(1, 0, "", "", backends), &loaded)) return false;
  dtlsim::Trace trace;
  std::string error;
  if (!scenarios::runScenario(loaded, {}, &trace, &error) || completedClients(trace) != 1) {
    std::fprintf(stderr, "bench_world: the simulated handshake did not complete %s\n",
                 error.c_str());
    return false;
  }
  for (const dtlsim::TraceEvent& e : trace.events()) {
    if (e.kind() != dtlsim::TraceEvent::SEND) continue;
    (e.endpoint() == "server" ? out->to_client : out->to_server).push_back(sent(e.data()));
  }
  return true;
}

// Prints one direction side by side, a star where the labels differ; true if none do.
bool compareDirection(const char* direction, const std::vector<Sent>& bare,
                      const std::vector<Sent>& world) {
  std::printf("  %s: bare %zu datagrams, dtlsim %zu\n", direction, bare.size(), world.size());
  bool same = bare.size() == world.size();
  const Sent none{"-", 0};
  for (std::size_t i = 0; i < std::max(bare.size(), world.size()); ++i) {
    const Sent& b = i < bare.size() ? bare[i] : none;
    const Sent& w = i < world.size() ? world[i] : none;
    same = same && b.labels == w.labels;
    std::printf("    %2zu %s %4zu B %-56s | %4zu B %s\n", i + 1, b.labels == w.labels ? " " : "*",
                b.bytes, b.labels.c_str(), w.bytes, w.labels.c_str());
  }
  return same;
}

// One bare and one simulated handshake of the row's backends; true if the flights match.
bool sameFlights(const char* name, const Backends& backends, bool* same) {
  if (!built(backends)) {
    std::printf("%s: not built\n", name);
    *same = true;
    return true;
  }
  Flights bare, world;
  std::uint16_t suite = 0;
  if (!bareFlights(backends, &bare, &suite) || !worldFlights(backends, &world)) return false;
  std::printf("%s (%s -> %s), bare suite 0x%04x:\n", name, backends.client.c_str(),
              backends.server.c_str(), suite);
  const bool to_server = compareDirection("client -> server", bare.to_server, world.to_server);
  const bool to_client = compareDirection("server -> client", bare.to_client, world.to_client);
  *same = to_server && to_client && suite == bench::kPinnedSuiteId;
  std::printf("  %s\n\n", *same ? "same flights" : "DIFFERENT");
  return true;
}

void printTable(const std::vector<Row>& rows) {
  std::printf("\n%-60s %-16s %-16s %-16s %-10s %s\n", "measurement", "dtlsim", "bare library",
              "result", "goal", "");
  for (const Row& r : rows) {
    std::printf("%-60s %-16s %-16s %-16s %-10s %s\n", r.what.c_str(), r.dtlsim.c_str(),
                r.baseline.c_str(), r.result.c_str(), r.goal.c_str(),
                r.skipped ? "skipped" : r.met ? "met" : "MISSED");
    if (!r.detail.empty()) std::printf("%s\n", r.detail.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Sizes sizes;
  std::string only;
  bool flights = false;
  bool quick = false;
  int psk_clients = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
      sizes = {10, 3, 3, 20, 1, 200, 500};
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--flights") {
      flights = true;
    } else if (arg == "--psk-clients" && i + 1 < argc) {
      const std::string_view text = argv[++i];
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), psk_clients);
      if (ec != std::errc() || end != text.data() + text.size() || psk_clients <= 0) {
        std::fprintf(stderr, "bench_world: --psk-clients %s: not a positive whole number\n",
                     argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr,
                   "usage: bench_world [--quick] [--only ROW] [--flights] [--psk-clients N]\n");
      return 2;
    }
  }
  if (psk_clients > 0) sizes.psk_crowd_clients = psk_clients;
  // The handshake rows, then the others.
  const std::vector<std::pair<const char*, Backends>> handshake_rows = {
      {"handshakes", {"openssl", "openssl"}},
      {"mbedtls", {"mbedtls", "mbedtls"}},
      {"gnutls", {"gnutls", "gnutls"}},
      {"wolfssl", {"wolfssl", "wolfssl"}},
      {"openssl-mbedtls", {"openssl", "mbedtls"}},
      {"mbedtls-openssl", {"mbedtls", "openssl"}}};
  // A step runs for --only NAME or --only GROUP.
  struct Step {
    std::string name;
    const char* group;
    std::function<bool(const Sizes&, Row*)> run;
  };
  std::vector<Step> steps;
  for (const auto& [name, backends] : handshake_rows)
    steps.push_back({name, "", [b = backends](const Sizes& s, Row* row) {
                       return handshakesBetween(b, s, row);
                     }});
  steps.push_back({"blackout", "", blackout});
  steps.push_back({"sweep", "", sweep});
  steps.push_back({"crowd", "", crowd});
  for (const char* backend : {"openssl", "mbedtls", "gnutls", "wolfssl"})
    steps.push_back({std::string("psk-crowd-") + backend, "psk-crowd",
                     [backend](const Sizes& s, Row* row) { return pskCrowd(backend, s, row); }});
  // The PSK crowds (100,000 clients each: minutes and ~18 GiB at peak) run when named, or
  // small with --quick; a plain run leaves them out.
  const auto selected = [&](const Step& step) {
    if (!only.empty()) return only == step.name || only == step.group;
    return quick || std::string(step.group) != "psk-crowd";
  };
  if (std::none_of(steps.begin(), steps.end(), selected)) {
    std::string names;
    for (const auto& step : steps) names += std::string(names.empty() ? "" : ", ") + step.name;
    std::fprintf(stderr, "bench_world: --only %s: no such row (%s, psk-crowd for all four)\n",
                 only.c_str(), names.c_str());
    return 2;
  }
  if (flights) {
    bool all_same = true;
    for (const auto& [name, backends] : handshake_rows) {
      if (!only.empty() && only != name) continue;
      bool same = false;
      if (!sameFlights(name, backends, &same)) return 1;
      all_same = all_same && same;
    }
    return all_same ? 0 : 1;
  }
  std::vector<Row> rows;
  for (const auto& step : steps) {
    if (!selected(step)) continue;
    std::fprintf(stderr, "bench_world: %s...\n", step.name.c_str());
    Row row;
    if (!step.run(sizes, &row)) return 1;
    row.name = step.name;
    rows.push_back(row);
  }
  printTable(rows);
  return std::any_of(rows.begin(), rows.end(),
                     [](const Row& r) { return r.must_meet && !r.met; })
             ? 1
             : 0;
}
