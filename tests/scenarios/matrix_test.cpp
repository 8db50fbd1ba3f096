// runner/matrix.cpp, runner/matrix_format.cpp: a scenario on every client × server backend pair.
#include "scenarios/matrix.h"

#include <gtest/gtest.h>

#include "dtls/backend.h"

namespace scenarios {
namespace {

const std::string kLossless =
    std::string(DTLSIM_SOURCE_DIR) + "/scenarios/catalog/lossless.textproto";

LoadedScenario loadLossless() {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(loadScenarioFile(kLossless, &s, &error)) << error;
  return s;
}

// Lossless with an expectation that holds only where the server is not on mbedTLS: the
// server must negotiate ALPN "h2", checked on mbedTLS servers only (no ALPN is configured).
LoadedScenario failingOnMbedtlsServers() {
  LoadedScenario s = loadLossless();
  dtlsim::Expectation* x = s.scenario.add_expectations();
  x->set_endpoint("server");
  x->set_alpn("h2");
  x->add_library()->set_name("mbed TLS");
  return s;
}

std::vector<MatrixCell> runCells(const LoadedScenario& s, const MatrixOptions& options) {
  std::vector<MatrixCell> cells;
  std::string error;
  EXPECT_TRUE(runMatrix(s, options, &cells, &error)) << error;
  return cells;
}

MatrixOptions twoByTwo(std::vector<std::uint64_t> seeds, unsigned jobs) {
  MatrixOptions options;
  options.backends = {"openssl", "mbedtls"};
  options.seeds = std::move(seeds);
  options.jobs = jobs;
  return options;
}

TEST(MatrixTest, ParsesBackendLists) {
  std::vector<std::string> names;
  std::string error;
  ASSERT_TRUE(parseBackendList("mbedtls,openssl", &names, &error)) << error;
  EXPECT_EQ(names, (std::vector<std::string>{"mbedtls", "openssl"}));
  ASSERT_TRUE(parseBackendList("openssl", &names, &error)) << error;
  EXPECT_EQ(names, std::vector<std::string>{"openssl"});
  EXPECT_FALSE(parseBackendList("openssl,,mbedtls", &names, &error));
  EXPECT_EQ(error, "'openssl,,mbedtls' has an empty backend name");
  EXPECT_FALSE(parseBackendList("", &names, &error));
  EXPECT_FALSE(parseBackendList("openssl,", &names, &error));
  EXPECT_FALSE(parseBackendList("openssl,openssl", &names, &error));
  EXPECT_EQ(error, "'openssl' is given twice");
  EXPECT_FALSE(parseBackendList("openssl,wolfsssl", &names, &error));
  EXPECT_EQ(error, "unknown backend 'wolfsssl' (valid: " + backendNames() + ")");
}

TEST(MatrixTest, CellsAreRowMajorWithEverySeed) {
  const std::vector<MatrixCell> cells = runCells(loadLossless(), twoByTwo({1, 2, 3}, 2));
  ASSERT_EQ(cells.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"openssl", "openssl"}, {"openssl", "mbedtls"}, {"mbedtls", "openssl"}, {"mbedtls", "mbedtls"}};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(cells[i].pair.client, want[i].first);
    EXPECT_EQ(cells[i].pair.server, want[i].second);
    ASSERT_EQ(cells[i].results.size(), 3u);
    EXPECT_EQ(cells[i].results[2].seed, 3u);
    EXPECT_EQ(cellVerdict(cells[i]), "PASS 3/3");
    EXPECT_EQ(cells[i].summary.handshakes, 3u);
    EXPECT_EQ(cells[i].retransmissions, 0u);
  }
}

// Each cell really runs its pair: the mbedTLS-only expectation fails exactly the cells whose
// column is mbedTLS.
TEST(MatrixTest, AStackSpecificFailureFailsOnlyItsColumn) {
  const LoadedScenario s = failingOnMbedtlsServers();
  const std::vector<MatrixCell> cells = runCells(s, twoByTwo({1, 2}, 2));
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cellVerdict(cells[0]), "PASS 2/2");
  EXPECT_EQ(cellVerdict(cells[1]), "FAIL 0/2");
  EXPECT_EQ(cellVerdict(cells[2]), "PASS 2/2");
  EXPECT_EQ(cellVerdict(cells[3]), "FAIL 0/2");
  const std::string text = formatMatrixText(cells, twoByTwo({1, 2}, 2), "x.textproto");
  EXPECT_NE(text.find("  openssl client, mbedtls server: 2 of 2 seeds failed (1, 2)\n"
                      "    seed 1: server: expected ALPN 'h2'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    reproduce: dtlsim run x.textproto --seed 1 --client-backend openssl "
                      "--server-backend mbedtls\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("openssl client, openssl server:"), std::string::npos) << text;
  EXPECT_NE(text.find("4 pairs: 2 passed, 2 failed"), std::string::npos) << text;
  const std::string json = matrixCellJson(cells[1], "x.textproto");
  EXPECT_EQ(json.rfind("{\"type\":\"cell\",\"scenario\":\"x.textproto\",\"client_backend\":"
                       "\"openssl\",\"server_backend\":\"mbedtls\",\"runs\":2,\"passed\":0,"
                       "\"failed\":2,\"handshakes\":2,\"handshake_p50_us\":",
                       0),
            0u)
      << json;
  EXPECT_NE(json.find(",\"retransmissions\":0,\"failing_seeds\":[1,2],\"first_failure\":{\"seed\":1,"
                      "\"failure\":\"server: expected ALPN 'h2'"),
            std::string::npos)
      << json;
  EXPECT_NE(matrixCellJson(cells[0], "x").find("\"first_failure\":null}"), std::string::npos);
}

TEST(MatrixTest, OutputDoesNotDependOnJobs) {
  const LoadedScenario s = failingOnMbedtlsServers();
  const std::vector<MatrixCell> one = runCells(s, twoByTwo({1, 2, 3, 4}, 1));
  const std::vector<MatrixCell> three = runCells(s, twoByTwo({1, 2, 3, 4}, 3));
  EXPECT_EQ(formatMatrixText(one, twoByTwo({1, 2, 3, 4}, 1), "x"),
            formatMatrixText(three, twoByTwo({1, 2, 3, 4}, 3), "x"));
  for (std::size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(matrixCellJson(one[i], "x"), matrixCellJson(three[i], "x"));
}

TEST(MatrixTest, TheTableHasARowAndAColumnPerBackend) {
  const std::vector<MatrixCell> cells = runCells(loadLossless(), twoByTwo({5}, 1));
  const std::string text = formatMatrixText(cells, twoByTwo({5}, 1), "x");
  EXPECT_EQ(text.rfind("matrix x seeds 5\n", 0), 0u) << text;
  EXPECT_NE(text.find("\nclient \\ server   openssl "), std::string::npos) << text;
  EXPECT_NE(text.find("\nopenssl           PASS 1/1  "), std::string::npos) << text;
  EXPECT_NE(text.find("\nmbedtls           PASS 1/1  "), std::string::npos) << text;
  EXPECT_NE(text.find(" ms  0 retx   PASS 1/1  "), std::string::npos) << text;
}

TEST(MatrixTest, BadOptionsAreErrors) {
  const LoadedScenario s = loadLossless();
  std::vector<MatrixCell> cells;
  std::string error;
  MatrixOptions options = twoByTwo({}, 1);
  EXPECT_FALSE(runMatrix(s, options, &cells, &error));
  EXPECT_EQ(error, "no seed to run");
  options = twoByTwo({1}, 0);
  EXPECT_FALSE(runMatrix(s, options, &cells, &error));
  EXPECT_EQ(error, "jobs must be in 1..256, got 0");
  options.jobs = 1;
  options.backends = {"openssl", "nope"};
  EXPECT_FALSE(runMatrix(s, options, &cells, &error));
  EXPECT_EQ(error, "backends: unknown backend 'nope' (valid: " + backendNames() + ")");
}

// The default rows and columns come from the registry: every backend compiled in.
TEST(MatrixTest, TheRegistryListsTheBackendsOfThisBuild) {
  const std::vector<std::string> all = dtls::availableBackends();
  EXPECT_NE(std::find(all.begin(), all.end(), "openssl"), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "mbedtls"), all.end());
}

}  // namespace
}  // namespace scenarios
