// dtls/random_source.h: a backend that draws through a callback (mbedTLS) draws only from the
// thread's RandomSource, so a seeded source makes its datagrams reproducible (DESIGN.md §9).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dtls/random_source.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

// SplitMix64: enough for a test; the World uses simnet::Prng.
class CountingSource : public RandomSource {
 public:
  explicit CountingSource(std::uint64_t seed) : state_(seed) {}
  void fill(unsigned char* out, std::size_t bytes) override {
    drawn += bytes;
    for (std::size_t i = 0; i < bytes; ++i) {
      state_ += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      out[i] = static_cast<unsigned char>(z ^ (z >> 31));
    }
  }
  std::size_t drawn = 0;

 private:
  std::uint64_t state_;
};

// Every datagram of a full handshake on `backend` and one record each way, with `seed`.
std::vector<ByteArray> run(std::uint64_t seed, std::size_t* drawn,
                           const char* backend = "mbedtls") {
  CountingSource source(seed);
  RandomSourceScope scope(&source);
  test::DtlsPair p({backend, backend});
  std::vector<ByteArray> wire;
  p.filter = [&](bool, const ByteArray& d) {
    wire.push_back(d);
    return true;
  };
  EXPECT_TRUE(p.handshake()) << p.why();
  p.client.writeDatagramEncrypted(&p.client_socket, "ping");
  p.server.writeDatagramEncrypted(&p.server_socket, "pong");
  p.pump();
  *drawn = source.drawn;
  return wire;
}

TEST(RandomSourceTest, MbedtlsHandshakeIsByteIdenticalForOneSeedAndDiffersForAnother) {
  std::size_t drawn_a = 0, drawn_b = 0, drawn_c = 0;
  const auto a = run(1, &drawn_a);
  const auto b = run(1, &drawn_b);
  const auto c = run(2, &drawn_c);
  ASSERT_GT(a.size(), 6u);
  EXPECT_GT(drawn_a, 0u);
  EXPECT_EQ(drawn_a, drawn_b);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.front(), c.front());  // the ClientHello's random
}

// GnuTLS draws through the executable's gnutls_rnd (DESIGN.md §9), which this test binary
// defines (dtls_clock_interpose): without it every ClientHello random would differ.
TEST(RandomSourceTest, GnutlsHandshakeIsByteIdenticalForOneSeedAndDiffersForAnother) {
  std::size_t drawn_a = 0, drawn_b = 0, drawn_c = 0;
  const auto a = run(1, &drawn_a, "gnutls");
  const auto b = run(1, &drawn_b, "gnutls");
  const auto c = run(2, &drawn_c, "gnutls");
  ASSERT_GT(a.size(), 6u);
  EXPECT_GT(drawn_a, 0u);
  EXPECT_EQ(drawn_a, drawn_b);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.front(), c.front());  // the ClientHello's random
}

// wolfSSL draws through its crypto-callback device (dtls/src/wolfssl/wolf_random.h): the same
// proof as for mbedTLS, over the whole handshake (cookie exchange, ECDHE keys, signatures), and
// run twice in one process: no wolfSSL state carried from one run to the next changes the draws.
TEST(RandomSourceTest, WolfsslHandshakeIsByteIdenticalForOneSeedAndDiffersForAnother) {
  std::size_t drawn_a = 0, drawn_b = 0, drawn_c = 0;
  const auto a = run(1, &drawn_a, "wolfssl");
  const auto b = run(1, &drawn_b, "wolfssl");
  const auto c = run(2, &drawn_c, "wolfssl");
  ASSERT_GT(a.size(), 6u);
  EXPECT_GT(drawn_a, 0u);
  EXPECT_EQ(drawn_a, drawn_b);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.front(), c.front());  // the ClientHello's random
}

}  // namespace
}  // namespace dtls
