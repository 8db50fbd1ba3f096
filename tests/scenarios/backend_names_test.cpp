// loader/backend_names.cpp: which endpoints --backend, --client-backend and --server-backend
// put on which DTLS stack.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "scenarios/scenario_file.h"

namespace scenarios {
namespace {

const std::string kDataDir = std::string(DTLSIM_TEST_DATA_DIR) + "/scenarios";

// Two servers and two clients, one of each naming its stack, and a noise sender.
const std::string kMixed = R"(name: "mixed"
endpoints {
  name: "srv-named"
  role: SERVER
  address: "10.0.0.1"
  port: 4433
  dtls { backend: "openssl" certificate_chain: "../certs/server-chain.pem" private_key: "../certs/server.key.pem" }
}
endpoints {
  name: "srv"
  role: SERVER
  address: "10.0.0.3"
  port: 4433
  dtls { certificate_chain: "../certs/server-chain.pem" private_key: "../certs/server.key.pem" }
}
endpoints {
  name: "cli-named"
  address: "10.0.0.2"
  server: "srv-named"
  dtls { backend: "mbedtls" ca_certificates: "../certs/ca.pem" verify_name: "server.dtlsim.test" }
}
endpoints {
  name: "cli"
  address: "10.0.0.4"
  server: "srv"
  dtls { ca_certificates: "../certs/ca.pem" verify_name: "server.dtlsim.test" }
}
endpoints {
  name: "noise"
  role: NOISE
  address: "10.0.9.9"
  server: "srv"
  noise { count: 3 interval_ms: 1 }
}
)";

LoadedScenario loadMixed() {
  LoadedScenario s;
  std::string error;
  EXPECT_TRUE(parseScenarioText(kMixed, "mixed.textproto", kDataDir, &s, &error)) << error;
  return s;
}

// Endpoint name -> its dtls.backend ("" when none).
std::map<std::string, std::string> backends(const LoadedScenario& s) {
  std::map<std::string, std::string> out;
  for (const auto& e : s.scenario.endpoints()) out[e.name()] = e.dtls().backend();
  return out;
}

TEST(BackendNamesTest, DefaultBackendFillsOnlyEndpointsThatNameNone) {
  LoadedScenario s = loadMixed();
  std::string error;
  ASSERT_TRUE(applyDefaultBackend(&s, "mbedtls", &error)) << error;
  const std::map<std::string, std::string> want = {{"srv-named", "openssl"},
                                                   {"srv", "mbedtls"},
                                                   {"cli-named", "mbedtls"},
                                                   {"cli", "mbedtls"},
                                                   {"noise", ""}};
  EXPECT_EQ(backends(s), want);
}

TEST(BackendNamesTest, RoleBackendsOverrideEveryClientAndServerButNotNoise) {
  LoadedScenario s = loadMixed();
  std::string error;
  ASSERT_TRUE(applyRoleBackends(&s, {"openssl", "mbedtls"}, &error)) << error;
  const std::map<std::string, std::string> want = {{"srv-named", "mbedtls"},
                                                   {"srv", "mbedtls"},
                                                   {"cli-named", "openssl"},
                                                   {"cli", "openssl"},
                                                   {"noise", ""}};
  EXPECT_EQ(backends(s), want);
}

TEST(BackendNamesTest, AnEmptyRoleNameLeavesThatRoleAlone) {
  LoadedScenario s = loadMixed();
  std::string error;
  ASSERT_TRUE(applyRoleBackends(&s, {"", "mbedtls"}, &error)) << error;
  EXPECT_EQ(backends(s)["cli-named"], "mbedtls");
  EXPECT_EQ(backends(s)["cli"], "");
  EXPECT_EQ(backends(s)["srv-named"], "mbedtls");
  ASSERT_TRUE(applyRoleBackends(&s, {"openssl", ""}, &error)) << error;
  EXPECT_EQ(backends(s)["cli-named"], "openssl");
  EXPECT_EQ(backends(s)["srv-named"], "mbedtls");
}

TEST(BackendNamesTest, AnUnknownNameChangesNothingAndListsTheValidOnes) {
  LoadedScenario s = loadMixed();
  const auto before = backends(s);
  std::string error;
  EXPECT_FALSE(applyRoleBackends(&s, {"openssl", "nope"}, &error));
  EXPECT_EQ(error, "--server-backend: unknown backend 'nope' (valid: " + backendNames() + ")");
  EXPECT_FALSE(applyRoleBackends(&s, {"nope", "openssl"}, &error));
  EXPECT_EQ(error, "--client-backend: unknown backend 'nope' (valid: " + backendNames() + ")");
  EXPECT_EQ(backends(s), before);
  EXPECT_EQ(unknownBackendError("--backends", "openssl"), "");
}

}  // namespace
}  // namespace scenarios
