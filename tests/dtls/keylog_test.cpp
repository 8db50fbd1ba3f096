#include <gtest/gtest.h>

#include "support/backend_param.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

class KeyLogTest : public test::BackendTest {};

TEST_P(KeyLogTest, BothSidesReportTheSameMasterSecretLine) {
  test::DtlsPair p;
  std::vector<std::string> client_lines, server_lines;
  p.client.setKeyLogCallback([&](const std::string& l) { client_lines.push_back(l); });
  p.server.setKeyLogCallback([&](const std::string& l) { server_lines.push_back(l); });
  ASSERT_TRUE(p.handshake());
  ASSERT_EQ(client_lines.size(), 1u);
  EXPECT_EQ(client_lines, server_lines);
  // "CLIENT_RANDOM <64 hex> <96 hex>" for a DTLS 1.2 master secret.
  EXPECT_EQ(client_lines[0].rfind("CLIENT_RANDOM ", 0), 0u);
  EXPECT_EQ(client_lines[0].size(), 14u + 64 + 1 + 96);
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(KeyLogTest);

}  // namespace
}  // namespace dtls
