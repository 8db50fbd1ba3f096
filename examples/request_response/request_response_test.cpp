// The request/response example in a Simulation: 1,000 seeds at 30 % loss on OpenSSL, 300 on
// every other backend, and the same seed giving the same trace.
#include <gtest/gtest.h>

#include <cstdio>

#include "exchange.h"
#include "scenarios/seed_sweep.h"
#include "scenarios/trace_io.h"

namespace reqresp {
namespace {

const std::string kCerts = std::string(DTLSIM_TEST_DATA_DIR) + "/certs";

scenarios::SeedSweepOptions lossySweep(std::uint64_t count) {
  scenarios::SeedSweepOptions sweep;
  sweep.count = count;
  dtlsim::Link* link = sweep.simulation.network.mutable_default_link();
  link->set_latency_us(20'000);
  link->set_loss_probability(0.3);
  sweep.simulation.name = "request-response at 30 % loss";
  // A sweep needs the verdicts only; a failing seed is run again with events for its trace.
  sweep.simulation.record_events = false;
  return sweep;
}

// What the application's retry logic had to do, so a change in it shows in the test's output.
void report(const char* what, const ExchangeStats& s) {
  std::printf("%s: %llu runs, %llu handshakes started (%llu completed), %llu request datagrams "
              "for %llu requests, %llu duplicate answers, %llu datagrams dropped, last answer "
              "at worst after %.1f s of virtual time\n",
              what, static_cast<unsigned long long>(s.runs),
              static_cast<unsigned long long>(s.handshakes_started),
              static_cast<unsigned long long>(s.handshakes_completed),
              static_cast<unsigned long long>(s.sends),
              static_cast<unsigned long long>(s.runs * 5),
              static_cast<unsigned long long>(s.duplicates),
              static_cast<unsigned long long>(s.datagrams_dropped),
              static_cast<double>(s.slowest_last_answer_us) / 1e6);
}

TEST(RequestResponse, EveryRequestIsAnsweredOnceAt30PercentLossOver1000Seeds) {
  ExchangeStats stats;
  ExchangeOptions exchange;
  exchange.certs_dir = kCerts;
  exchange.stats = &stats;
  const scenarios::SeedSweepSummary summary = scenarios::sweepSeeds(
      lossySweep(1000), [&](scenarios::Simulation& sim) { return runExchange(sim, exchange); });
  EXPECT_EQ(summary.runs, 1000u);
  EXPECT_EQ(summary.failed, 0u);
  report("openssl", stats);
  // The loss was real and the retry logic did the work: more sends than requests, and some
  // handshakes had to be started again.
  EXPECT_GT(stats.sends, stats.runs * 5);
  EXPECT_GT(stats.handshakes_started, stats.runs);
  EXPECT_GE(stats.handshakes_completed, stats.runs);  // every run connected at least once
}

class RequestResponseBackend : public testing::TestWithParam<const char*> {};

TEST_P(RequestResponseBackend, EveryRequestIsAnsweredAt30PercentLoss) {
  ExchangeStats stats;
  ExchangeOptions exchange;
  exchange.certs_dir = kCerts;
  exchange.backend = GetParam();
  exchange.stats = &stats;
  const scenarios::SeedSweepSummary summary = scenarios::sweepSeeds(
      lossySweep(300), [&](scenarios::Simulation& sim) { return runExchange(sim, exchange); });
  EXPECT_EQ(summary.failed, 0u);
  report(GetParam(), stats);
}

INSTANTIATE_TEST_SUITE_P(Backends, RequestResponseBackend,
                         testing::Values("mbedtls", "gnutls", "wolfssl"));

std::string traceBytes(const scenarios::SimulationOptions& options, const ExchangeOptions& ex) {
  const scenarios::SimulationVerdict verdict = scenarios::runSimulation(
      options, [&](scenarios::Simulation& sim) { return runExchange(sim, ex); });
  EXPECT_TRUE(verdict.ok) << verdict.error;
  EXPECT_TRUE(verdict.failures.empty()) << verdict.failures.front();
  std::string bytes;
  std::string error;
  EXPECT_TRUE(scenarios::serializeTrace(verdict.trace, &bytes, &error)) << error;
  return bytes;
}

TEST(RequestResponse, TheSameSeedGivesAByteIdenticalTraceOnEveryBackend) {
  for (const char* backend : {"openssl", "mbedtls", "gnutls", "wolfssl"}) {
    SCOPED_TRACE(backend);
    ExchangeOptions exchange;
    exchange.certs_dir = kCerts;
    exchange.backend = backend;
    scenarios::SimulationOptions options = lossySweep(1).simulation;
    options.record_events = true;
    options.seed = 42;
    const std::string first = traceBytes(options, exchange);
    EXPECT_EQ(first, traceBytes(options, exchange));
    options.seed = 43;
    EXPECT_NE(first, traceBytes(options, exchange));
    // The trace holds the datagrams and the secrets to read them.
    scenarios::SimulationVerdict verdict = scenarios::runSimulation(
        options, [&](scenarios::Simulation& sim) { return runExchange(sim, exchange); });
    EXPECT_GT(verdict.trace.events_size(), 20);
    EXPECT_FALSE(verdict.trace.keylog_lines().empty());
  }
}

}  // namespace
}  // namespace reqresp
