// Connections and ClientVerifiers share one SSL_CTX per (configuration data, mode, library
// context) (dtls/tls_context_pin.h); per-connection things stay per connection.
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include "dtls/openssl_context.h"
#include "dtls/tls_context_pin.h"
#include "support/dtls_pair.h"
#include "tls_context.h"  // white box: detail::tlsContextsBuilt()

namespace dtls {
namespace {

using detail::tlsContextsBuilt;
using test::DtlsPair;

// Starts a client handshake (the ClientHello) on a fresh connection: builds or reuses the
// shared context. Returns the connection so the caller decides how long it holds the context.
std::unique_ptr<Connection> startClient(const Configuration& config, test::RecordingSocket* s) {
  auto c = std::make_unique<Connection>(SslMode::SslClientMode, nullptr);
  c->setDtlsConfiguration(config);
  c->setPeer(HostAddress("127.0.0.1"), 4433);
  EXPECT_TRUE(c->doHandshake(s)) << c->dtlsErrorString();
  return c;
}

TEST(TlsContextShareTest, TwoConnectionsWithOneConfigurationBuildOneContext) {
  const Configuration config = DtlsPair::clientConfig();
  test::RecordingSocket socket;
  const auto before = tlsContextsBuilt();
  auto a = startClient(config, &socket);
  auto b = startClient(Configuration(config), &socket);  // a copy shares the data
  EXPECT_EQ(tlsContextsBuilt() - before, 1u);
  EXPECT_EQ(TlsContextPin(config, SslMode::SslClientMode),
            TlsContextPin(config, SslMode::SslClientMode));
}

TEST(TlsContextShareTest, ClientAndServerModeHaveTheirOwnContexts) {
  const Configuration config = DtlsPair::serverConfig(false);
  const TlsContextPin client(config, SslMode::SslClientMode);
  const TlsContextPin server(config, SslMode::SslServerMode);
  ASSERT_FALSE(client.isNull());
  ASSERT_FALSE(server.isNull());
  EXPECT_FALSE(client == server);
}

TEST(TlsContextShareTest, ASetterAfterUseGivesTheNextConnectionANewContext) {
  Configuration config = DtlsPair::clientConfig();
  test::RecordingSocket socket;
  auto a = startClient(config, &socket);
  const TlsContextPin old_pin(config, SslMode::SslClientMode);
  const auto before = tlsContextsBuilt();
  config.setProtocol(SslProtocol::DtlsV1_2);  // shared with `a`: detaches
  auto b = startClient(config, &socket);
  EXPECT_EQ(tlsContextsBuilt() - before, 1u);
  EXPECT_FALSE(TlsContextPin(config, SslMode::SslClientMode) == old_pin);

  // Unshared data is written in place: its contexts are forgotten all the same.
  Configuration alone = DtlsPair::clientConfig();
  const TlsContextPin first(alone, SslMode::SslClientMode);
  alone.setProtocol(SslProtocol::DtlsV1_2);
  EXPECT_FALSE(TlsContextPin(alone, SslMode::SslClientMode) == first);
}

TEST(TlsContextShareTest, ABadSettingFailsEveryHandshakeAndIsNotCached) {
  Configuration config = DtlsPair::clientConfig();
  config.setProtocol(SslProtocol::TlsV1_2);
  const TlsContextPin pin(config, SslMode::SslClientMode);
  EXPECT_TRUE(pin.isNull());
  EXPECT_EQ(pin.errorString(), "protocol TlsV1_2 is not a DTLS protocol");
  test::RecordingSocket socket;
  Connection c(SslMode::SslClientMode, nullptr);
  c.setDtlsConfiguration(config);
  c.setPeer(HostAddress("127.0.0.1"), 4433);
  EXPECT_FALSE(c.doHandshake(&socket));
  EXPECT_EQ(c.dtlsError(), DtlsError::TlsInitializationError);
}

TEST(TlsContextShareTest, DifferentLibraryContextsGetDifferentContexts) {
  const Configuration config = DtlsPair::clientConfig();
  const TlsContextPin default_pin(config, SslMode::SslClientMode);
  OSSL_LIB_CTX* libctx = OSSL_LIB_CTX_new();
  ASSERT_NE(libctx, nullptr);
  {
    LibraryContextScope scope(libctx);
    const auto before = tlsContextsBuilt();
    const TlsContextPin pin(config, SslMode::SslClientMode);
    EXPECT_EQ(tlsContextsBuilt() - before, 1u);
    EXPECT_FALSE(pin == default_pin);
    EXPECT_FALSE(TlsContextPin::clientVerifierContext() == [] {
      LibraryContextScope outer(nullptr);
      return TlsContextPin::clientVerifierContext();
    }());
  }  // every pin of libctx is gone before it is freed
  OSSL_LIB_CTX_free(libctx);
}

TEST(TlsContextShareTest, AContextLivesWhileAUserHoldsIt) {
  const Configuration config = DtlsPair::clientConfig();
  test::RecordingSocket socket;
  auto before = tlsContextsBuilt();
  startClient(config, &socket).reset();
  startClient(config, &socket).reset();  // nobody held it in between: built again
  EXPECT_EQ(tlsContextsBuilt() - before, 2u);

  const TlsContextPin pin(config, SslMode::SslClientMode);
  before = tlsContextsBuilt();
  startClient(config, &socket).reset();
  startClient(config, &socket).reset();
  EXPECT_EQ(tlsContextsBuilt() - before, 0u);
}

TEST(TlsContextShareTest, ClientVerifiersShareOneContext) {
  test::RecordingSocket socket;
  Connection client(SslMode::SslClientMode, nullptr);
  client.setDtlsConfiguration(DtlsPair::clientConfig());
  client.setPeer(HostAddress("127.0.0.1"), 4433);
  ASSERT_TRUE(client.doHandshake(&socket));
  const ByteArray hello = socket.take().at(0);
  ClientVerifier first;
  ASSERT_FALSE(first.verifyClient(&socket, hello, HostAddress("127.0.0.1"), 50000));
  const auto before = tlsContextsBuilt();
  ClientVerifier second;
  ASSERT_FALSE(second.verifyClient(&socket, hello, HostAddress("127.0.0.1"), 50000));
  EXPECT_EQ(tlsContextsBuilt() - before, 0u);
  EXPECT_EQ(socket.take().size(), 2u);  // a HelloVerifyRequest each
}

// Two servers on one configuration share a context, not their identities: each answers PSK
// with its own callback, and a ticket of one resumes only where the cookie secret (from which
// ticket keys derive) is the same.
TEST(TlsContextShareTest, ServersSharingAContextKeepTheirOwnPskCallbacks) {
  Configuration client_config = DtlsPair::clientConfig();
  client_config.setCiphers("PSK-AES128-GCM-SHA256");
  Configuration server_config = DtlsPair::serverConfig(false);
  server_config.setCiphers("PSK-AES128-GCM-SHA256");
  const TlsContextPin pin(server_config, SslMode::SslServerMode);
  DtlsPair with(client_config, server_config), without(client_config, server_config);
  for (DtlsPair* p : {&with, &without})
    p->client.setPskRequiredCallback([](PreSharedKeyAuthenticator* a) {
      a->setIdentity("id");
      a->setPreSharedKey("0123456789abcdef");
    });
  with.server.setPskRequiredCallback(
      [](PreSharedKeyAuthenticator* a) { a->setPreSharedKey("0123456789abcdef"); });
  EXPECT_TRUE(with.handshake()) << with.why();
  EXPECT_FALSE(without.handshake());  // no PSK callback: no PSK suite, no common cipher
}

struct TicketRun {
  ByteArray ticket;
  int certificates = 0;
};

TicketRun connectWith(const Configuration& server_config, const GeneratorParameters& params,
                      const ByteArray& ticket) {
  Configuration client = DtlsPair::clientConfig();
  client.setSslOption(SslOption::SslOptionDisableSessionPersistence, false);
  if (!ticket.empty()) client.setSessionTicket(ticket);
  DtlsPair p(client, server_config);
  p.client.setMtuHint(1500);
  EXPECT_TRUE(p.server.setCookieGeneratorParameters(params));
  TicketRun run;
  p.filter = [&](bool to_server, const ByteArray& d) {
    if (!to_server) run.certificates += test::countHandshakeMessages(d, 11);
    return true;
  };
  EXPECT_TRUE(p.handshake()) << p.why();
  run.ticket = p.client.dtlsConfiguration().sessionTicket();
  return run;
}

TEST(TlsContextShareTest, ServersSharingAContextKeepTheirOwnTicketKeys) {
  const Configuration server_config = DtlsPair::serverConfig(false);
  const TlsContextPin pin(server_config, SslMode::SslServerMode);
  const GeneratorParameters a{DigestAlgorithm::Sha256, "secret of server A"};
  const GeneratorParameters b{DigestAlgorithm::Sha256, "secret of server B"};
  const TicketRun first = connectWith(server_config, a, {});
  ASSERT_FALSE(first.ticket.empty());
  EXPECT_EQ(first.certificates, 1);
  EXPECT_EQ(connectWith(server_config, a, first.ticket).certificates, 0);  // resumed
  EXPECT_EQ(connectWith(server_config, b, first.ticket).certificates, 1);  // full handshake
}

}  // namespace
}  // namespace dtls
