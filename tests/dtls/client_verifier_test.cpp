// dtls::ClientVerifier: the stateless cookie exchange (RFC 6347 §4.2.1) before a server
// creates a Connection.
#include "dtls/client_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/backend_param.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

using test::DtlsPair;
using ::testing::StartsWith;

constexpr std::uint8_t kClientHello = 1;
constexpr std::uint8_t kHelloVerifyRequest = 3;

// A client's first ClientHello (no cookie yet), sent to 127.0.0.1:4433.
struct FirstHello {
  test::ManualClock clock;
  test::RecordingSocket socket;
  Connection client{SslMode::SslClientMode, &clock};
  ByteArray hello;                // the first datagram
  std::vector<ByteArray> flight;  // all of them (several if the ClientHello is fragmented)
  explicit FirstHello(Configuration config = DtlsPair::clientConfig(), std::uint16_t mtu = 0) {
    client.setDtlsConfiguration(config);
    client.setMtuHint(mtu);
    client.setPeer(HostAddress("127.0.0.1"), DtlsPair::kServerPort);
    EXPECT_TRUE(client.doHandshake(&socket)) << client.dtlsErrorString();
    flight = socket.take();
    EXPECT_FALSE(flight.empty());
    if (!flight.empty()) hello = flight.front();
  }
  // Hands the verifier's HelloVerifyRequest to the client; returns the ClientHello with cookie.
  ByteArray answer(const ByteArray& hello_verify_request) {
    EXPECT_TRUE(client.doHandshake(&socket, hello_verify_request)) << client.dtlsErrorString();
    auto sent = socket.take();
    EXPECT_EQ(sent.size(), 1u);
    return sent.empty() ? ByteArray() : sent.front();
  }
};

const HostAddress kClient("127.0.0.1");

class ClientVerifierTest : public test::BackendTest {};

TEST_P(ClientVerifierTest, Defaults) {
  ClientVerifier v;
  EXPECT_EQ(v.cookieGeneratorParameters().hash, DigestAlgorithm::Sha256);
  EXPECT_EQ(v.cookieGeneratorParameters().secret.size(), 16u);
  EXPECT_NE(v.cookieGeneratorParameters().secret,
            ClientVerifier().cookieGeneratorParameters().secret);
  EXPECT_TRUE(v.verifiedHello().empty());
  EXPECT_EQ(v.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(v.dtlsErrorString(), "");
}

TEST_P(ClientVerifierTest, EmptySecretIsRejected) {
  ClientVerifier v;
  const GeneratorParameters before = v.cookieGeneratorParameters();
  EXPECT_FALSE(v.setCookieGeneratorParameters({DigestAlgorithm::Sha512, ""}));
  EXPECT_EQ(v.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(v.dtlsErrorString(), "setCookieGeneratorParameters: the secret is empty");
  EXPECT_EQ(v.cookieGeneratorParameters(), before);
  EXPECT_TRUE(v.setCookieGeneratorParameters({DigestAlgorithm::Sha512, "X"}));
  EXPECT_EQ(v.dtlsError(), DtlsError::NoError);
}

struct BadInput {
  const char* name;
  bool null_socket;
  ByteArray datagram;
  const char* address;
  const char* message;
};

class ClientVerifierBadInputTest : public test::BackendRowTest<BadInput> {};

TEST_P(ClientVerifierBadInputTest, IsInvalidInput) {
  const BadInput& row = this->row();
  FirstHello first;
  test::RecordingSocket socket;
  ClientVerifier v;
  const ByteArray datagram = row.datagram == "hello" ? first.hello : row.datagram;
  EXPECT_FALSE(v.verifyClient(row.null_socket ? nullptr : &socket, datagram,
                              HostAddress(row.address), 50000));
  EXPECT_EQ(v.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(v.dtlsErrorString(), row.message);
  EXPECT_TRUE(socket.sent().empty());
  EXPECT_TRUE(v.verifiedHello().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, ClientVerifierBadInputTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(
        BadInput{"NullSocket", true, "hello", "127.0.0.1", "verifyClient: the socket is null"},
        BadInput{"EmptyDatagram", false, "", "127.0.0.1", "verifyClient: the datagram is empty"},
        BadInput{"NullAddress", false, "hello", "", "verifyClient: the address is null"},
        BadInput{"Broadcast", false, "hello", "255.255.255.255",
                 "verifyClient: 255.255.255.255 is a broadcast address"},
        BadInput{"Ipv4Multicast", false, "hello", "239.1.2.3",
                 "verifyClient: 239.1.2.3 is a multicast address"},
        BadInput{"Ipv6Multicast", false, "hello", "ff0e::1",
                 "verifyClient: ff0e::1 is a multicast address"})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

TEST_P(ClientVerifierTest, FirstHelloIsAnsweredWithHelloVerifyRequest) {
  FirstHello first;
  test::RecordingSocket socket;
  ClientVerifier v;
  EXPECT_FALSE(v.verifyClient(&socket, first.hello, kClient, 50000));
  EXPECT_EQ(v.dtlsError(), DtlsError::NoError);
  EXPECT_TRUE(v.verifiedHello().empty());
  ASSERT_EQ(socket.sent().size(), 1u);
  EXPECT_EQ(socket.sent()[0].to, kClient);
  EXPECT_EQ(socket.sent()[0].port, 50000);
  EXPECT_EQ(test::countHandshakeMessages(socket.sent()[0].data, kHelloVerifyRequest), 1);
}

TEST_P(ClientVerifierTest, HelloWithCookieIsVerified) {
  FirstHello first;
  test::RecordingSocket socket;
  ClientVerifier v;
  ASSERT_FALSE(v.verifyClient(&socket, first.hello, kClient, 50000));
  const ByteArray with_cookie = first.answer(socket.take().front());
  EXPECT_EQ(test::countHandshakeMessages(with_cookie, kClientHello), 1);
  EXPECT_TRUE(v.verifyClient(&socket, with_cookie, kClient, 50000));
  EXPECT_EQ(v.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(v.verifiedHello(), with_cookie);
  EXPECT_TRUE(socket.sent().empty());  // nothing more to say
  // A call that returns false forgets the verified hello.
  EXPECT_FALSE(v.verifyClient(&socket, first.hello, kClient, 50000));
  EXPECT_TRUE(v.verifiedHello().empty());
}

TEST_P(ClientVerifierTest, CookieIsBoundToAddressAndPort) {
  FirstHello first;
  test::RecordingSocket socket;
  ClientVerifier v;
  ASSERT_FALSE(v.verifyClient(&socket, first.hello, kClient, 50000));
  const ByteArray with_cookie = first.answer(socket.take().front());
  EXPECT_FALSE(v.verifyClient(&socket, with_cookie, kClient, 50001));  // another port
  EXPECT_EQ(v.dtlsError(), DtlsError::NoError);
  EXPECT_EQ(socket.take().size(), 1u);  // a fresh HelloVerifyRequest for that port
  EXPECT_FALSE(v.verifyClient(&socket, with_cookie, HostAddress("127.0.0.2"), 50000));
  EXPECT_FALSE(v.verifyClient(&socket, with_cookie, HostAddress("::ffff:127.0.0.2"), 50000));
  EXPECT_TRUE(v.verifyClient(&socket, with_cookie, kClient, 50000));
  // An IPv4 peer and its IPv4-mapped IPv6 form are one peer (cookie.h).
  EXPECT_TRUE(v.verifyClient(&socket, with_cookie, HostAddress("::ffff:127.0.0.1"), 50000));
}

TEST_P(ClientVerifierTest, CookieDependsOnTheSecret) {
  FirstHello first;
  test::RecordingSocket socket;
  ClientVerifier v;
  ASSERT_FALSE(v.verifyClient(&socket, first.hello, kClient, 50000));
  const ByteArray with_cookie = first.answer(socket.take().front());
  ClientVerifier other;
  EXPECT_FALSE(other.verifyClient(&socket, with_cookie, kClient, 50000));
  EXPECT_EQ(other.dtlsError(), DtlsError::NoError);
  ASSERT_TRUE(other.setCookieGeneratorParameters(v.cookieGeneratorParameters()));
  EXPECT_TRUE(other.verifyClient(&socket, with_cookie, kClient, 50000));
}

TEST_P(ClientVerifierTest, NonDefaultParametersMustBeSharedWithTheServer) {
  const GeneratorParameters sha512{DigestAlgorithm::Sha512, "X"};
  {
    DtlsPair p;  // the server keeps the pair's default parameters
    ASSERT_TRUE(p.verifier.setCookieGeneratorParameters(sha512));
    const ByteArray hello = p.verifiedHello();
    ASSERT_FALSE(hello.empty()) << p.why();
    EXPECT_FALSE(p.server.doHandshake(&p.server_socket, hello));
    EXPECT_EQ(p.server.dtlsError(), DtlsError::InvalidInputParameters);
  }
  {
    DtlsPair p;
    ASSERT_TRUE(p.verifier.setCookieGeneratorParameters(sha512));
    ASSERT_TRUE(p.server.setCookieGeneratorParameters(sha512));
    EXPECT_TRUE(p.handshake()) << p.why();
  }
}

TEST_P(ClientVerifierTest, NonHelloDatagramsAreDroppedWithoutError) {
  ClientVerifier v;
  test::RecordingSocket socket;
  for (const ByteArray& noise :
       {ByteArray("x"), ByteArray(13, '\0'), ByteArray(200, '\x16'), ByteArray("\x17\xfe\xfd")}) {
    EXPECT_FALSE(v.verifyClient(&socket, noise, kClient, 50000));
    EXPECT_EQ(v.dtlsError(), DtlsError::NoError) << v.dtlsErrorString();
  }
  EXPECT_TRUE(socket.sent().empty());
}

TEST_P(ClientVerifierTest, FailingSocketIsReported) {
  FirstHello first;
  test::RecordingSocket socket;
  socket.setFailWrites(true);
  ClientVerifier v;
  EXPECT_FALSE(v.verifyClient(&socket, first.hello, kClient, 50000));
  EXPECT_EQ(v.dtlsError(), DtlsError::UnderlyingSocketError);
  EXPECT_EQ(v.dtlsErrorString(),
            "verifyClient: sending HelloVerifyRequest to 127.0.0.1:50000 failed: writeDatagram: "
            "No route to host");
}

// 100 clients on distinct ports, interleaved with a sender of garbage: every client is
// verified with its own cookie, and the noise never sets an error.
TEST_P(ClientVerifierTest, HundredClientsAmongNoise) {
  constexpr int kClients = 100;
  ClientVerifier v;
  test::RecordingSocket socket;
  std::vector<std::unique_ptr<FirstHello>> clients;
  std::vector<ByteArray> cookies(kClients);
  std::uint32_t noise_state = 301;  // fixed seed
  auto noise = [&] {
    ByteArray d(1 + noise_state % 300, '\0');
    for (auto& c : d) {
      noise_state = noise_state * 1664525u + 1013904223u;  // LCG (Numerical Recipes)
      c = static_cast<char>(noise_state >> 24);
    }
    EXPECT_FALSE(v.verifyClient(&socket, d, HostAddress("10.9.9.9"), 9999));
    EXPECT_EQ(v.dtlsError(), DtlsError::NoError) << v.dtlsErrorString();
  };
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<FirstHello>());
    noise();
    ASSERT_FALSE(v.verifyClient(&socket, clients[i]->hello, kClient, 40000 + i));
    auto hvr = socket.take();
    ASSERT_EQ(hvr.size(), 1u) << i;
    cookies[i] = clients[i]->answer(hvr[0]);
  }
  int verified = 0;
  for (int i = kClients - 1; i >= 0; --i) {
    noise();
    verified += v.verifyClient(&socket, cookies[i], kClient, 40000 + i) ? 1 : 0;
    EXPECT_EQ(v.dtlsError(), DtlsError::NoError) << v.dtlsErrorString();
    EXPECT_EQ(v.verifiedHello(), cookies[i]);
  }
  EXPECT_EQ(verified, kClients);
  EXPECT_TRUE(socket.sent().empty());
  // Each client's ManualClock is a WallClockScope: they must end in reverse order of creation.
  while (!clients.empty()) clients.pop_back();
}

// A client whose ClientHello needs several datagrams: a 300-byte MTU hint and a long ALPN list.
Configuration bigHelloClient() {
  Configuration config = DtlsPair::clientConfig();
  std::vector<ByteArray> protocols;
  for (int i = 0; i < 8; ++i) protocols.push_back("protocol-name-number-" + std::to_string(i));
  config.setAllowedNextProtocols(protocols);
  return config;
}

// A ClientHello that does not fit one datagram is never verified (client_verifier.h): the
// verifier drops every datagram that carries a ClientHello fragment, without an answer, so
// the client retransmits until it gives up (cookie.h explains why not only OpenSSL's check).
TEST_P(ClientVerifierTest, FragmentedClientHelloIsNeverVerified) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DTLSIM_SKIP_ON("mbedtls", "ClientHello fragmentation: mbedTLS 2.28 sends its ClientHello whole, "
                            "above the MTU hint");
  FirstHello first(bigHelloClient(), /*mtu=*/300);
  std::vector<ByteArray> flight = first.flight;
  ASSERT_GT(flight.size(), 1u);  // the ClientHello was split over several datagrams
  bool fragmented = false;
  for (const auto& record : wire::decodeDatagram(flight[0]).records)
    for (const auto& m : record.handshake_messages) fragmented |= m.isFragmented();
  ASSERT_TRUE(fragmented);

  ClientVerifier v;
  test::RecordingSocket socket;
  for (int attempt = 0; attempt < 3; ++attempt) {
    for (const auto& d : flight) {
      EXPECT_FALSE(v.verifyClient(&socket, d, kClient, 50000));
      EXPECT_EQ(v.dtlsError(), DtlsError::NoError);
    }
    EXPECT_TRUE(socket.sent().empty());  // not even a HelloVerifyRequest
    ASSERT_EQ(first.clock.pendingTimers(), 1u) << first.clock.nextTimerIn().count();
    first.clock.advance(first.clock.nextTimerIn());
    ASSERT_TRUE(first.client.handleTimeout(&first.socket)) << first.client.dtlsErrorString();
    flight = first.socket.take();  // the retransmission is fragmented the same way
    ASSERT_GT(flight.size(), 1u);
  }
}

TEST_P(ClientVerifierTest, FragmentedClientHelloNeverStartsAServerHandshake) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DTLSIM_SKIP_ON("mbedtls", "ClientHello fragmentation: mbedTLS 2.28 sends its ClientHello whole, "
                            "above the MTU hint");
  DtlsPair p(bigHelloClient());
  p.client.setMtuHint(300);
  EXPECT_FALSE(p.handshake(/*max_timeouts=*/20));
  EXPECT_TRUE(p.verifier.verifiedHello().empty());
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::TlsFatalError);  // gave up retransmitting
}

TEST_P(ClientVerifierTest, ServerRefusesAFragmentedFirstDatagram) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DTLSIM_SKIP_ON("mbedtls", "ClientHello fragmentation: mbedTLS 2.28 sends its ClientHello whole, "
                            "above the MTU hint");
  DtlsPair p(bigHelloClient());
  p.client.setMtuHint(300);
  ASSERT_TRUE(p.client.doHandshake(&p.client_socket));
  const auto flight = p.client_socket.take();
  ASSERT_GT(flight.size(), 1u);
  EXPECT_FALSE(p.server.doHandshake(&p.server_socket, flight[0]));
  EXPECT_EQ(p.server.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.server.dtlsErrorString(),
            "doHandshake: the first datagram carries a fragmented ClientHello, which a server "
            "with cookie verification drops (ClientVerifier never verifies one)");
  EXPECT_EQ(p.server.handshakeState(), Connection::HandshakeNotStarted);
}

// Without cookie verification OpenSSL reassembles the fragments (RFC 6347 §4.2.3).
TEST_P(ClientVerifierTest, FragmentedClientHelloWorksWithoutCookieVerification) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DtlsPair p(bigHelloClient(), DtlsPair::serverConfig(/*cookies=*/false));
  p.client.setMtuHint(300);
  EXPECT_TRUE(p.handshake()) << p.why();
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(ClientVerifierTest);

}  // namespace
}  // namespace dtls
