// The same dtls-request-client binary over real loopback UDP against the echo peers: our
// dtls-echo-server (every backend) and GnuTLS's gnutls-serv --echo. A missing peer fails.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "interop/process.h"

namespace reqresp {
namespace {

using interop::freeUdpPort;
using interop::Process;
using std::chrono::milliseconds;

constexpr milliseconds kWait{20000};
const std::string kCerts = std::string(DTLSIM_TEST_DATA_DIR) + "/certs/";

std::unique_ptr<Process> start(const std::vector<std::string>& argv) {
  std::string error;
  std::unique_ptr<Process> process = Process::spawn(argv, &error);
  EXPECT_NE(process, nullptr) << error;
  return process;
}

// Runs the client against 127.0.0.1:port and checks every answer.
void expectAllAnswered(std::uint16_t port, const std::string& backend) {
  std::unique_ptr<Process> client =
      start({DTLSIM_REQUEST_CLIENT, "--host", "127.0.0.1", "--port", std::to_string(port),
             "--ca", kCerts + "ca.pem", "--name", "server.dtlsim.test", "--requests", "8",
             "--timeout-ms", "15000", "--backend", backend});
  ASSERT_TRUE(client);
  const std::optional<int> status = client->waitExit(kWait);
  ASSERT_TRUE(status) << "client still running\n" << client->describe();
  EXPECT_EQ(*status, 0) << client->describe();
  EXPECT_NE(client->out().find("answered 8 of 8\n"), std::string::npos) << client->describe();
  for (int i = 1; i <= 8; ++i) {
    const std::string line = "answer " + std::to_string(i) + ": request-" + std::to_string(i) + "\n";
    EXPECT_NE(client->out().find(line), std::string::npos) << line << client->describe();
  }
}

class RequestClientOverUdp : public testing::TestWithParam<const char*> {};

TEST_P(RequestClientOverUdp, AgainstDtlsEchoServer) {
  std::unique_ptr<Process> server =
      start({DTLSIM_ECHO_SERVER, "--port", "0", "--bind", "127.0.0.1", "--once", "--backend",
             GetParam(), "--cert", kCerts + "server-chain.pem", "--key",
             kCerts + "server.key.pem"});
  ASSERT_TRUE(server);
  ASSERT_TRUE(server->waitForOutput("\n", kWait)) << server->describe();
  const std::string& banner = server->out();
  const int port = std::stoi(banner.substr(banner.rfind(':') + 1));
  ASSERT_GT(port, 0) << banner;
  expectAllAnswered(static_cast<std::uint16_t>(port), GetParam());
  // The client's close_notify ends a --once server.
  const std::optional<int> server_status = server->waitExit(kWait);
  ASSERT_TRUE(server_status) << "server still running\n" << server->describe();
  EXPECT_EQ(*server_status, 0) << server->describe();
}

TEST_P(RequestClientOverUdp, AgainstGnutlsServEcho) {
  const std::uint16_t port = freeUdpPort();
  ASSERT_NE(port, 0);
  std::unique_ptr<Process> server =
      start({"gnutls-serv", "--udp", "--echo", "-p", std::to_string(port), "--x509certfile",
             kCerts + "server-chain.pem", "--x509keyfile", kCerts + "server.key.pem"});
  ASSERT_TRUE(server);
  ASSERT_TRUE(server->waitForOutput("listening on IPv4", kWait, Process::Stream::kEither))
      << server->describe();
  expectAllAnswered(port, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Backends, RequestClientOverUdp,
                         testing::Values("openssl", "mbedtls", "gnutls", "wolfssl"));

}  // namespace
}  // namespace reqresp
