// Spawns the built dtlsim (DTLSIM_BINARY) and checks exit codes and output (DESIGN.md §6).
#include <sys/wait.h>
#include <unistd.h>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "read_file.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::string kSource = DTLSIM_SOURCE_DIR;
const std::string kLossless = kSource + "/scenarios/catalog/lossless.textproto";
const std::string kCerts = kSource + "/tests/data/certs/";

fs::path tempDir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                        ("dtlsim_cli_test_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

using dtlsim_test::readFile;

void writeFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs "dtlsim <args>" through the shell (arguments are the test's own, quoted by it).
Result dtlsim(const std::string& args) {
  // ctest runs each test in its own process, in parallel: the pid keeps the files apart.
  static int counter = 0;
  const std::string id = std::to_string(getpid()) + "_" + std::to_string(++counter);
  const fs::path dir = fs::path(::testing::TempDir());
  const fs::path out = dir / ("dtlsim_cli_out_" + id);
  const fs::path err = dir / ("dtlsim_cli_err_" + id);
  const std::string command = std::string("'") + DTLSIM_BINARY + "' " + args + " >'" +
                              out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(command.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(out);
  r.err = readFile(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

std::string sh(const fs::path& p) { return "'" + p.string() + "'"; }

// The catalog's lossless scenario with absolute certificate paths and `extra` appended.
std::string losslessWith(const std::string& extra, const std::string& link_extra = "") {
  std::string text = readFile(kLossless);
  text = std::regex_replace(text, std::regex("\"\\.\\./\\.\\./tests/data/certs/"),
                            "\"" + kCerts);
  text = std::regex_replace(text, std::regex("latency_us: 10000"),
                            "latency_us: 10000 " + link_extra);
  return text + extra;
}

std::size_t countLines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliTest, VersionAndHelp) {
  Result r = dtlsim("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("dtlsim ", 0), 0u) << r.out;
  r = dtlsim("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("sweep SCENARIO"), std::string::npos);
  r = dtlsim("help sweep");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("$((JOB_COMPLETION_INDEX+1))/N"), std::string::npos) << r.out;
  r = dtlsim("shrink --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("1-minimal"), std::string::npos);
  EXPECT_EQ(dtlsim("help frobnicate").code, 2);
  EXPECT_EQ(dtlsim("frobnicate").code, 2);
  EXPECT_EQ(dtlsim("").code, 2);
}

TEST(CliTest, RunLosslessPasses) {
  const Result r = dtlsim("run " + sh(kLossless));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("PASSED lossless seed 1 ", 0), 0u) << r.out;
}

TEST(CliTest, RunFailingExpectationExitsOneWithEachFailure) {
  const fs::path dir = tempDir("failing");
  writeFile(dir / "f.textproto",
            losslessWith("expectations { endpoint: \"client\" handshake_done_by_ms: 1 "
                         "alpn: \"h2\" }\n"));
  const Result r = dtlsim("run " + sh(dir / "f.textproto") + " --seed 3");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("FAILED lossless seed 3 ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\n  client: expected the handshake done by 1 ms"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  client: expected ALPN 'h2'"), std::string::npos) << r.out;
}

TEST(CliTest, BadScenarioExitsTwoWithFileLineColumn) {
  const fs::path dir = tempDir("bad");
  const fs::path file = dir / "bad.textproto";
  writeFile(file, "name: \"x\"\nnetwork {\n  default_link { latncy_us: 5 }\n}\n");
  const Result r = dtlsim("run " + sh(file));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(file.string() + ":3:[0-9]+: .*latncy_us")))
      << r.err;
  EXPECT_EQ(dtlsim("run " + sh(dir / "missing.textproto")).code, 2);
}

TEST(CliTest, BadArgumentsExitTwo) {
  Result r = dtlsim("run " + sh(kLossless) + " --seed abc");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dtlsim: --seed: 'abc' is not a number\n");
  r = dtlsim("run " + sh(kLossless) + " --seed");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dtlsim: --seed: missing value\n");
  r = dtlsim("run " + sh(kLossless) + " --sed 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown option '--sed'"), std::string::npos) << r.err;
  EXPECT_EQ(dtlsim("run").code, 2);
  EXPECT_EQ(dtlsim("run a b").code, 2);
  EXPECT_EQ(dtlsim("sweep " + sh(kLossless)).code, 2);  // --seeds is required
  r = dtlsim("sweep " + sh(kLossless) + " --seeds 5..1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dtlsim: --seeds: '5..1': A is greater than B\n");
  r = dtlsim("sweep " + sh(kLossless) + " --seeds 1..2 --shard 3/2");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dtlsim: --shard: '3/2': K must be in 1..N\n");
  EXPECT_EQ(dtlsim("sweep " + sh(kLossless) + " --seeds 1..2 --jobs 0").code, 2);
  EXPECT_EQ(dtlsim("shrink " + sh(kLossless)).code, 2);  // --seed is required
}

TEST(CliTest, ReplayRejectsGarbageAndTruncatedTraces) {
  const fs::path dir = tempDir("replay");
  writeFile(dir / "garbage.trace", "this is not a trace at all");
  Result r = dtlsim("replay " + sh(dir / "garbage.trace"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not a dtlsim trace"), std::string::npos) << r.err;
  EXPECT_EQ(dtlsim("replay " + sh(dir / "missing.trace")).code, 2);

  ASSERT_EQ(dtlsim("run " + sh(kLossless) + " --trace " + sh(dir / "t.trace")).code, 0);
  const std::string bytes = readFile(dir / "t.trace");
  writeFile(dir / "cut.trace", bytes.substr(0, bytes.size() / 2));
  r = dtlsim("replay " + sh(dir / "cut.trace"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("truncated or corrupt"), std::string::npos) << r.err;

  r = dtlsim("replay " + sh(dir / "t.trace"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("lossless"), std::string::npos) << r.out;
  EXPECT_GT(countLines(r.out), 10u);
}

TEST(CliTest, TracesAreByteIdenticalAcrossProcesses) {
  const fs::path dir = tempDir("determinism");
  for (const char* name : {"a", "b"}) {
    const std::string base = (dir / name).string();
    const Result r = dtlsim("run " + sh(kLossless) + " --seed 7 --trace '" + base +
                            ".trace' --pcap '" + base + ".pcapng' --keylog '" + base + ".keys'");
    ASSERT_EQ(r.code, 0) << r.out << r.err;
  }
  const std::string a = readFile(dir / "a.trace");
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(a, readFile(dir / "b.trace"));
  EXPECT_EQ(readFile(dir / "a.pcapng"), readFile(dir / "b.pcapng"));
  EXPECT_GT(readFile(dir / "a.pcapng").size(), 100u);
  EXPECT_EQ(readFile(dir / "a.keys").rfind("CLIENT_RANDOM ", 0), 0u);
}

// --backend puts endpoints that name no backend on another DTLS stack: an mbedTLS world is as
// reproducible as an OpenSSL one, and its trace and key log say which library made them.
TEST(CliTest, BackendOptionRunsMbedtlsReproduciblyAndNamesItInTheBuildId) {
  const fs::path dir = tempDir("mbedtls");
  for (const char* name : {"a", "b"}) {
    const std::string base = (dir / name).string();
    const Result r = dtlsim("run " + sh(kLossless) + " --seed 7 --backend mbedtls --trace '" +
                            base + ".trace' --keylog '" + base + ".keys' --timeline");
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("mbed TLS 2.28"), std::string::npos) << r.out;
  }
  const std::string a = readFile(dir / "a.trace");
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(a, readFile(dir / "b.trace"));
  EXPECT_EQ(readFile(dir / "a.keys").rfind("CLIENT_RANDOM ", 0), 0u);
  EXPECT_EQ(readFile(dir / "a.keys"), readFile(dir / "b.keys"));
  const Result bad = dtlsim("run " + sh(kLossless) + " --backend nosuchtls");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "dtlsim: --backend: unknown backend 'nosuchtls' (valid: openssl, mbedtls, gnutls, wolfssl)\n");
  EXPECT_EQ(dtlsim("sweep " + sh(kLossless) + " --seeds 1..2 --backend nope").code, 2);
}

TEST(CliTest, SweepJsonPrintsOneLinePerSeedAndASummary) {
  const Result r = dtlsim("sweep " + sh(kLossless) + " --seeds 1..5 --json --jobs 2");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(countLines(r.out), 6u) << r.out;
  EXPECT_EQ(r.out.rfind("{\"type\":\"seed\",\"seed\":1,\"passed\":true,", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\n{\"type\":\"summary\",\"scenario\":"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // no progress bar: stderr is not a terminal
}

TEST(CliTest, SweepShardsConcatenateToTheWholeSweep) {
  const Result all = dtlsim("sweep " + sh(kLossless) + " --seeds 1..6 --json --jobs 1");
  const Result one = dtlsim("sweep " + sh(kLossless) + " --seeds 1..6 --json --shard 1/2");
  const Result two = dtlsim("sweep " + sh(kLossless) + " --seeds 1..6 --json --shard 2/2");
  ASSERT_EQ(all.code, 0);
  ASSERT_EQ(one.code, 0);
  ASSERT_EQ(two.code, 0);
  EXPECT_EQ(countLines(one.out), 4u);
  EXPECT_NE(one.out.find("\"seed\":5,"), std::string::npos);
  EXPECT_NE(two.out.find("\"seed\":6,"), std::string::npos);
  EXPECT_NE(one.out.find("\"shard\":\"1/2\""), std::string::npos);
  // The per-seed lines of both shards, ordered by seed, are the whole sweep's.
  const auto seedLines = [](const std::string& out) {
    std::map<int, std::string> by_seed;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      const auto at = line.find("\"seed\":");
      if (line.rfind("{\"type\":\"seed\"", 0) == 0 && at != std::string::npos)
        by_seed[std::stoi(line.substr(at + 7))] = line;
    }
    return by_seed;
  };
  auto merged = seedLines(one.out);
  merged.merge(seedLines(two.out));
  EXPECT_EQ(merged.size(), 6u);
  EXPECT_EQ(merged, seedLines(all.out));
}

TEST(CliTest, SweepTextSummaryListsFailingSeedsWithTheirReproducer) {
  const fs::path dir = tempDir("sweep_fail");
  const fs::path file = dir / "f.textproto";
  writeFile(file, losslessWith("expectations { endpoint: \"client\" handshake_done_by_ms: 1 }\n"));
  const Result r = dtlsim("sweep " + sh(file) + " --seeds 1..3 --jobs 2");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("runs 3: 0 passed, 3 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("handshake time (virtual, 3 runs): p50 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  seed 2: client: expected the handshake done by 1 ms"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("reproduce: dtlsim run " + file.string() + " --seed 3"), std::string::npos)
      << r.out;
}

TEST(CliTest, ShrinkWritesAScenarioThatReproducesTheFailure) {
  const fs::path dir = tempDir("shrink");
  const fs::path file = dir / "lossy.textproto";
  writeFile(file, losslessWith("", "loss_probability: 0.3"));
  std::optional<int> failing;
  for (int seed = 1; seed <= 30 && !failing; ++seed)
    if (dtlsim("run " + sh(file) + " --seed " + std::to_string(seed)).code == 1)
      failing = seed;
  ASSERT_TRUE(failing) << "no failing seed in 1..30 with 30 % loss";

  const fs::path out_dir = dir / "out";
  fs::create_directories(out_dir);
  const fs::path shrunk = out_dir / "shrunk.textproto";
  Result r = dtlsim("shrink " + sh(file) + " --seed " + std::to_string(*failing) + " -o " +
                    sh(shrunk));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^[0-9]+ faults remain \\(from [0-9]+\\)")))
      << r.out;
  const std::string text = readFile(shrunk);
  EXPECT_NE(text.find("explicit_faults"), std::string::npos) << text;
  EXPECT_NE(text.find("seed: " + std::to_string(*failing)), std::string::npos) << text;

  r = dtlsim("run " + sh(shrunk));
  EXPECT_EQ(r.code, 1) << r.out << r.err;

  // To stdout: the scenario, with the status on stderr.
  r = dtlsim("shrink " + sh(file) + " --seed " + std::to_string(*failing));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("# Shrunk by `dtlsim shrink ", 0), 0u) << r.out;
  EXPECT_NE(r.err.find("faults remain (from"), std::string::npos) << r.err;
}

TEST(CliTest, ShrinkOfAPassingSeedHasNothingToDo) {
  const Result r = dtlsim("shrink " + sh(kLossless) + " --seed 4");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "seed 4 passes; nothing to shrink\n");
}

TEST(CliCatalogTest, TheCatalogPassesWithASummaryRowPerScenario) {
  const Result r = dtlsim("catalog " + sh(kSource + "/scenarios/catalog") + " --sweep 3 --jobs 2");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("lossless "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("INVARIANT BROKEN"), std::string::npos) << r.out;
  // The report names the library build it ran with, first.
  EXPECT_EQ(r.out.rfind("dtlsim ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(", OpenSSL 3."), std::string::npos) << r.out;
}

TEST(CliCatalogTest, AFailingScenarioMakesTheCatalogExitOne) {
  const fs::path dir = tempDir("catalog_fail");
  std::string text = readFile(kLossless);
  text.replace(text.find("max_retransmissions: 0"), 22, "min_retransmissions: 5");
  // Certificate paths are relative to the catalog: point them at the test PKI.
  for (std::string::size_type at; (at = text.find("../../tests/data/certs/")) != std::string::npos;)
    text.replace(at, 23, kCerts);
  writeFile(dir / "broken.textproto", text);
  const Result r = dtlsim("catalog " + sh(dir.string()));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expected at least 5 retransmissions"), std::string::npos) << r.out;
}

// Expectations are properties of the story: a scenario that passes with its own seed but not
// with another seed of the sweep fails its row, with the seed and the command to reproduce it.
TEST(CliCatalogTest, ASeedFailingInTheSweepFailsTheRow) {
  const fs::path dir = tempDir("catalog_sweep_fail");
  std::string text = readFile(kLossless);
  // 10% loss: "no retransmission" holds for seed 2 (the scenario's own), not for seed 1.
  text.replace(text.find("default_link { latency_us: 10000 }"), 34,
               "default_link { latency_us: 10000 loss_probability: 0.1 }");
  text.replace(text.find("seed: 1"), 7, "seed: 2");
  for (std::string::size_type at; (at = text.find("../../tests/data/certs/")) != std::string::npos;)
    text.replace(at, 23, kCerts);
  writeFile(dir / "flaky.textproto", text);
  const Result r = dtlsim("catalog " + sh(dir.string()) + " --sweep 20 --jobs 2");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lossless                                 FAIL        2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    seed 1: client: expected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flaky.textproto --seed 1\n"), std::string::npos) << r.out;
}

TEST(CliCatalogTest, AMissingDirectoryIsBadInput) {
  const Result r = dtlsim("catalog /nonexistent/dtlsim-catalog");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot read directory"), std::string::npos) << r.err;
}

// ---- dtlsim matrix ----------------------------------------------------------------------------

// Lossless with an expectation checked only on mbedTLS servers, which no server meets (no ALPN
// is configured): the cells of the mbedtls column fail, the others pass.
std::string failingOnMbedtlsServers() {
  return losslessWith(
      "expectations { endpoint: \"server\" alpn: \"h2\" library { name: \"mbed TLS\" } }\n");
}

// failingOnMbedtlsServers() in a file of its own test directory.
fs::path writeFailingOnMbedtlsServers(const std::string& test) {
  const fs::path file = tempDir(test) / "f.textproto";
  writeFile(file, failingOnMbedtlsServers());
  return file;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CliMatrixTest, PrintsARowPerClientBackendAndAColumnPerServerBackend) {
  const Result r = dtlsim("matrix " + sh(kLossless) + " --backends openssl,mbedtls --seeds 1..3");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const std::vector<std::string> l = lines(r.out);
  ASSERT_GE(l.size(), 7u) << r.out;
  EXPECT_EQ(l[0], "matrix " + kLossless + " seeds 1..3");
  EXPECT_TRUE(std::regex_match(l[3], std::regex("client \\\\ server +openssl +mbedtls"))) << l[3];
  const std::regex row("(openssl|mbedtls) +(PASS 3/3  [0-9]+\\.[0-9]{3} ms  0 retx *){2}");
  EXPECT_TRUE(std::regex_match(l[4], row)) << l[4];
  EXPECT_TRUE(std::regex_match(l[5], row)) << l[5];
  EXPECT_EQ(l[4].rfind("openssl ", 0), 0u);
  EXPECT_EQ(l[5].rfind("mbedtls ", 0), 0u);
  EXPECT_NE(r.out.find("\n4 pairs: 4 passed, 0 failed\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("failing cells"), std::string::npos) << r.out;
}

TEST(CliMatrixTest, WithoutSeedsItRunsTheScenariosOwnSeedOnEveryCompiledInBackend) {
  const Result r = dtlsim("matrix " + sh(kLossless));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("matrix " + kLossless + " seeds 1\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nopenssl "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nmbedtls "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS 1/1"), std::string::npos) << r.out;
}

// The printed command rebuilds the failing cell's world: it fails the same way, and the same
// seed on a passing pair passes.
TEST(CliMatrixTest, AFailingCellExitsOneAndItsReproduceCommandReproducesIt) {
  const fs::path file = writeFailingOnMbedtlsServers("matrix_fail");
  const Result r = dtlsim("matrix " + sh(file) + " --backends openssl,mbedtls --seeds 4..5");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("\n4 pairs: 2 passed, 2 failed\nfailing cells:\n"
                       "  openssl client, mbedtls server: 2 of 2 seeds failed (4, 5)\n"
                       "    seed 4: server: expected ALPN 'h2', got ''\n"),
            std::string::npos)
      << r.out;
  const std::smatch m = [&] {
    std::smatch found;
    std::regex_search(r.out, found, std::regex("reproduce: dtlsim (run [^\n]*)"));
    return found;
  }();
  ASSERT_FALSE(m.empty()) << r.out;
  const std::string command = m[1];
  EXPECT_EQ(command, "run " + file.string() +
                         " --seed 4 --client-backend openssl --server-backend mbedtls");
  const Result again = dtlsim(command);
  EXPECT_EQ(again.code, 1) << again.out << again.err;
  EXPECT_NE(again.out.find("FAILED lossless seed 4 "), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("  server: expected ALPN 'h2', got ''"), std::string::npos)
      << again.out;
  EXPECT_EQ(dtlsim("run " + sh(file) + " --seed 4 --client-backend mbedtls --server-backend "
                   "openssl").code,
            0);
}

TEST(CliMatrixTest, OutputIsTheSameForAnyNumberOfJobs) {
  const fs::path file = writeFailingOnMbedtlsServers("matrix_jobs");
  for (const std::string format : {"", " --json"}) {
    const Result one = dtlsim("matrix " + sh(file) + " --seeds 1..4 --jobs 1" + format);
    const Result two = dtlsim("matrix " + sh(file) + " --seeds 1..4 --jobs 2" + format);
    EXPECT_EQ(one.code, 1) << one.err;
    EXPECT_EQ(two.code, 1) << two.err;
    EXPECT_GT(one.out.size(), 100u);
    EXPECT_EQ(one.out, two.out);
  }
}

TEST(CliMatrixTest, JsonIsOneParsableObjectPerCell) {
  const fs::path file = writeFailingOnMbedtlsServers("matrix_json");
  const Result r = dtlsim("matrix " + sh(file) + " --backends mbedtls,openssl --seeds 1..2 --json");
  EXPECT_EQ(r.code, 1) << r.err;
  const std::vector<std::string> l = lines(r.out);
  ASSERT_EQ(l.size(), 4u) << r.out;
  const char* pairs[][2] = {
      {"mbedtls", "mbedtls"}, {"mbedtls", "openssl"}, {"openssl", "mbedtls"}, {"openssl", "openssl"}};
  for (std::size_t i = 0; i < l.size(); ++i) {
    google::protobuf::Struct cell;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(l[i], &cell).ok()) << l[i];
    const auto& f = cell.fields();
    EXPECT_EQ(f.at("type").string_value(), "cell");
    EXPECT_EQ(f.at("scenario").string_value(), file.string());
    EXPECT_EQ(f.at("client_backend").string_value(), pairs[i][0]);
    EXPECT_EQ(f.at("server_backend").string_value(), pairs[i][1]);
    EXPECT_EQ(f.at("runs").number_value(), 2);
    EXPECT_EQ(f.at("handshakes").number_value(), 2);
    EXPECT_GT(f.at("handshake_p50_us").number_value(), 0);
    EXPECT_EQ(f.at("retransmissions").number_value(), 0);
    const bool fails = std::string(pairs[i][1]) == "mbedtls";
    EXPECT_EQ(f.at("passed").number_value(), fails ? 0 : 2);
    EXPECT_EQ(f.at("failing_seeds").list_value().values_size(), fails ? 2 : 0);
    if (!fails) {
      EXPECT_TRUE(f.at("first_failure").has_null_value()) << l[i];
      continue;
    }
    const auto& first = f.at("first_failure").struct_value().fields();
    EXPECT_EQ(first.at("seed").number_value(), 1);
    EXPECT_EQ(first.at("failure").string_value(), "server: expected ALPN 'h2', got ''");
    EXPECT_EQ(first.at("reproduce").string_value(),
              "dtlsim run " + file.string() + " --seed 1 --client-backend " + pairs[i][0] +
                  " --server-backend mbedtls");
  }
}

TEST(CliMatrixTest, BadArgumentsExitTwo) {
  Result r = dtlsim("matrix " + sh(kLossless) + " --backends openssl,wolfsssl");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("dtlsim: --backends: unknown backend 'wolfsssl' (valid: openssl, mbedtls",
                        0),
            0u)
      << r.err;
  EXPECT_EQ(r.out, "");
  r = dtlsim("matrix " + sh(kLossless) + " --backends openssl,openssl");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dtlsim: --backends: 'openssl' is given twice\n");
  r = dtlsim("matrix " + sh(kLossless) + " --seeds 3..1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dtlsim: --seeds: '3..1': A is greater than B\n");
  EXPECT_EQ(dtlsim("matrix").code, 2);
  EXPECT_EQ(dtlsim("matrix " + sh(kLossless) + " --jobs 0").code, 2);
  r = dtlsim("run " + sh(kLossless) + " --server-backend nope");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("dtlsim: --server-backend: unknown backend 'nope' (valid: ", 0), 0u)
      << r.err;
  EXPECT_EQ(dtlsim("help matrix").code, 0);
  EXPECT_NE(dtlsim("--help").out.find("matrix SCENARIO"), std::string::npos);
}

// A sweep under role options prints reproduce commands that carry them.
TEST(CliMatrixTest, SweepReproduceCommandsCarryTheBackendOptions) {
  const fs::path file = writeFailingOnMbedtlsServers("sweep_roles");
  const Result r = dtlsim("sweep " + sh(file) + " --seeds 1..2 --server-backend mbedtls");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("reproduce: dtlsim run " + file.string() +
                       " --seed 2 --server-backend mbedtls\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(dtlsim("sweep " + sh(file) + " --seeds 1..2 --server-backend openssl").code, 0);
}

TEST(CliMatrixTest, CatalogMatrixPrintsALinePerStoryWithACellPerPair) {
  const fs::path dir = tempDir("catalog_matrix");
  writeFile(dir / "a-lossless.textproto", losslessWith(""));
  std::string failing = failingOnMbedtlsServers();
  failing.replace(failing.find("name: \"lossless\""), 16, "name: \"alpn-on-mbedtls\"");
  writeFile(dir / "b-failing.textproto", failing);
  const Result r = dtlsim("catalog " + sh(dir) + " --matrix --backends openssl,mbedtls --sweep 2");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("\nscenario" + std::string(32, ' ') +
                       "  openssl/openssl  openssl/mbedtls  mbedtls/openssl  mbedtls/mbedtls\n"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nlossless +(PASS 2/2 +){3}PASS 2/2\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("\nalpn-on-mbedtls +PASS 2/2 +FAIL 0/2 +PASS 2/2 +FAIL 0/2\n")))
      << r.out;
  EXPECT_NE(r.out.find("    openssl/mbedtls: seed 1: server: expected ALPN 'h2', got ''\n"
                       "      reproduce: dtlsim run " + (dir / "b-failing.textproto").string() +
                       " --seed 1 --client-backend openssl --server-backend mbedtls\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n2 stories x 4 pairs: 6 cells passed, 2 failed"), std::string::npos)
      << r.out;

  EXPECT_EQ(dtlsim("catalog " + sh(dir) + " --matrix --backend mbedtls").code, 2);
  EXPECT_EQ(dtlsim("catalog " + sh(dir) + " --backends openssl").code, 2);
  fs::remove(dir / "b-failing.textproto");
  EXPECT_EQ(dtlsim("catalog " + sh(dir) + " --matrix").code, 0);
}

// --faults-stop-ms / --liveness-bound-ms (liveness_options.h) on run, sweep and matrix.
TEST(CliLivenessTest, FaultsStopOnTheCommandLineAndTheReproduceCommandKeepsThem) {
  const fs::path dir = tempDir("liveness");
  // Every datagram lost; the client ignores its timer, so nothing moves once the faults stop.
  std::string text = losslessWith("", "loss_probability: 1.0");
  text = std::regex_replace(text, std::regex("role: CLIENT"), "role: CLIENT ignore_timeouts: true");
  writeFile(dir / "stuck.textproto", text);
  const Result run = dtlsim("run " + sh(dir / "stuck.textproto") +
                            " --faults-stop-ms 2000 --liveness-bound-ms 3000");
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("invariant: stall: client still in HandshakeInProgress at t=5000.000 ms, "
                         "3000 ms after the faults stopped (no DTLS timer pending)"),
            std::string::npos)
      << run.out;
  const Result sweep = dtlsim("sweep " + sh(dir / "stuck.textproto") +
                              " --seeds 1..2 --jobs 1 --faults-stop-ms 2000 --liveness-bound-ms 3000");
  EXPECT_EQ(sweep.code, 1) << sweep.out << sweep.err;
  EXPECT_NE(sweep.out.find("--seed 1 --faults-stop-ms 2000 --liveness-bound-ms 3000"),
            std::string::npos)
      << sweep.out;
  const Result matrix = dtlsim("matrix " + sh(dir / "stuck.textproto") +
                               " --backends openssl --jobs 1 --faults-stop-ms 2000 "
                               "--liveness-bound-ms 3000");
  EXPECT_EQ(matrix.code, 1) << matrix.out << matrix.err;
  EXPECT_NE(matrix.out.find("--client-backend openssl --server-backend openssl "
                            "--faults-stop-ms 2000 --liveness-bound-ms 3000"),
            std::string::npos)
      << matrix.out;
}

TEST(CliLivenessTest, BadLivenessOptionsSayWhatIsWrong) {
  Result r = dtlsim("run " + sh(kLossless) + " --faults-stop-ms 299000");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--faults-stop-ms: 299000 + bound 130000 ms is after the end of the run "
                       "(max_virtual_time_ms 300000)"),
            std::string::npos)
      << r.err;
  r = dtlsim("run " + sh(kLossless) + " --liveness-bound-ms 1000");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--liveness-bound-ms: needs --faults-stop-ms"), std::string::npos) << r.err;
  r = dtlsim("sweep " + sh(kLossless) + " --seeds 1..2 --faults-stop-ms soon");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--faults-stop-ms: 'soon' is not a number"), std::string::npos) << r.err;
}

}  // namespace
