// The public simulation API (scenarios/simulation.h) and the seed-sweep helper
// (scenarios/seed_sweep.h), with plain datagrams: what any application code sees.
#include "scenarios/simulation.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "scenarios/seed_sweep.h"
#include "scenarios/trace_io.h"

namespace scenarios {
namespace {

using std::chrono::milliseconds;

const dtls::HostAddress kA("10.0.0.1");
const dtls::HostAddress kB("10.0.0.2");

// Host "a" sends `count` numbered datagrams to "b":9 every 10 ms; returns how many of each
// number b received (via *received).
std::string sendNumbered(Simulation& sim, int count, std::map<int, int>* received) {
  std::string error;
  Simulation::Socket* a = sim.addHost("a", kA, &error)->bind(0, &error);
  Simulation::Socket* b = sim.addHost("b", kB, &error)->bind(9, &error);
  if (a == nullptr || b == nullptr) return error;
  b->setReceiveCallback([received](const dtls::ByteArray& d, const dtls::HostAddress&,
                                   std::uint16_t) { ++(*received)[std::stoi(d)]; });
  for (int i = 0; i < count; ++i)
    sim.timers().schedule(milliseconds(10 * i), [a, i] { a->writeDatagram(std::to_string(i), kB, 9); });
  const SimulationRun run = sim.runUntilIdle();
  return run.ok ? "" : run.error;
}

SimulationOptions lossy(std::uint64_t seed, double loss) {
  SimulationOptions o;
  o.seed = seed;
  o.network.mutable_default_link()->set_latency_us(5000);
  o.network.mutable_default_link()->set_loss_probability(loss);
  return o;
}

TEST(SimulationTest, DeliversThroughALossyLinkTheSameWayForTheSameSeed) {
  std::string traces[3];
  std::map<int, int> got[3];
  const std::uint64_t seeds[3] = {5, 5, 6};
  for (int run = 0; run < 3; ++run) {
    std::string error;
    auto sim = Simulation::create(lossy(seeds[run], 0.5), &error);
    ASSERT_TRUE(sim) << error;
    ASSERT_EQ(sendNumbered(*sim, 40, &got[run]), "");
    EXPECT_FALSE(sim->faults().empty());  // about half of 40 datagrams were dropped
    EXPECT_LT(got[run].size(), 40u);
    EXPECT_GT(got[run].size(), 5u);
    // The run ends with the last datagram: its arrival 5 ms after it was sent at 390 ms, or
    // its send when the link dropped it.
    EXPECT_EQ(sim->now(), got[run].contains(39) ? milliseconds(395) : milliseconds(390));
    ASSERT_TRUE(serializeTrace(sim->trace(), &traces[run], &error)) << error;
  }
  EXPECT_EQ(got[0], got[1]);
  EXPECT_EQ(traces[0], traces[1]);
  EXPECT_NE(traces[0], traces[2]);
}

TEST(SimulationTest, TheTraceNamesHostsAndExportsACapture) {
  std::string error;
  auto sim = Simulation::create(lossy(1, 0), &error);
  std::map<int, int> got;
  ASSERT_EQ(sendNumbered(*sim, 3, &got), "");
  sim->note("a", "done sending");
  const dtlsim::Trace& trace = sim->trace();
  ASSERT_EQ(trace.endpoints_size(), 2);
  EXPECT_EQ(trace.endpoints(0).name(), "a");
  EXPECT_EQ(trace.endpoints(0).port(), 49152u);  // the first ephemeral port
  EXPECT_EQ(trace.endpoints(1).name(), "b");
  EXPECT_TRUE(trace.outcome().passed());
  int sends = 0;
  for (const auto& e : trace.events()) {
    if (e.kind() == dtlsim::TraceEvent::SEND) {
      ++sends;
      EXPECT_EQ(e.endpoint(), "a");
      EXPECT_EQ(e.destination(), "10.0.0.2:9");
    }
  }
  EXPECT_EQ(sends, 3);
  EXPECT_EQ(trace.events(trace.events_size() - 1).kind(), dtlsim::TraceEvent::NOTE);

  const std::string path = testing::TempDir() + "simulation_test.pcapng";
  ASSERT_TRUE(sim->writePcapng(path, &error)) << error;
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("\x0a\x0d\x0d\x0a", 4));  // section header block
  EXPECT_FALSE(sim->writeTrace("/nonexistent-dir/x.trace", &error));
  EXPECT_NE(error.find("/nonexistent-dir/x.trace"), std::string::npos) << error;
}

TEST(SimulationTest, ANetworkNamingAnUnknownHostFailsTheFirstRunAtItsPosition) {
  SimulationOptions options;
  std::string error;
  ASSERT_TRUE(parseNetwork("default_link { latency_us: 1000 }\n"
                           "rules { from: \"a\" to: \"nobody\" action: DROP }\n",
                           "net.textproto", &options, &error))
      << error;
  auto sim = Simulation::create(options, &error);
  std::map<int, int> got;
  const std::string failure = sendNumbered(*sim, 1, &got);
  EXPECT_EQ(failure.rfind("net.textproto:2:", 0), 0u) << failure;
  EXPECT_NE(failure.find("'nobody'"), std::string::npos) << failure;
  EXPECT_TRUE(got.empty());  // nothing ran
}

// simnet decides a datagram's fate when it is sent: a datagram written before the first run
// already meets the network's faults (a first ClientHello written at setup can be lost).
TEST(SimulationTest, TheNetworkAppliesToDatagramsWrittenBeforeTheFirstRun) {
  std::string error;
  auto sim = Simulation::create(lossy(1, 1.0), &error);  // everything is lost
  Simulation::Socket* a = sim->addHost("a", kA, &error)->bind(1, &error);
  Simulation::Socket* b = sim->addHost("b", kB, &error)->bind(2, &error);
  int received = 0;
  b->setReceiveCallback([&](const dtls::ByteArray&, const dtls::HostAddress&, std::uint16_t) { ++received; });
  EXPECT_EQ(a->writeDatagram("before any run", kB, 2), 14);
  sim->runUntilIdle();
  EXPECT_EQ(received, 0);
  EXPECT_EQ(sim->faults().size(), 1u);
}

TEST(SimulationTest, AWriteBeforeTheFirstRunReportsABadNetwork) {
  SimulationOptions options;
  std::string error;
  ASSERT_TRUE(parseNetwork("rules { from: \"a\" to: \"ghost\" action: DROP }", "net.textproto",
                           &options, &error));
  auto sim = Simulation::create(options, &error);
  Simulation::Socket* a = sim->addHost("a", kA, &error)->bind(1, &error);
  EXPECT_EQ(a->writeDatagram("x", kB, 2), -1);
  EXPECT_EQ(a->error(), EINVAL);
  EXPECT_NE(a->errorString().find("net.textproto:1:"), std::string::npos) << a->errorString();
  EXPECT_NE(a->errorString().find("'ghost'"), std::string::npos) << a->errorString();
  // Once the host exists, the same socket writes.
  sim->addHost("ghost", kB, &error)->bind(2, &error);
  EXPECT_EQ(a->writeDatagram("x", kB, 2), 1);
  EXPECT_EQ(a->error(), 0);
}

TEST(SimulationTest, AnEpochOutOfRangeIsRefused) {
  SimulationOptions options;
  options.epoch_unix_s = -5;
  std::string error;
  EXPECT_EQ(Simulation::create(options, &error), nullptr);
  EXPECT_NE(error.find("epoch_unix_s -5 is outside"), std::string::npos) << error;
}

TEST(SimulationTest, ABadNetworkTextSaysLineAndColumn) {
  SimulationOptions options;
  std::string error;
  EXPECT_FALSE(parseNetwork("default_link {\n  latncy_us: 3\n}\n", "net.textproto", &options,
                            &error));
  EXPECT_EQ(error.rfind("net.textproto:2:3: ", 0), 0u) << error;
  EXPECT_NE(error.find("latncy_us"), std::string::npos) << error;
}

TEST(SimulationTest, BadHostsAndPortsAreRefusedAndTheRestStaysUsable) {
  std::string error;
  auto sim = Simulation::create(lossy(1, 0), &error);
  Simulation::Host* a = sim->addHost("a", kA, &error);
  ASSERT_NE(a, nullptr) << error;
  EXPECT_EQ(sim->addHost("a", kB, &error), nullptr);
  EXPECT_NE(error.find("a host with this name exists"), std::string::npos) << error;
  EXPECT_EQ(sim->addHost("c", kA, &error), nullptr);  // the address is a's
  EXPECT_EQ(sim->addHost("d", dtls::HostAddress("224.0.0.1"), &error), nullptr);
  EXPECT_NE(error.find("224.0.0.1"), std::string::npos) << error;
  EXPECT_EQ(sim->addHost("", kB, &error), nullptr);
  Simulation::Socket* tx = a->bind(7, &error);
  ASSERT_NE(tx, nullptr) << error;
  EXPECT_EQ(a->bind(7, &error), nullptr);
  EXPECT_NE(error.find(":7"), std::string::npos) << error;
  Simulation::Host* b = sim->addHost("b", kB, &error);
  ASSERT_NE(b, nullptr) << error;
  EXPECT_EQ(sim->host("b"), b);
  EXPECT_EQ(sim->host("c"), nullptr);
  ASSERT_NE(a->bind(8, &error), nullptr) << error;  // a's second socket: "a:8" in the trace
  Simulation::Socket* rx = b->bind(9, &error);
  int received = 0;
  rx->setReceiveCallback([&](const dtls::ByteArray& d, const dtls::HostAddress& from,
                             std::uint16_t port) {
    ++received;
    EXPECT_EQ(d, "still works");
    EXPECT_EQ(from, kA);
    EXPECT_EQ(port, 7);
  });
  // A write the network refuses says why and leaves the socket usable.
  EXPECT_EQ(tx->writeDatagram(dtls::ByteArray(70000, 'x'), kB, 9), -1);
  EXPECT_NE(tx->error(), 0);
  EXPECT_NE(tx->errorString().find("10.0.0.2:9"), std::string::npos) << tx->errorString();
  EXPECT_EQ(tx->writeDatagram("still works", kB, 9), 11);
  sim->runUntilIdle();
  EXPECT_EQ(received, 1);
  ASSERT_EQ(sim->trace().endpoints_size(), 3);
  EXPECT_EQ(sim->trace().endpoints(0).name(), "a");
  EXPECT_EQ(sim->trace().endpoints(1).name(), "a:8");
  EXPECT_EQ(sim->trace().endpoints(2).name(), "b");
}

TEST(SimulationTest, ADatagramWaitsForItsReceiveCallback) {
  std::string error;
  auto sim = Simulation::create(lossy(1, 0), &error);
  Simulation::Socket* a = sim->addHost("a", kA, &error)->bind(1, &error);
  Simulation::Socket* b = sim->addHost("b", kB, &error)->bind(2, &error);
  EXPECT_EQ(a->writeDatagram("early", kB, 2), 5);
  sim->runFor(milliseconds(100));
  std::string got;
  b->setReceiveCallback([&](const dtls::ByteArray& d, const dtls::HostAddress&, std::uint16_t) {
    got = d;
  });
  EXPECT_EQ(got, "");  // never from inside setReceiveCallback
  sim->runUntilIdle();
  EXPECT_EQ(got, "early");
  EXPECT_EQ(sim->now(), milliseconds(100));
}

TEST(SimulationTest, AnInvariantIsCheckedAfterEveryEventAndReportedOnceWithItsTime) {
  std::string error;
  auto sim = Simulation::create(lossy(1, 0), &error);
  std::map<int, int> got;
  int checks = 0;
  sim->addInvariant("fewer than 3", [&]() -> std::string {
    ++checks;
    return got.size() < 3 ? "" : std::to_string(got.size()) + " received";
  });
  ASSERT_EQ(sendNumbered(*sim, 5, &got), "");
  ASSERT_EQ(sim->failures().size(), 1u);
  // The third datagram, sent at 20 ms, arrived after the link's 5 ms.
  EXPECT_EQ(sim->failures()[0], "invariant fewer than 3 at t=25.000 ms: 3 received");
  // Once after each event up to the violation (three sends, three arrivals, alternating); a
  // violated invariant is not checked again.
  EXPECT_EQ(checks, 6);
  EXPECT_FALSE(sim->trace().outcome().passed());
}

TEST(SimulationTest, ARunawayTimerIsALivelockFailureNotAHang) {
  std::string error;
  auto sim = Simulation::create(lossy(1, 0), &error);
  std::function<void()> again;
  again = [&] { sim->timers().schedule(milliseconds(0), again); };
  sim->timers().schedule(milliseconds(3), again);
  sim->addInvariant("none", [] { return std::string(); });
  const SimulationRun run = sim->runUntilIdle();
  EXPECT_EQ(run.stop, simnet::RunStop::kLivelock);
  ASSERT_EQ(sim->failures().size(), 1u);
  EXPECT_EQ(sim->failures()[0].rfind("livelock at t=3.000 ms", 0), 0u) << sim->failures()[0];
}

// Fails unless datagram 5 of 12 arrives: at 30 % loss, some seed loses it among other drops.
std::string needsDatagram5(Simulation& sim) {
  std::map<int, int> got;
  const std::string error = sendNumbered(sim, 12, &got);
  if (!error.empty()) return error;
  return got.contains(5) ? "" : "datagram 5 never arrived (" + std::to_string(got.size()) + " did)";
}

TEST(SimulationTest, ShrinkKeepsOnlyTheDropThatMattersAndItsTraceFails) {
  std::uint64_t seed = 0;
  std::size_t faults = 0;
  for (std::uint64_t s = 1; s < 200 && faults < 3; ++s) {
    const SimulationVerdict v = runSimulation(lossy(s, 0.3), needsDatagram5);
    ASSERT_TRUE(v.ok) << v.error;
    if (!v.failures.empty()) {
      seed = s;
      faults = static_cast<std::size_t>(v.trace.decisions_size());
    }
  }
  ASSERT_GE(faults, 3u) << "no seed in 1..199 loses datagram 5 among other drops";
  ShrinkResult result;
  std::string error;
  ASSERT_TRUE(shrinkSimulation(lossy(seed, 0.3), needsDatagram5, ShrinkOptions{}, &result, &error))
      << error;
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.original.size(), faults);
  EXPECT_TRUE(result.one_minimal);
  ASSERT_EQ(result.minimal.size(), 1u);
  EXPECT_TRUE(result.minimal.begin()->second.dropped.has_value());
  EXPECT_FALSE(result.minimal_trace.outcome().passed());
  EXPECT_NE(result.minimal_trace.outcome().failures(0).find("datagram 5 never arrived"),
            std::string::npos);
  // A passing seed shrinks nothing.
  ShrinkResult passing;
  ASSERT_TRUE(shrinkSimulation(lossy(seed, 0), needsDatagram5, ShrinkOptions{}, &passing, &error));
  EXPECT_FALSE(passing.failed);
}

// ---- The seed-sweep helper ----------------------------------------------------------------

std::string failsOnSeed7(Simulation& sim) {
  std::map<int, int> got;
  sendNumbered(sim, 2, &got);
  return sim.options().seed == 7 ? "seed 7 is the bad one" : "";
}

TEST(SeedSweepTest, AFailingSeedIsNamedWithItsRerunCommandAndItsTrace) {
  static SeedSweepSummary summary;
  static SeedSweepOptions options;
  options.first_seed = 3;
  options.count = 10;
  EXPECT_NONFATAL_FAILURE(summary = sweepSeeds(options, failsOnSeed7),
                          "seed 7 failed: seed 7 is the bad one");
  EXPECT_EQ(summary.runs, 5u);  // stops at the first failure
  EXPECT_EQ(summary.first_failed_seed, 7u);
  EXPECT_NONFATAL_FAILURE(sweepSeeds(options, failsOnSeed7),
                          "rerun just this seed: DTLSIM_SEED=7 ");
  EXPECT_NONFATAL_FAILURE(sweepSeeds(options, failsOnSeed7),
                          "--gtest_filter=SeedSweepTest.AFailingSeedIsNamedWithItsRerunCommandAndItsTrace");
  const std::string trace_path =
      seedSweepOutputDir() + "/SeedSweepTest.AFailingSeedIsNamedWithItsRerunCommandAndItsTrace.seed-7.trace";
  dtlsim::Trace trace;
  std::string error;
  ASSERT_TRUE(readTraceFile(trace_path, &trace, &error)) << error;
  EXPECT_EQ(trace.seed(), 7u);
  EXPECT_FALSE(trace.outcome().passed());
  EXPECT_GT(trace.events_size(), 0);
  EXPECT_TRUE(std::filesystem::exists(
      seedSweepOutputDir() + "/SeedSweepTest.AFailingSeedIsNamedWithItsRerunCommandAndItsTrace.seed-7.pcapng"));
  std::filesystem::remove(trace_path);
  std::filesystem::remove(
      seedSweepOutputDir() + "/SeedSweepTest.AFailingSeedIsNamedWithItsRerunCommandAndItsTrace.seed-7.pcapng");
}

TEST(SeedSweepTest, TheEnvironmentVariableRunsOneSeedAloneAndWritesItsTrace) {
  ::setenv("DTLSIM_SEED", "4", 1);
  SeedSweepOptions options;
  options.first_seed = 1;
  options.count = 100;
  options.simulation.record_events = false;  // one seed on request records them anyway
  std::uint64_t seen = 0;
  const SeedSweepSummary summary = sweepSeeds(options, [&](Simulation& sim) {
    seen = sim.options().seed;
    std::map<int, int> got;
    return sendNumbered(sim, 2, &got);
  });
  ::unsetenv("DTLSIM_SEED");
  EXPECT_EQ(summary.runs, 1u);
  EXPECT_EQ(summary.failed, 0u);
  EXPECT_EQ(seen, 4u);
  const std::string path = seedSweepOutputDir() +
      "/SeedSweepTest.TheEnvironmentVariableRunsOneSeedAloneAndWritesItsTrace.seed-4.trace";
  dtlsim::Trace trace;
  std::string error;
  ASSERT_TRUE(readTraceFile(path, &trace, &error)) << error;
  EXPECT_TRUE(trace.outcome().passed());
  EXPECT_GE(trace.events_size(), 4);  // two sends, two deliveries
  std::filesystem::remove(path);
  std::filesystem::remove(
      seedSweepOutputDir() +
      "/SeedSweepTest.TheEnvironmentVariableRunsOneSeedAloneAndWritesItsTrace.seed-4.pcapng");
}

TEST(SeedSweepTest, ABadSeedVariableFailsTheTestAndRunsNothing) {
  ::setenv("DTLSIM_SEED", "12x", 1);
  static SeedSweepSummary summary;
  static SeedSweepOptions options;
  EXPECT_NONFATAL_FAILURE(summary = sweepSeeds(options, [](Simulation&) { return std::string(); }),
                          "DTLSIM_SEED='12x' is not a seed");
  ::unsetenv("DTLSIM_SEED");
  EXPECT_EQ(summary.runs, 0u);
}

TEST(SeedSweepTest, AnAssertionInsideTheBodyFailsItsSeed) {
  SeedSweepOptions options;
  options.count = 3;
  testing::TestPartResultArray parts;
  SeedSweepSummary summary;
  {
    testing::ScopedFakeTestPartResultReporter capture(
        testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &parts);
    summary = sweepSeeds(options, [](Simulation& sim) {
      EXPECT_NE(sim.options().seed, 2u);
      return std::string();
    });
  }
  EXPECT_EQ(summary.first_failed_seed, 2u);
  EXPECT_EQ(summary.runs, 2u);
  // The assertion itself, named with its seed, then the seed's failure with its rerun line.
  ASSERT_EQ(parts.size(), 2);
  EXPECT_NE(std::string(parts.GetTestPartResult(0).message()).find("seed 2: Expected: (sim.options().seed) != (2u)"),
            std::string::npos)
      << parts.GetTestPartResult(0).message();
  EXPECT_NE(std::string(parts.GetTestPartResult(1).message())
                .find("seed 2 failed: a GoogleTest assertion failed"),
            std::string::npos)
      << parts.GetTestPartResult(1).message();
  EXPECT_NE(std::string(parts.GetTestPartResult(1).message()).find("DTLSIM_SEED=2 "),
            std::string::npos);
  std::filesystem::remove(seedSweepOutputDir() +
                          "/SeedSweepTest.AnAssertionInsideTheBodyFailsItsSeed.seed-2.trace");
  std::filesystem::remove(seedSweepOutputDir() +
                          "/SeedSweepTest.AnAssertionInsideTheBodyFailsItsSeed.seed-2.pcapng");
}

}  // namespace
}  // namespace scenarios
