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

// A handshake that never completes still gets its line from the moment the secret exists:
// the records of a stalled handshake can be decrypted, and the simulation compares both
// sides' secrets to explain such a stall.
TEST_P(KeyLogTest, ASideLogsItsSecretBeforeItsHandshakeCompletes) {
  test::DtlsPair p;
  std::vector<std::string> client_lines, server_lines;
  p.client.setKeyLogCallback([&](const std::string& l) { client_lines.push_back(l); });
  p.server.setKeyLogCallback([&](const std::string& l) { server_lines.push_back(l); });
  // The server's last flight never reaches the client.
  p.filter = [&](bool to_server, const ByteArray&) {
    return to_server || !p.server.isConnectionEncrypted();
  };
  p.client.doHandshake(&p.client_socket);
  p.pump();
  ASSERT_TRUE(p.server.isConnectionEncrypted()) << p.why();
  ASSERT_FALSE(p.client.isConnectionEncrypted());
  ASSERT_EQ(client_lines.size(), 1u);
  EXPECT_EQ(client_lines, server_lines);
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(KeyLogTest);

}  // namespace
}  // namespace dtls
