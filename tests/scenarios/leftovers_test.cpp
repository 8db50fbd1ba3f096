// A world reuses the previous world's seeded context, configurations and OpenSSL contexts on its
// thread (scenarios/world/leftovers.h); no trace may tell.
#include <gtest/gtest.h>
#include <openssl/rand.h>

#include <string>
#include <thread>

#include "dtls/openssl_context.h"
#include "dtls/tls_context_pin.h"
#include "scenarios/endpoint_config.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/sim_rand.h"
#include "scenarios/trace_io.h"

namespace scenarios {
namespace {

const std::string kCatalog = std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/";

LoadedScenario load(const std::string& name) {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(kCatalog + name, &s, &error)) << error;
  return s;
}

std::string traceOf(const LoadedScenario& s) {
  dtlsim::Trace trace;
  std::string error, bytes;
  EXPECT_TRUE(runScenario(s, {}, &trace, &error)) << error;
  EXPECT_TRUE(serializeTrace(trace, &bytes, &error)) << error;
  return bytes;
}

// On a new thread nothing is left over: every context is built.
std::string freshTraceOf(const LoadedScenario& s) {
  std::string bytes;
  std::thread([&] { bytes = traceOf(s); }).join();
  return bytes;
}

// Each after `before` on one new thread: the second run of a scenario takes the first's
// contexts, and a run after another scenario takes back what that one parked.
std::string traceAfter(const std::vector<const LoadedScenario*>& before, const LoadedScenario& s) {
  std::string bytes;
  std::thread([&] {
    for (const auto* b : before) (void)traceOf(*b);
    bytes = traceOf(s);
  }).join();
  return bytes;
}

class LeftoversTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LeftoversTest, ASecondRunTracesLikeAFreshOne) {
  const LoadedScenario s = load(GetParam());
  const std::string fresh = freshTraceOf(s);
  EXPECT_EQ(traceAfter({&s}, s), fresh);
  EXPECT_EQ(traceAfter({&s, &s}, s), fresh);
}

// PSK (kept configurations), certificates (only the verifier's context kept), a restart (a
// context taken, released and built again), resumption (session tickets), cookies off.
INSTANTIATE_TEST_SUITE_P(Catalog, LeftoversTest,
                         ::testing::Values("psk-coap.textproto", "psk-lossy-link.textproto",
                                           "restart-same-port.textproto",
                                           "session-resumption.textproto", "lossless.textproto",
                                           "hundred-clients-noise.textproto"));

TEST(LeftoversTest, AnotherScenarioWithTheSameSeedTracesLikeAFreshRun) {
  const LoadedScenario coap = load("psk-coap.textproto");
  const LoadedScenario lossy = load("psk-lossy-link.textproto");
  const LoadedScenario lossless = load("lossless.textproto");
  ASSERT_EQ(coap.scenario.seed(), lossy.scenario.seed());
  EXPECT_EQ(traceAfter({&coap}, lossy), freshTraceOf(lossy));
  EXPECT_EQ(traceAfter({&coap, &lossless}, coap), freshTraceOf(coap));
}

TEST(LeftoversTest, AnotherSeedTracesLikeAFreshRun) {
  LoadedScenario other = load("psk-coap.textproto");
  const LoadedScenario coap = load("psk-coap.textproto");
  other.scenario.set_seed(coap.scenario.seed() + 1);
  EXPECT_EQ(traceAfter({&coap}, other), freshTraceOf(other));
}

// What a parked context's first user draws is what building it drew: the stream goes on alike.
TEST(LeftoversTest, TakingAParkedContextDrawsLikeBuildingIt) {
  const LoadedScenario s = load("psk-coap.textproto");
  dtls::Configuration config;
  std::string error;
  ASSERT_TRUE(buildConfiguration(s, 0, &config, &error)) << error;
  auto next32 = [](SeededLibraryContext& c) {
    std::string out(32, '\0');
    EXPECT_EQ(RAND_bytes_ex(c.get(), reinterpret_cast<unsigned char*>(out.data()), 32, 0), 1);
    return out;
  };
  for (const bool verifier : {false, true}) {
    auto built = SeededLibraryContext::create(3, &error);
    auto reused = SeededLibraryContext::create(3, &error);
    ASSERT_TRUE(built && reused) << error;
    auto pinOn = [&](SeededLibraryContext& c) {
      dtls::LibraryContextScope scope(c.get());
      return verifier ? dtls::TlsContextPin::clientVerifierContext()
                      : dtls::TlsContextPin(config, dtls::SslMode::SslServerMode);
    };
    const dtls::TlsContextPin first = pinOn(*built);
    ASSERT_FALSE(first.isNull()) << first.errorString();

    dtls::TlsContextPin parked = pinOn(*reused);
    reused->rewind();
    parked.park();
    EXPECT_TRUE(parked.isNull());
    const dtls::TlsContextPin taken = pinOn(*reused);
    EXPECT_EQ(reused->bytesGenerated(), built->bytesGenerated());
    EXPECT_EQ(next32(*reused), next32(*built));

    // Once taken, it is no longer parked: a second taker draws nothing.
    const auto before = reused->bytesGenerated();
    const dtls::TlsContextPin again = pinOn(*reused);
    EXPECT_EQ(reused->bytesGenerated(), before);
    EXPECT_TRUE(again == taken);
  }
}

}  // namespace
}  // namespace scenarios
