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

// Whoever takes a parked context no one uses draws what building it drew: the stream goes on
// as in a run that builds (and, after its users are gone, rebuilds) the context.
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
  using IfNone = dtls::TlsContextPin::IfNone;
  for (const bool verifier : {false, true}) {
    auto built = SeededLibraryContext::create(3, &error);
    auto reused = SeededLibraryContext::create(3, &error);
    ASSERT_TRUE(built && reused) << error;
    auto pinOn = [&](SeededLibraryContext& c, IfNone if_none = IfNone::kBuild) {
      dtls::LibraryContextScope scope(c.get());
      return verifier ? dtls::TlsContextPin::clientVerifierContext(if_none)
                      : dtls::TlsContextPin(config, dtls::SslMode::SslServerMode, if_none);
    };
    ASSERT_FALSE(pinOn(*built).isNull());
    const dtls::TlsContextPin rebuilt = pinOn(*built);  // the first one's users are gone

    dtls::TlsContextPin parked = pinOn(*reused);
    reused->rewind();
    parked.park();
    EXPECT_TRUE(parked.isNull());
    ASSERT_FALSE(pinOn(*reused).isNull());
    const dtls::TlsContextPin taken = pinOn(*reused);
    EXPECT_EQ(reused->bytesGenerated(), built->bytesGenerated());
    EXPECT_EQ(next32(*reused), next32(*built));

    // In use, it is shared without drawing, as a built one is.
    const auto before = reused->bytesGenerated();
    EXPECT_TRUE(pinOn(*reused) == taken);
    EXPECT_EQ(reused->bytesGenerated(), before);

    // Taken back, it is no longer parked: once its users are gone, nothing holds it.
    dtls::TlsContextPin back = pinOn(*reused, IfNone::kPinNothing);
    EXPECT_TRUE(back == taken);
    back = dtls::TlsContextPin();
    EXPECT_TRUE(pinOn(*reused, IfNone::kPinNothing) == taken);
  }
}

TEST(LeftoversTest, APinThatMayNotBuildPinsNothingNew) {
  const LoadedScenario s = load("psk-coap.textproto");
  dtls::Configuration config;
  std::string error;
  ASSERT_TRUE(buildConfiguration(s, 1, &config, &error)) << error;
  auto c = SeededLibraryContext::create(4, &error);
  ASSERT_TRUE(c) << error;
  dtls::LibraryContextScope scope(c->get());
  const auto nothing = dtls::TlsContextPin::IfNone::kPinNothing;
  EXPECT_TRUE(dtls::TlsContextPin(config, dtls::SslMode::SslClientMode, nothing).isNull());
  EXPECT_EQ(c->bytesGenerated(), 0u);
  const dtls::TlsContextPin live(config, dtls::SslMode::SslClientMode);
  EXPECT_TRUE(dtls::TlsContextPin(config, dtls::SslMode::SslClientMode, nothing) == live);
}

}  // namespace
}  // namespace scenarios
