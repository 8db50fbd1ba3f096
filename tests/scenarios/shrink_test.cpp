#include "scenarios/shrink.h"

#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scenarios/runner.h"

namespace scenarios {
namespace {

namespace fs = std::filesystem;

const std::string kSource = DTLSIM_SOURCE_DIR;
const std::string kCerts = kSource + "/tests/data/certs/";

// A lossy link (30 % loss) and an expectation that any loss of a handshake flight breaks.
std::string lossyScenarioText() {
  return R"(name: "lossy-shrink"
seed: 1
network { default_link { latency_us: 10000 loss_probability: 0.3 } }
endpoints {
  name: "server" role: SERVER address: "10.0.0.1" port: 4433
  dtls { certificate_chain: ")" + kCerts + R"(server-chain.pem" private_key: ")" + kCerts +
         R"(server.key.pem" }
}
endpoints {
  name: "client" role: CLIENT address: "10.0.0.2" server: "server"
  dtls { ca_certificates: ")" + kCerts + R"(ca.pem" verify_mode: "VerifyPeer"
         verify_name: "server.dtlsim.test" }
}
actions { at_ms: 500 endpoint: "client" send { payload: "ping" } }
expectations { endpoint: "client" max_retransmissions: 0 }
)";
}

fs::path tempDir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                        ("dtlsim_shrink_test_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void writeFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

LoadedScenario load(const std::string& path) {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(path, &s, &error)) << error;
  return s;
}

dtlsim::Trace run(const LoadedScenario& s, std::uint64_t seed,
                  const simnet::DecisionLog* replay) {
  RunOptions options;
  options.seed = seed;
  options.replay = replay;
  dtlsim::Trace trace;
  std::string error;
  EXPECT_TRUE(runScenario(s, options, &trace, &error)) << error;
  return trace;
}

bool failsWith(const dtlsim::Trace& trace, const std::string& signature) {
  for (const auto& f : trace.outcome().failures())
    if (failureSignature(f) == signature) return true;
  return false;
}

TEST(ShrinkTest, FailureSignaturesIgnoreNumbers) {
  EXPECT_EQ(failureSignature("client: expected at most 0 retransmissions, got 12"),
            "client: expected at most # retransmissions, got #");
  EXPECT_EQ(failureSignature("done by 100 ms, it completed at 1234.567 ms."),
            "done by # ms, it completed at # ms.");
  EXPECT_EQ(failureSignature("no digits"), "no digits");
  EXPECT_EQ(failureSignature("client8: protocol DtlsV1_2, got 3"),
            "client8: protocol DtlsV1_2, got #");
}

TEST(ShrinkTest, PassingSeedHasNothingToShrink) {
  const LoadedScenario s = load(kSource + "/scenarios/catalog/lossless.textproto");
  ShrinkOptions options;
  options.seed = 1;
  ShrinkResult result;
  std::string error;
  ASSERT_TRUE(shrinkFailure(s, options, &result, &error)) << error;
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.runs, 1u);
}

TEST(ShrinkTest, ShrinksALossyFailureToAOneMinimalFaultList) {
  const fs::path dir = tempDir("lossy");
  writeFile(dir / "lossy.textproto", lossyScenarioText());
  const LoadedScenario s = load((dir / "lossy.textproto").string());

  std::optional<std::uint64_t> failing;
  for (std::uint64_t seed = 1; seed <= 50 && !failing; ++seed)
    if (!run(s, seed, nullptr).outcome().passed()) failing = seed;
  ASSERT_TRUE(failing) << "no failing seed in 1..50 with 30 % loss";

  ShrinkOptions options;
  options.seed = *failing;
  ShrinkResult result;
  std::string error;
  ASSERT_TRUE(shrinkFailure(s, options, &result, &error)) << error;
  ASSERT_TRUE(result.failed);
  EXPECT_TRUE(result.one_minimal) << result.runs << " runs";
  EXPECT_LE(result.runs, kDefaultShrinkMaxRuns);
  EXPECT_GE(result.minimal.size(), 1u);  // without loss nothing retransmits
  EXPECT_LE(result.minimal.size(), result.original.size());
  const std::string signature = failureSignature(result.first_failure);
  EXPECT_EQ(signature, "client: expected at most # retransmissions, got #");

  // The minimal list still fails the same way, and every fault in it is needed.
  EXPECT_TRUE(failsWith(run(s, *failing, &result.minimal), signature));
  EXPECT_TRUE(failsWith(result.minimal_trace, signature));
  for (const auto& [id, decision] : result.minimal) {
    simnet::DecisionLog fewer = result.minimal;
    fewer.erase(id);
    EXPECT_FALSE(failsWith(run(s, *failing, &fewer), signature)) << "fault on datagram " << id;
  }

  // The written scenario (in another directory) reproduces the failure by itself.
  const fs::path out_dir = tempDir("lossy_out");
  const dtlsim::Scenario shrunk =
      shrunkScenario(s, *failing, result.minimal, out_dir.string());
  EXPECT_EQ(shrunk.seed(), *failing);
  EXPECT_EQ(static_cast<std::size_t>(shrunk.explicit_faults_size()), result.minimal.size());
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(shrunk, &text));
  writeFile(out_dir / "shrunk.textproto", text);
  const LoadedScenario reloaded = load((out_dir / "shrunk.textproto").string());
  dtlsim::Trace trace;
  ASSERT_TRUE(runScenario(reloaded, {}, &trace, &error)) << error;
  EXPECT_TRUE(failsWith(trace, signature));
}

TEST(ShrinkTest, RespectsTheRunBound) {
  const fs::path dir = tempDir("bound");
  writeFile(dir / "lossy.textproto", lossyScenarioText());
  const LoadedScenario s = load((dir / "lossy.textproto").string());
  std::optional<std::uint64_t> failing;
  for (std::uint64_t seed = 1; seed <= 50 && !failing; ++seed) {
    const dtlsim::Trace t = run(s, seed, nullptr);
    if (!t.outcome().passed() && t.decisions_size() >= 4) failing = seed;
  }
  ASSERT_TRUE(failing);
  ShrinkOptions options;
  options.seed = *failing;
  options.max_runs = 3;  // the original run, the full replay, the empty list
  ShrinkResult result;
  std::string error;
  ASSERT_TRUE(shrinkFailure(s, options, &result, &error)) << error;
  EXPECT_EQ(result.runs, 3u);
  EXPECT_FALSE(result.one_minimal);
  EXPECT_EQ(result.minimal, result.original);
}

TEST(ShrinkTest, RewritesPathsForTheOutputDirectory) {
  const LoadedScenario s = load(kSource + "/scenarios/catalog/lossless.textproto");
  const fs::path out_dir = tempDir("paths");
  const dtlsim::Scenario relative = shrunkScenario(s, 9, {}, out_dir.string());
  const std::string chain = relative.endpoints(0).dtls().certificate_chain();
  EXPECT_TRUE(fs::path(chain).is_relative()) << chain;
  EXPECT_TRUE(fs::equivalent(out_dir / chain, kCerts + "server-chain.pem")) << chain;
  EXPECT_TRUE(fs::equivalent(out_dir / relative.endpoints(1).dtls().ca_certificates(0),
                             kCerts + "ca.pem"));
  EXPECT_EQ(relative.seed(), 9u);

  const dtlsim::Scenario absolute = shrunkScenario(s, 9, {}, "");
  const std::string key = absolute.endpoints(0).dtls().private_key();
  EXPECT_TRUE(fs::path(key).is_absolute()) << key;
  EXPECT_TRUE(fs::equivalent(key, kCerts + "server.key.pem"));
  EXPECT_FALSE(absolute.endpoints(1).dtls().has_psk());
}

TEST(ShrinkTest, AnEmptyFaultListStillReplaysACleanNetwork) {
  const fs::path dir = tempDir("empty");
  writeFile(dir / "lossy.textproto", lossyScenarioText());
  const LoadedScenario s = load((dir / "lossy.textproto").string());
  const dtlsim::Scenario shrunk = shrunkScenario(s, 3, {}, dir.string());
  ASSERT_EQ(shrunk.explicit_faults_size(), 1);
  EXPECT_EQ(shrunk.explicit_faults(0).datagram_id(), kNoFaultSentinelDatagramId);
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(shrunk, &text));
  writeFile(dir / "clean.textproto", text);
  const LoadedScenario clean = load((dir / "clean.textproto").string());
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const dtlsim::Trace trace = run(clean, seed, nullptr);
    EXPECT_EQ(trace.outcome().datagrams_dropped(), 0u) << seed;
    EXPECT_TRUE(trace.outcome().passed()) << trace.outcome().failures(0);
  }
}

}  // namespace
}  // namespace scenarios
