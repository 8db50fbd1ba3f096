#include "scenarios/sim_rand.h"

#include <gtest/gtest.h>
#include <openssl/rand.h>

#include <thread>

#include "dtls/connection.h"
#include "dtls/openssl_context.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "support/recording_socket.h"

namespace scenarios {
namespace {

std::string randomBytes(std::uint64_t seed, size_t n) {
  std::string error;
  auto ctx = SeededLibraryContext::create(seed, &error);
  EXPECT_TRUE(ctx) << error;
  std::string out(n, '\0');
  EXPECT_EQ(RAND_bytes_ex(ctx->get(), reinterpret_cast<unsigned char*>(out.data()), n, 0), 1);
  EXPECT_GE(ctx->bytesGenerated(), n);
  return out;
}

// The first ClientHello a client Connection sends in a context seeded with `seed`.
std::string firstClientHello(std::uint64_t seed) {
  std::string error;
  auto ctx = SeededLibraryContext::create(seed, &error);
  EXPECT_TRUE(ctx) << error;
  dtls::LibraryContextScope scope(ctx->get());
  dtls::test::RecordingSocket socket;
  dtls::Connection client(dtls::SslMode::SslClientMode);
  client.setPeer(dtls::HostAddress("10.0.0.2"), 4433);
  EXPECT_TRUE(client.doHandshake(&socket)) << client.dtlsErrorString();
  auto sent = socket.take();
  return sent.empty() ? std::string() : sent.front();
}

TEST(SeededLibraryContextTest, SameSeedSameBytes) {
  EXPECT_EQ(randomBytes(42, 64), randomBytes(42, 64));
  EXPECT_NE(randomBytes(42, 64), randomBytes(43, 64));
}

TEST(SeededLibraryContextTest, SameSeedGivesAByteIdenticalClientHello) {
  const std::string a = firstClientHello(7);
  ASSERT_GT(a.size(), 100u);
  EXPECT_EQ(a, firstClientHello(7));
}

TEST(SeededLibraryContextTest, AnotherSeedGivesAnotherClientHello) {
  EXPECT_NE(firstClientHello(7), firstClientHello(8));
}

TEST(SeededLibraryContextTest, ContextsAreIndependent) {
  std::string error;
  auto a = SeededLibraryContext::create(1, &error);
  auto b = SeededLibraryContext::create(1, &error);
  unsigned char x[16], y[16], z[16];
  ASSERT_EQ(RAND_bytes_ex(a->get(), x, sizeof x, 0), 1);
  ASSERT_EQ(RAND_bytes_ex(a->get(), y, sizeof y, 0), 1);
  ASSERT_EQ(RAND_bytes_ex(b->get(), z, sizeof z, 0), 1);  // b's first draw equals a's first
  EXPECT_EQ(0, memcmp(x, z, sizeof x));
  EXPECT_NE(0, memcmp(x, y, sizeof x));
}

// A context comes back from its thread's idle list restarted with the new seed: its bytes are
// those of a context built fresh, on this thread or another.
TEST(SeededLibraryContextTest, AReusedContextDrawsLikeAFreshOne) {
  std::string fresh;
  std::thread([&] { fresh = randomBytes(5, 48); }).join();  // a new thread: nothing idle
  (void)randomBytes(9, 48);
  EXPECT_GE(SeededLibraryContext::idleOnThisThread(), 1u);
  EXPECT_EQ(randomBytes(5, 48), fresh);

  std::string error;
  auto ctx = SeededLibraryContext::create(5, &error);
  ASSERT_TRUE(ctx) << error;
  EXPECT_EQ(ctx->bytesGenerated(), 0u);
}

TEST(SeededLibraryContextTest, IdleContextsPerThreadAreBounded) {
  std::string error;
  std::vector<std::unique_ptr<SeededLibraryContext>> live;
  for (int i = 0; i < 4; ++i) live.push_back(SeededLibraryContext::create(i, &error));
  live.clear();
  EXPECT_EQ(SeededLibraryContext::idleOnThisThread(), SeededLibraryContext::kMaxIdlePerThread);
}

// A context destroyed after its thread's idle list frees its OpenSSL context instead of putting
// it on the destroyed list. In a program that is a context held by a static (statics are
// destroyed after the main thread's thread_locals); here, a thread_local built before the list.
TEST(SeededLibraryContextTest, AContextOutlivingItsThreadsIdleListIsFreed) {
  std::size_t idle_when_destroyed = 99;
  bool destroyed = false;
  std::thread([&] {
    struct Holder {
      std::unique_ptr<SeededLibraryContext> context;
      std::size_t* idle = nullptr;
      bool* done = nullptr;
      ~Holder() {
        context.reset();
        *idle = SeededLibraryContext::idleOnThisThread();
        *done = true;
      }
    };
    thread_local Holder holder;  // before the idle list, so destroyed after it
    holder.idle = &idle_when_destroyed;
    holder.done = &destroyed;
    std::string error;
    holder.context = SeededLibraryContext::create(7, &error);  // builds the idle list
    EXPECT_TRUE(holder.context) << error;
  }).join();
  EXPECT_TRUE(destroyed);
  EXPECT_EQ(idle_when_destroyed, 0u);
}

// The same seed gives the same trace whether the world's OpenSSL context is new (a fresh
// thread) or was used by another world with another seed before. The RSA server matters: an RSA
// key draws blinding randomness on first use, so a key (or configuration) carried from one world
// to the next would shift the stream.
class ReusedContextTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ReusedContextTest, AWorldOnAReusedContextWritesTheSameTrace) {
  const std::string key = GetParam();
  const std::string text = R"(
    name: "reuse" seed: 1
    network { default_link { latency_us: 10000 } }
    endpoints { name: "server" role: SERVER address: "10.0.0.1" port: 4433
                dtls { certificate_chain: ")" + key + R"(.pem" private_key: ")" + key +
                           R"(.key.pem" } }
    endpoints { name: "client" role: CLIENT address: "10.0.0.2" server: "server"
                dtls { verify_mode: "VerifyNone" } }
    actions { at_ms: 500 endpoint: "client" send { payload: "ping" } }
  )";
  LoadedScenario loaded;
  std::string error;
  ASSERT_TRUE(parseScenarioText(text, "reuse.textproto", std::string(DTLSIM_TEST_DATA_DIR) + "/certs",
                                &loaded, &error))
      << error;
  const auto run = [&](std::uint64_t seed) {
    dtlsim::Trace trace;
    RunOptions options;
    options.seed = seed;
    std::string why;
    EXPECT_TRUE(runScenario(loaded, options, &trace, &why)) << why;
    EXPECT_TRUE(trace.outcome().passed());
    return trace.SerializeAsString();
  };
  std::string fresh;
  std::thread([&] { fresh = run(3); }).join();
  ASSERT_FALSE(fresh.empty());
  (void)run(11);
  EXPECT_EQ(run(3), fresh);
  EXPECT_NE(run(4), fresh);
}

INSTANTIATE_TEST_SUITE_P(ServerKeys, ReusedContextTest, ::testing::Values("server", "server-rsa"),
                         [](const auto& row) {
                           return std::string(row.param) == "server" ? "Ec" : "Rsa";
                         });

}  // namespace
}  // namespace scenarios
