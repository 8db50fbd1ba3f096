// Test helper: a DTLS client and server joined by hand-carried datagrams and a manual clock.
// Tests drop, duplicate, reorder or corrupt datagrams between pump() steps; nothing sleeps.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dtls/client_verifier.h"
#include "dtls/connection.h"
#include "dtls/wire/record.h"
#include "support/manual_clock.h"
#include "support/recording_socket.h"
#include "support/test_data.h"

namespace dtls::test {

struct DtlsPair {
  static constexpr std::uint16_t kClientPort = 50000;
  static constexpr std::uint16_t kServerPort = 4433;

  // A server identity from the test PKI: the EC server leaf + intermediate, and its key.
  static Configuration serverConfig(bool cookies = true) {
    Configuration c = Configuration::defaultDtlsConfiguration();
    c.setLocalCertificateChain(Certificate::fromPath(certPath("server-chain.pem")));
    c.setPrivateKey(loadKey("server.key.pem"));
    c.setDtlsCookieVerificationEnabled(cookies);
    return c;
  }
  // A client that trusts the test root and verifies the server.
  static Configuration clientConfig() {
    Configuration c = Configuration::defaultDtlsConfiguration();
    c.setCaCertificates({loadCert("ca.pem")});
    c.setPeerVerifyMode(PeerVerifyMode::VerifyPeer);
    return c;
  }

  ManualClock clock;
  RecordingSocket client_socket;
  RecordingSocket server_socket;
  HostAddress client_address{"127.0.0.1"};
  HostAddress server_address{"127.0.0.1"};
  Connection client{SslMode::SslClientMode, &clock};
  Connection server{SslMode::SslServerMode, &clock};
  ClientVerifier verifier;
  bool use_verifier = true;
  std::vector<ByteArray> client_received;  // plaintext after the handshake
  std::vector<ByteArray> server_received;
  // Called with each datagram about to be delivered; return false to drop it.
  std::function<bool(bool to_server, const ByteArray&)> filter;

  explicit DtlsPair(Configuration client_config = clientConfig(),
                    Configuration server_config = serverConfig()) {
    setUp(client_config, server_config);
  }

  // A pair whose ends run on the named backends (dtls/backend.h); the verifier is the server's.
  struct Backends {
    std::string client;
    std::string server;
  };
  explicit DtlsPair(const Backends& backends, Configuration client_config = clientConfig(),
                    Configuration server_config = serverConfig())
      : client{SslMode::SslClientMode, &clock, backends.client},
        server{SslMode::SslServerMode, &clock, backends.server},
        verifier{backends.server} {
    setUp(client_config, server_config);
  }

  void setUp(const Configuration& client_config, const Configuration& server_config) {
    use_verifier = server_config.dtlsCookieVerificationEnabled();
    client.setDtlsConfiguration(client_config);
    server.setDtlsConfiguration(server_config);
    client.setPeer(server_address, kServerPort, "server.dtlsim.test");
    server.setPeer(client_address, kClientPort);
    server.setCookieGeneratorParameters(verifier.cookieGeneratorParameters());
    // Each side retransmits when its timer fires, as an application would.
    client.setHandshakeTimeoutCallback([this] { client.handleTimeout(&client_socket); });
    server.setHandshakeTimeoutCallback([this] { server.handleTimeout(&server_socket); });
  }

  void deliverToServer(const ByteArray& d) {
    if (server.handshakeState() == Connection::HandshakeNotStarted) {
      if (!use_verifier) {
        server.doHandshake(&server_socket, d);
      } else if (verifier.verifyClient(&server_socket, d, client_address, kClientPort)) {
        server.doHandshake(&server_socket, verifier.verifiedHello());
      }
    } else if (server.isConnectionEncrypted()) {
      const ByteArray plain = server.decryptDatagram(&server_socket, d);
      if (!plain.empty()) server_received.push_back(plain);
    } else if (server.handshakeState() == Connection::HandshakeInProgress) {
      server.doHandshake(&server_socket, d);
      takePending(server, server_received);
    }
  }

  // What an application does once doHandshake completes: take the records that overtook it.
  static void takePending(Connection& c, std::vector<ByteArray>& received) {
    if (!c.isConnectionEncrypted()) return;
    for (auto& d : c.takePendingDatagrams()) received.push_back(std::move(d));
  }

  void deliverToClient(const ByteArray& d) {
    if (client.isConnectionEncrypted()) {
      const ByteArray plain = client.decryptDatagram(&client_socket, d);
      if (!plain.empty()) client_received.push_back(plain);
    } else if (client.handshakeState() == Connection::HandshakeInProgress) {
      client.doHandshake(&client_socket, d);
      takePending(client, client_received);
    }
  }

  // Carries datagrams both ways until neither side sends anything. Returns the number carried.
  int pump(int max_rounds = 50) {
    int carried = 0;
    for (int round = 0; round < max_rounds; ++round) {
      auto to_server = client_socket.take();
      auto to_client = server_socket.take();
      if (to_server.empty() && to_client.empty()) break;
      for (const auto& d : to_server) {
        ++carried;
        if (!filter || filter(true, d)) deliverToServer(d);
      }
      for (const auto& d : to_client) {
        ++carried;
        if (!filter || filter(false, d)) deliverToClient(d);
      }
    }
    return carried;
  }

  // Starts the client and pumps; with loss, fires timers until done or `max_timeouts` fired.
  bool handshake(int max_timeouts = 0) {
    if (client.handshakeState() == Connection::HandshakeNotStarted &&
        !client.doHandshake(&client_socket))
      return false;
    pump();
    for (int i = 0; i < max_timeouts && !bothEncrypted(); ++i) {
      if (!clock.fireNext()) break;
      pump();
    }
    return bothEncrypted();
  }

  bool bothEncrypted() const {
    return client.isConnectionEncrypted() && server.isConnectionEncrypted();
  }

  // Everything a failing assertion needs to know: both states and all three error texts.
  std::string why() const {
    return "client " + std::to_string(client.handshakeState()) + " '" +
           client.dtlsErrorString() + "', server " + std::to_string(server.handshakeState()) +
           " '" + server.dtlsErrorString() + "', verifier '" + verifier.dtlsErrorString() + "'";
  }

  // Runs the client's first flight through the verifier (cookie exchange) and returns the
  // verified ClientHello without starting the server: for tests that start the server
  // themselves. Empty if the exchange did not verify.
  ByteArray verifiedHello() {
    if (client.handshakeState() == Connection::HandshakeNotStarted)
      client.doHandshake(&client_socket);
    for (int i = 0; i < 2; ++i) {
      for (const auto& d : client_socket.take()) {
        if (verifier.verifyClient(&server_socket, d, client_address, kClientPort))
          return verifier.verifiedHello();
      }
      for (const auto& d : server_socket.take()) client.doHandshake(&client_socket, d);
    }
    return {};
  }
};

// Plaintext handshake messages of type `msg_type` (RFC 5246 §7.4: 1 ClientHello, 2 ServerHello,
// 3 HelloVerifyRequest, 11 Certificate, 13 CertificateRequest...) that start in a datagram: a
// message fragmented over several datagrams (RFC 6347 §4.2.3) counts once, where its first
// fragment is.
inline int countHandshakeMessages(const ByteArray& datagram, std::uint8_t msg_type) {
  int n = 0;
  for (const auto& record : wire::decodeDatagram(datagram).records)
    for (const auto& m : record.handshake_messages)
      n += m.msg_type == msg_type && m.fragment_offset == 0 ? 1 : 0;
  return n;
}

}  // namespace dtls::test
