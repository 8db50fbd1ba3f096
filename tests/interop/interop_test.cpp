// Interop: dtls-echo-client against openssl s_server and gnutls-serv, and dtls-echo-server
// (cookie verification on) against openssl s_client and gnutls-cli, over loopback UDP, with an
// ECDSA certificate (behind an intermediate CA), an RSA certificate and a pre-shared key; each
// on every backend of ours (--backend), and our backends against each other.
// Each case checks the payload in both directions. A missing peer binary fails the case.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "interop/process.h"

namespace interop {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kWait{10000};  // bound of every wait on a peer
const std::string kCerts = std::string(DTLSIM_TEST_DATA_DIR) + "/certs/";
const std::string kPskIdentity = "dtlsim-client";
const std::string kPskHint = "dtlsim-hint";
const std::string kPskHex = "00112233445566778899aabbccddeeff";

enum class Credential { kEcdsa, kRsa, kPsk };

// Spawns `argv` or records a test failure (a missing binary fails, it never skips).
std::unique_ptr<Process> start(const std::vector<std::string>& argv) {
  std::string error;
  std::unique_ptr<Process> process = Process::spawn(argv, &error);
  EXPECT_NE(process, nullptr) << error;
  return process;
}

// Our server's arguments for a credential, on a backend of ours.
std::vector<std::string> echoServerArgs(Credential credential, const std::string& backend) {
  std::vector<std::string> argv = {DTLSIM_ECHO_SERVER, "--port", "0", "--bind", "127.0.0.1",
                                   "--once", "--backend", backend};
  switch (credential) {
    case Credential::kEcdsa:
      argv.insert(argv.end(), {"--cert", kCerts + "server-chain.pem", "--key",
                               kCerts + "server.key.pem"});
      break;
    case Credential::kRsa:
      argv.insert(argv.end(), {"--cert", kCerts + "server-rsa.pem", "--key",
                               kCerts + "server-rsa.key.pem"});
      break;
    case Credential::kPsk:
      argv.insert(argv.end(), {"--psk", kPskHex});
      // mbedTLS 2.28 cannot send an identity hint (dtls/backend.h: PskIdentityHint).
      if (backend != "mbedtls") argv.insert(argv.end(), {"--psk-hint", kPskHint});
      break;
  }
  return argv;
}

// Our client's arguments for a credential, expecting `expect` back for `message`.
std::vector<std::string> echoClientArgs(Credential credential, const std::string& backend,
                                        std::uint16_t port, const std::string& message,
                                        const std::string& expect) {
  std::vector<std::string> argv = {DTLSIM_ECHO_CLIENT, "--host", "127.0.0.1",
                                   "--port", std::to_string(port),
                                   "--message", message, "--expect", expect,
                                   "--timeout-ms", "8000", "--backend", backend};
  if (credential == Credential::kPsk) {
    argv.insert(argv.end(), {"--psk-identity", kPskIdentity, "--psk", kPskHex});
  } else {
    argv.insert(argv.end(), {"--ca", kCerts + "ca.pem", "--name", "server.dtlsim.test"});
  }
  return argv;
}

// ---- Our client against a server ------------------------------------------------------------

enum class ServerPeer { kOpenssl, kGnutls, kOurs };

struct ClientCase {
  const char* name;
  ServerPeer peer;
  Credential credential;
  const char* backend;                   // our client's
  const char* server_backend = nullptr;  // our server's, for ServerPeer::kOurs
};

// gtest prints the row's name instead of its bytes in test listings and failures.
void PrintTo(const ClientCase& row, std::ostream* os) { *os << row.name; }

class OurClientTest : public testing::TestWithParam<ClientCase> {};

std::vector<std::string> opensslServerArgs(Credential credential, std::uint16_t port) {
  std::vector<std::string> argv = {"openssl", "s_server", "-dtls1_2", "-accept",
                                   "127.0.0.1:" + std::to_string(port), "-naccept", "1"};
  switch (credential) {
    case Credential::kEcdsa:  // s_server sends only the first certificate of -cert
      argv.insert(argv.end(), {"-cert", kCerts + "server.pem", "-cert_chain",
                               kCerts + "intermediate.pem", "-key", kCerts + "server.key.pem"});
      break;
    case Credential::kRsa:
      argv.insert(argv.end(), {"-cert", kCerts + "server-rsa.pem", "-key",
                               kCerts + "server-rsa.key.pem"});
      break;
    case Credential::kPsk:
      argv.insert(argv.end(), {"-nocert", "-psk", kPskHex, "-psk_hint", kPskHint});
      break;
  }
  return argv;
}

std::vector<std::string> gnutlsServerArgs(Credential credential, std::uint16_t port,
                                          const std::string& psk_file) {
  // gnutls-serv 3.7 has no option to choose the address: it binds 0.0.0.0 and ::.
  std::vector<std::string> argv = {"gnutls-serv", "--udp", "--echo", "-p", std::to_string(port)};
  switch (credential) {
    case Credential::kEcdsa:
      argv.insert(argv.end(), {"--x509certfile", kCerts + "server-chain.pem", "--x509keyfile",
                               kCerts + "server.key.pem"});
      break;
    case Credential::kRsa:
      argv.insert(argv.end(), {"--x509certfile", kCerts + "server-rsa.pem", "--x509keyfile",
                               kCerts + "server-rsa.key.pem"});
      break;
    case Credential::kPsk:  // NORMAL has no PSK key exchange
      argv.insert(argv.end(), {"--pskpasswd", psk_file, "--pskhint", kPskHint, "--priority",
                               "NORMAL:+ECDHE-PSK:+DHE-PSK:+PSK"});
      break;
  }
  return argv;
}

// A PSK password file for gnutls-serv ("identity:hexkey"), removed with the object.
class PskFile {
 public:
  PskFile() {
    char name[] = "/tmp/dtlsim-interop-psk-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) return;
    const std::string line = kPskIdentity + ":" + kPskHex + "\n";
    path_ = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) ? name
                                                                                         : "";
    ::close(fd);
  }
  ~PskFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST_P(OurClientTest, EchoesBothWays) {
  const ClientCase& c = GetParam();
  const std::string message = std::string("ping-from-dtlsim-") + c.name;
  // s_server sends back what we write to its stdin: a known line instead of an echo.
  const std::string reply = "hello-from-openssl-s_server\n";
  PskFile psk_file;
  ASSERT_FALSE(psk_file.path().empty());

  std::unique_ptr<Process> server;
  std::uint16_t port = 0;
  switch (c.peer) {
    case ServerPeer::kOpenssl:
      port = freeUdpPort();
      server = start(opensslServerArgs(c.credential, port));
      ASSERT_TRUE(server);
      ASSERT_TRUE(server->waitForOutput("ACCEPT", kWait)) << server->describe();
      break;
    case ServerPeer::kGnutls:
      port = freeUdpPort();
      server = start(gnutlsServerArgs(c.credential, port, psk_file.path()));
      ASSERT_TRUE(server);
      ASSERT_TRUE(server->waitForOutput("listening on IPv4", kWait, Process::Stream::kEither)) << server->describe();
      break;
    case ServerPeer::kOurs: {
      server = start(echoServerArgs(c.credential, c.server_backend));
      ASSERT_TRUE(server);
      ASSERT_TRUE(server->waitForOutput("\n", kWait)) << server->describe();
      port = static_cast<std::uint16_t>(std::stoi(server->out().substr(server->out().rfind(':') + 1)));
      break;
    }
  }
  ASSERT_NE(port, 0);

  const bool openssl = c.peer == ServerPeer::kOpenssl;
  std::unique_ptr<Process> client =
      start(echoClientArgs(c.credential, c.backend, port, message, openssl ? reply : message));
  ASSERT_TRUE(client);

  // Client to server.
  if (openssl) {
    ASSERT_TRUE(server->waitForOutput(message, kWait)) << server->describe() << client->describe();
    ASSERT_TRUE(server->writeStdin(reply)) << server->describe();
  } else if (c.peer == ServerPeer::kGnutls) {
    EXPECT_TRUE(server->waitForOutput("command: " + message, kWait, Process::Stream::kEither)) << server->describe();
  } else {
    EXPECT_TRUE(server->waitForOutput("echoing " + std::to_string(message.size()) + " bytes",
                                      kWait, Process::Stream::kStderr))
        << server->describe();
  }
  // Server to client: the client exits 0 only if what came back is what it expected.
  const std::optional<int> client_status = client->waitExit(kWait);
  ASSERT_TRUE(client_status) << "client still running\n" << client->describe();
  EXPECT_EQ(*client_status, 0) << client->describe() << server->describe();
  EXPECT_NE(client->out().find(openssl ? reply : message + "\n"), std::string::npos)
      << client->describe();

  // Our client's close_notify ends s_server (-naccept 1) and our server (--once).
  if (c.peer != ServerPeer::kGnutls) {
    const std::optional<int> server_status = server->waitExit(kWait);
    ASSERT_TRUE(server_status) << "server still running\n" << server->describe();
    EXPECT_EQ(*server_status, 0) << server->describe();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Interop, OurClientTest,
    testing::Values(
        ClientCase{"OpensslServerEcdsa", ServerPeer::kOpenssl, Credential::kEcdsa, "openssl"},
        ClientCase{"OpensslServerRsa", ServerPeer::kOpenssl, Credential::kRsa, "openssl"},
        ClientCase{"OpensslServerPsk", ServerPeer::kOpenssl, Credential::kPsk, "openssl"},
        ClientCase{"GnutlsServerEcdsa", ServerPeer::kGnutls, Credential::kEcdsa, "openssl"},
        ClientCase{"GnutlsServerRsa", ServerPeer::kGnutls, Credential::kRsa, "openssl"},
        ClientCase{"GnutlsServerPsk", ServerPeer::kGnutls, Credential::kPsk, "openssl"},
        ClientCase{"MbedtlsToOpensslServerEcdsa", ServerPeer::kOpenssl, Credential::kEcdsa,
                   "mbedtls"},
        ClientCase{"MbedtlsToOpensslServerRsa", ServerPeer::kOpenssl, Credential::kRsa, "mbedtls"},
        ClientCase{"MbedtlsToOpensslServerPsk", ServerPeer::kOpenssl, Credential::kPsk, "mbedtls"},
        ClientCase{"MbedtlsToGnutlsServerEcdsa", ServerPeer::kGnutls, Credential::kEcdsa,
                   "mbedtls"},
        ClientCase{"MbedtlsToGnutlsServerRsa", ServerPeer::kGnutls, Credential::kRsa, "mbedtls"},
        ClientCase{"MbedtlsToGnutlsServerPsk", ServerPeer::kGnutls, Credential::kPsk, "mbedtls"},
        ClientCase{"GnutlsToOpensslServerEcdsa", ServerPeer::kOpenssl, Credential::kEcdsa,
                   "gnutls"},
        ClientCase{"GnutlsToOpensslServerRsa", ServerPeer::kOpenssl, Credential::kRsa, "gnutls"},
        ClientCase{"GnutlsToOpensslServerPsk", ServerPeer::kOpenssl, Credential::kPsk, "gnutls"},
        ClientCase{"GnutlsToGnutlsServerEcdsa", ServerPeer::kGnutls, Credential::kEcdsa,
                   "gnutls"},
        ClientCase{"GnutlsToGnutlsServerRsa", ServerPeer::kGnutls, Credential::kRsa, "gnutls"},
        ClientCase{"GnutlsToGnutlsServerPsk", ServerPeer::kGnutls, Credential::kPsk, "gnutls"},
        ClientCase{"WolfsslToOpensslServerEcdsa", ServerPeer::kOpenssl, Credential::kEcdsa,
                   "wolfssl"},
        ClientCase{"WolfsslToOpensslServerRsa", ServerPeer::kOpenssl, Credential::kRsa, "wolfssl"},
        ClientCase{"WolfsslToOpensslServerPsk", ServerPeer::kOpenssl, Credential::kPsk, "wolfssl"},
        ClientCase{"WolfsslToGnutlsServerEcdsa", ServerPeer::kGnutls, Credential::kEcdsa,
                   "wolfssl"},
        ClientCase{"WolfsslToGnutlsServerRsa", ServerPeer::kGnutls, Credential::kRsa, "wolfssl"},
        ClientCase{"WolfsslToGnutlsServerPsk", ServerPeer::kGnutls, Credential::kPsk, "wolfssl"}),
    [](const testing::TestParamInfo<ClientCase>& row) { return row.param.name; });

// Every pair of our own backends, client x server (4 x 4): certificates for each pair, and PSK
// where both sides are the same stack.
std::vector<ClientCase> ownPairs() {
  static const char* const kBackends[] = {"openssl", "mbedtls", "gnutls", "wolfssl"};
  static const char* const kNames[] = {"Openssl", "Mbedtls", "Gnutls", "Wolfssl"};
  static std::vector<std::string> names;  // the rows point into it for the process's life
  names.reserve(32);
  std::vector<ClientCase> rows;
  for (std::size_t c = 0; c < 4; ++c) {
    for (std::size_t s = 0; s < 4; ++s) {
      for (const Credential credential : {Credential::kEcdsa, Credential::kPsk}) {
        if (credential == Credential::kPsk && c != s) continue;
        names.push_back(std::string(kNames[c]) + "ToOur" + kNames[s] + "Server" +
                        (credential == Credential::kPsk ? "Psk" : "Ecdsa"));
        rows.push_back(ClientCase{names.back().c_str(), ServerPeer::kOurs, credential,
                                  kBackends[c], kBackends[s]});
      }
    }
  }
  return rows;
}

INSTANTIATE_TEST_SUITE_P(OwnPairs, OurClientTest, testing::ValuesIn(ownPairs()),
                         [](const testing::TestParamInfo<ClientCase>& row) {
                           return row.param.name;
                         });

// ---- Our server against a client ------------------------------------------------------------

enum class ClientPeer { kOpenssl, kGnutls };

struct ServerCase {
  const char* name;
  ClientPeer peer;
  Credential credential;
  const char* backend;  // our server's
};

void PrintTo(const ServerCase& row, std::ostream* os) { *os << row.name; }

class OurServerTest : public testing::TestWithParam<ServerCase> {};

std::vector<std::string> opensslClientArgs(Credential credential, std::uint16_t port) {
  std::vector<std::string> argv = {"openssl", "s_client", "-dtls1_2", "-connect",
                                   "127.0.0.1:" + std::to_string(port)};
  if (credential == Credential::kPsk) {
    argv.insert(argv.end(), {"-psk_identity", kPskIdentity, "-psk", kPskHex});
  } else {
    argv.insert(argv.end(), {"-CAfile", kCerts + "ca.pem", "-verify_return_error",
                             "-verify_hostname", "server.dtlsim.test"});
  }
  return argv;
}

std::vector<std::string> gnutlsClientArgs(Credential credential, std::uint16_t port) {
  std::vector<std::string> argv = {"gnutls-cli", "--udp", "-p", std::to_string(port)};
  if (credential == Credential::kPsk) {
    // Plain PSK only: gnutls-cli 3.7.9 crashes (SIGSEGV) right after any DHE-PSK or
    // ECDHE-PSK handshake, against openssl s_server as well.
    argv.insert(argv.end(), {"--pskusername", kPskIdentity, "--pskkey", kPskHex, "--priority",
                             "NORMAL:-KX-ALL:+PSK"});
  } else {
    argv.insert(argv.end(), {"--x509cafile", kCerts + "ca.pem", "--verify-hostname",
                             "server.dtlsim.test"});
  }
  argv.push_back("127.0.0.1");
  return argv;
}

TEST_P(OurServerTest, EchoesBothWays) {
  const ServerCase& c = GetParam();
  const std::string message = std::string("ping-from-") + c.name + "\n";

  std::unique_ptr<Process> server = start(echoServerArgs(c.credential, c.backend));
  ASSERT_TRUE(server);
  ASSERT_TRUE(server->waitForOutput("\n", kWait)) << server->describe();
  const std::string& banner = server->out();
  const int port = std::stoi(banner.substr(banner.rfind(':') + 1));
  ASSERT_GT(port, 0) << banner;

  std::unique_ptr<Process> client =
      start(c.peer == ClientPeer::kOpenssl ? opensslClientArgs(c.credential, port)
                                           : gnutlsClientArgs(c.credential, port));
  ASSERT_TRUE(client);
  ASSERT_TRUE(server->waitForOutput("handshake complete", kWait, Process::Stream::kStderr))
      << server->describe() << client->describe();

  // Client to server, and the echo back.
  ASSERT_TRUE(client->writeStdin(message)) << client->describe();
  EXPECT_TRUE(server->waitForOutput("echoing " + std::to_string(message.size()) + " bytes",
                                    kWait, Process::Stream::kStderr))
      << server->describe();
  EXPECT_TRUE(client->waitForOutput(message, kWait)) << client->describe() << server->describe();

  // End of input: the peer sends close_notify, which ends our server (--once).
  client->closeStdin();
  const std::optional<int> server_status = server->waitExit(kWait);
  ASSERT_TRUE(server_status) << "server still running\n" << server->describe();
  EXPECT_EQ(*server_status, 0) << server->describe();
  const std::optional<int> client_status = client->waitExit(kWait);
  ASSERT_TRUE(client_status) << "client still running\n" << client->describe();
  EXPECT_EQ(*client_status, 0) << client->describe();
}

INSTANTIATE_TEST_SUITE_P(
    Interop, OurServerTest,
    testing::Values(
        ServerCase{"OpensslClientEcdsa", ClientPeer::kOpenssl, Credential::kEcdsa, "openssl"},
        ServerCase{"OpensslClientRsa", ClientPeer::kOpenssl, Credential::kRsa, "openssl"},
        ServerCase{"OpensslClientPsk", ClientPeer::kOpenssl, Credential::kPsk, "openssl"},
        ServerCase{"GnutlsClientEcdsa", ClientPeer::kGnutls, Credential::kEcdsa, "openssl"},
        ServerCase{"GnutlsClientRsa", ClientPeer::kGnutls, Credential::kRsa, "openssl"},
        ServerCase{"GnutlsClientPsk", ClientPeer::kGnutls, Credential::kPsk, "openssl"},
        ServerCase{"OpensslClientToMbedtlsEcdsa", ClientPeer::kOpenssl, Credential::kEcdsa,
                   "mbedtls"},
        ServerCase{"OpensslClientToMbedtlsRsa", ClientPeer::kOpenssl, Credential::kRsa, "mbedtls"},
        ServerCase{"OpensslClientToMbedtlsPsk", ClientPeer::kOpenssl, Credential::kPsk, "mbedtls"},
        ServerCase{"GnutlsClientToMbedtlsEcdsa", ClientPeer::kGnutls, Credential::kEcdsa,
                   "mbedtls"},
        ServerCase{"GnutlsClientToMbedtlsRsa", ClientPeer::kGnutls, Credential::kRsa, "mbedtls"},
        ServerCase{"GnutlsClientToMbedtlsPsk", ClientPeer::kGnutls, Credential::kPsk,
                   "mbedtls"},
        ServerCase{"OpensslClientToGnutlsEcdsa", ClientPeer::kOpenssl, Credential::kEcdsa,
                   "gnutls"},
        ServerCase{"OpensslClientToGnutlsRsa", ClientPeer::kOpenssl, Credential::kRsa, "gnutls"},
        ServerCase{"OpensslClientToGnutlsPsk", ClientPeer::kOpenssl, Credential::kPsk, "gnutls"},
        ServerCase{"GnutlsClientToGnutlsEcdsa", ClientPeer::kGnutls, Credential::kEcdsa,
                   "gnutls"},
        ServerCase{"GnutlsClientToGnutlsRsa", ClientPeer::kGnutls, Credential::kRsa, "gnutls"},
        ServerCase{"GnutlsClientToGnutlsPsk", ClientPeer::kGnutls, Credential::kPsk, "gnutls"},
        ServerCase{"OpensslClientToWolfsslEcdsa", ClientPeer::kOpenssl, Credential::kEcdsa,
                   "wolfssl"},
        ServerCase{"OpensslClientToWolfsslRsa", ClientPeer::kOpenssl, Credential::kRsa, "wolfssl"},
        ServerCase{"OpensslClientToWolfsslPsk", ClientPeer::kOpenssl, Credential::kPsk, "wolfssl"},
        ServerCase{"GnutlsClientToWolfsslEcdsa", ClientPeer::kGnutls, Credential::kEcdsa,
                   "wolfssl"},
        ServerCase{"GnutlsClientToWolfsslRsa", ClientPeer::kGnutls, Credential::kRsa, "wolfssl"},
        ServerCase{"GnutlsClientToWolfsslPsk", ClientPeer::kGnutls, Credential::kPsk, "wolfssl"}),
    [](const testing::TestParamInfo<ServerCase>& row) { return row.param.name; });

}  // namespace
}  // namespace interop
