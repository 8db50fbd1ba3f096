// Configuration::setDiffieHellmanParameters on a server (QSslConfiguration's
// setDiffieHellmanParameters): the group a DHE ServerKeyExchange carries is the configured one,
// and an untouched configuration's is defaultParameters(), RFC 3526's 2048-bit MODP group.
// Checked on the wire, where the group travels in the clear (RFC 5246 §7.4.3 ServerDHParams),
// so every backend is held to the same bytes.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtls/dh_parameters.h"
#include "dtls/wire/record.h"
#include "support/backend_param.h"
#include "support/dtls_pair.h"
#include "support/handshake_tap.h"

namespace dtls {
namespace {

using test::DtlsPair;

// `openssl dhparam 2048`: a safe prime of no named group (neither RFC 3526 nor RFC 7919), so
// a stack cannot send it unless it was told to.
constexpr char kOwn2048Pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIIBCAKCAQEA4Nem8U3nSPfml83iw50YgtJAqjFbm/ICX5//dCwnqUrT2iM/CrVT\n"
    "qB1CaG3YLll07DlcGv8Gmxj+puywpWQieO737ZkNufol2WL3zhW//V+yjs0Mh/Wh\n"
    "6/b1j6/emNfwZAah9P400A0kWwQp+7w+vhSfRIATJQ5/J02KCAxQntmz4vGGRa0V\n"
    "j6ixKAZJG+qrj0ZwzeR/P44A/9qmjnDPIsE0PQuObVvqayvz9NpT2HMVxDKO9Pjw\n"
    "5ZoGi+25pebwzoO2QiRvzwPrWZW3WdBsj6J3qZdfy7zDv72cp5w1w2yKgHZoC0ki\n"
    "qVWQuS/a73JIP2n8ZXN7OhmfsCU2gABwHwIBAg==\n"
    "-----END DH PARAMETERS-----\n";

constexpr char kDheSuite[] = "DHE-RSA-AES128-GCM-SHA256";

struct Group {
  ByteArray p;
  ByteArray g;
  bool operator==(const Group& o) const { return p == o.p && g == o.g; }
};

ByteArray bigEndian(const EVP_PKEY* key, const char* name) {
  BIGNUM* n = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &n) != 1) return {};
  ByteArray out(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(n);
  return out;
}

// The group of PKCS#3 parameters, read with OpenSSL apart from the code under test.
Group groupOf(const DiffieHellmanParameters& dh) {
  const ByteArray& der = dh.encoded();
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_KeyParams(EVP_PKEY_DH, nullptr, &cursor, static_cast<long>(der.size()));
  if (key == nullptr) return {};
  Group group{bigEndian(key, OSSL_PKEY_PARAM_FFC_P), bigEndian(key, OSSL_PKEY_PARAM_FFC_G)};
  EVP_PKEY_free(key);
  return group;
}

// The DHE ServerKeyExchange the server sends: dh_p and dh_g (RFC 5246 §7.4.3 ServerDHParams).
class ServerKeyExchangeTap {
 public:
  void take(const ByteArray& datagram) { tap_.take(datagram); }

  std::optional<Group> group() const {
    const std::optional<ByteArray> body = tap_.body();
    if (!body) return std::nullopt;
    std::string_view rest = *body;
    auto vector16 = [&rest](ByteArray* out) {
      if (rest.size() < 2) return false;
      const std::size_t n = static_cast<unsigned char>(rest[0]) << 8 |
                            static_cast<unsigned char>(rest[1]);
      if (rest.size() < 2 + n) return false;
      out->assign(rest.substr(2, n));
      rest.remove_prefix(2 + n);
      return true;
    };
    Group group;
    if (vector16(&group.p) && vector16(&group.g)) return group;
    return std::nullopt;
  }

 private:
  static constexpr std::uint8_t kServerKeyExchange = 12;
  test::HandshakeMessageTap tap_{kServerKeyExchange};
};

Configuration dheServer() {
  Configuration c = DtlsPair::serverConfig();
  c.setLocalCertificateChain(Certificate::fromPath(test::certPath("server-rsa.pem")));
  c.setPrivateKey(test::loadKey("server-rsa.key.pem", KeyAlgorithm::Rsa));
  EXPECT_TRUE(c.setCiphers(kDheSuite));
  return c;
}

// A client that offers the DHE suite and no RFC 7919 group: a server that sees one of those
// in supported_groups may answer with it instead of its own group, or must refuse DHE if it
// accepts none of them (RFC 7919 §4; ConnectionDhParametersAcrossStacksTest below).
Configuration dheClient() {
  Configuration c = DtlsPair::clientConfig();
  EXPECT_TRUE(c.setCiphers(kDheSuite));
  c.setEllipticCurves({EllipticCurve::fromShortName("prime256v1")});
  return c;
}

class ConnectionDhParametersTest : public test::BackendTest {
 protected:
  // Runs a DHE handshake and returns the group the server put on the wire.
  std::optional<Group> handshakeAndCapture(const Configuration& server) {
    DtlsPair p(dheClient(), server);
    ServerKeyExchangeTap tap;
    p.filter = [&tap](bool to_server, const ByteArray& d) {
      if (!to_server) tap.take(d);
      return true;
    };
    EXPECT_TRUE(p.handshake()) << p.why();
    EXPECT_EQ(p.client.sessionCipher().name(), kDheSuite);
    EXPECT_EQ(p.client.sessionCipher().keyExchangeMethod(), "DH");
    return tap.group();
  }
};

TEST_P(ConnectionDhParametersTest, TheServerSendsTheConfiguredGroup) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::DiffieHellmanParameters);
  const DiffieHellmanParameters own = DiffieHellmanParameters::fromEncoded(
      ByteArray(kOwn2048Pem), EncodingFormat::Pem);
  ASSERT_TRUE(own.isValid()) << own.errorString();
  Configuration server = dheServer();
  server.setDiffieHellmanParameters(own);
  const std::optional<Group> seen = handshakeAndCapture(server);
  ASSERT_TRUE(seen.has_value()) << "no DHE ServerKeyExchange crossed the link";
  EXPECT_EQ(seen->p.size(), 256u);
  EXPECT_TRUE(*seen == groupOf(own)) << "the server sent another group";
}

TEST_P(ConnectionDhParametersTest, AnUntouchedServerSendsTheDefaultGroup) {
  const std::optional<Group> seen = handshakeAndCapture(dheServer());
  ASSERT_TRUE(seen.has_value()) << "no DHE ServerKeyExchange crossed the link";
  EXPECT_TRUE(*seen == groupOf(DiffieHellmanParameters::defaultParameters()))
      << "the server sent a group of its own, not RFC 3526's 2048-bit MODP group";
}

// Qt: "the ephemeral server key used for cipher algorithms with forward secrecy, e.g.
// DHE-RSA-AES128-SHA" - a DH key on the client, of the server's group.
TEST_P(ConnectionDhParametersTest, TheClientReportsTheServersDhKey) {
  DtlsPair p(dheClient(), dheServer());
  ASSERT_TRUE(p.handshake()) << p.why();
  const Key key = p.client.dtlsConfiguration().ephemeralServerKey();
  ASSERT_FALSE(key.isNull());
  EXPECT_EQ(key.algorithm(), KeyAlgorithm::Dh);
  EXPECT_EQ(key.type(), KeyType::PublicKey);
  EXPECT_EQ(key.length(), 2048);
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionDhParametersTest);

// Every client stack against every server stack, each with its default groups. OpenSSL's and
// mbedTLS's DTLS clients offer no RFC 7919 group, and every server sends them the configured
// one. wolfSSL's and GnuTLS's clients offer ffdhe2048 and up: RFC 7919 §4 lets a server that
// knows those groups answer with one (wolfSSL's does), and forbids a server that accepts none
// of them to pick a DHE suite (GnuTLS's, which lists its curves only: see gnutls_priority.cpp),
// so with DHE suites alone that handshake fails.
TEST(ConnectionDhParametersAcrossStacksTest, EachServerSendsTheConfiguredGroupOrAnRfc7919One) {
  const DiffieHellmanParameters own = DiffieHellmanParameters::fromEncoded(
      ByteArray(kOwn2048Pem), EncodingFormat::Pem);
  Configuration server = dheServer();
  server.setDiffieHellmanParameters(own);
  Configuration client = DtlsPair::clientConfig();
  ASSERT_TRUE(client.setCiphers(kDheSuite));
  const std::map<std::pair<std::string, std::string>, const char*> rfc7919 = {
      {{"wolfssl", "wolfssl"}, "an RFC 7919 group"},
      {{"gnutls", "wolfssl"}, "an RFC 7919 group"},
      {{"wolfssl", "gnutls"}, "no handshake"},
      {{"gnutls", "gnutls"}, "no handshake"}};
  const std::vector<std::string> backends = test::backendsUnderTest();
  for (const std::string& server_backend : backends) {
    for (const std::string& client_backend : backends) {
      SCOPED_TRACE(client_backend + " client, " + server_backend + " server");
      DtlsPair p(DtlsPair::Backends{client_backend, server_backend}, client, server);
      ServerKeyExchangeTap tap;
      p.filter = [&tap](bool to_server, const ByteArray& d) {
        if (!to_server) tap.take(d);
        return true;
      };
      const bool done = p.handshake();
      const std::optional<Group> seen = tap.group();
      const std::string outcome = !done           ? "no handshake"
                                  : !seen         ? "no ServerKeyExchange"
                                  : *seen == groupOf(own) ? "the configured group"
                                                          : "an RFC 7919 group";
      const auto deviation = rfc7919.find({client_backend, server_backend});
      EXPECT_EQ(outcome, deviation == rfc7919.end() ? "the configured group" : deviation->second);
    }
  }
}

}  // namespace
}  // namespace dtls
