#include "dtls/wire/client_hello.h"

#include <gtest/gtest.h>

#include "dtls/wire/names.h"
#include "wire/wire_builder.h"

namespace dtls::wire {
namespace {

using testing::clientHelloBody;
using testing::handshake;
using testing::record;

TEST(ClientHelloTest, ExtractsCookieAndRandom) {
  const std::string body = clientHelloBody("COOKIE-0123456789", 'Q', "sid");
  const ClientHelloResult parsed = parseClientHello(body);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.hello.client_version, kDtls1_2Version);
  EXPECT_EQ(parsed.hello.random, std::string(32, 'Q'));
  EXPECT_EQ(parsed.hello.session_id, "sid");
  EXPECT_EQ(parsed.hello.cookie, "COOKIE-0123456789");
  EXPECT_EQ(parsed.hello.cipherSuites(), (std::vector<std::uint16_t>{0xc02b, 0x00ff}));
  EXPECT_EQ(parsed.hello.compression_methods, std::string(1, '\0'));
  EXPECT_EQ(parsed.hello.extension_types, std::vector<std::uint16_t>{0x0017});
}

TEST(ClientHelloTest, ParsesRealOpenSslClientHello) {
  const std::string datagram = testing::opensslClientHello();
  const auto hello = findClientHello(decodeDatagram(datagram));
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(hello->client_version, kDtls1_2Version);
  EXPECT_EQ(hello->random, testing::fromHex("6d292bf2d0545fc3dc81422336be4c4cb85b28504638719f6aeaa"
                                            "53e654cbd4b"));
  EXPECT_TRUE(hello->cookie.empty());  // the first ClientHello, before HelloVerifyRequest
  EXPECT_TRUE(hello->session_id.empty());
  EXPECT_EQ(hello->cipherSuites().size(), 28u);
  EXPECT_EQ(hello->cipherSuites().back(), 0x00ff);  // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
  EXPECT_EQ(hello->extension_types,
            (std::vector<std::uint16_t>{0x000b, 0x000a, 0x0023, 0x0016, 0x0017, 0x000d}));
}

TEST(ClientHelloTest, NoExtensionsIsValid) {
  std::string body = clientHelloBody("");
  body.resize(body.size() - 6);  // drop the extensions block
  const ClientHelloResult parsed = parseClientHello(body);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(parsed.hello.extension_types.empty());
}

TEST(ClientHelloTest, ReportsProblemsWithBodyOffsets) {
  const std::string good = clientHelloBody("cookie");
  // client_version 2 + random 32 = 34: session_id length at 34, cookie length at 35.
  std::string long_cookie = good.substr(0, 35) + std::string(1, '\x14') + "abc";
  std::string big_session = good.substr(0, 34) + std::string(1, '\x21') + std::string(40, 's');
  std::string odd_suites = good;
  odd_suites[35 + 1 + 6 + 1] = 3;  // cipher_suites length 0x0003
  EXPECT_EQ(parseClientHello("abc").error(),
            "client_version and random need 34 bytes, the body has 3");
  EXPECT_EQ(parseClientHello(long_cookie).error(),
            "cookie at body offset 35: needs 20 bytes, 3 remain");
  EXPECT_EQ(parseClientHello(big_session).error(),
            "session_id at body offset 34: 33 bytes, at most 32");
  EXPECT_EQ(parseClientHello(odd_suites).error(),
            "cipher_suites at body offset 42: length 3 is not a positive even number");
  EXPECT_EQ(parseClientHello(good + "x").error(), "1 trailing bytes at body offset 56");
  EXPECT_EQ(parseClientHello(good.substr(0, 34)).error(),
            "session_id at body offset 34: length needs 1 bytes, 0 remain");
}

TEST(ClientHelloTest, EveryTruncationFailsWithoutCrash) {
  const std::string good = clientHelloBody("cookie", 'r', "session");
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    const std::string prefix = good.substr(0, cut);
    const ClientHelloResult parsed = parseClientHello(prefix);
    // The only valid prefix is the one that ends right before the extensions block.
    EXPECT_EQ(parsed.ok(), cut == good.size() - 6) << "cut at " << cut << ": " << parsed.error();
  }
}

TEST(ClientHelloTest, FindSkipsFragmentedClientHello) {
  const std::string body = clientHelloBody("c");
  const std::string datagram =
      record(22, 0, 0, handshake(1, 1, std::string_view(body).substr(0, 20), 0,
                                 static_cast<std::uint32_t>(body.size())));
  EXPECT_FALSE(findClientHello(decodeDatagram(datagram)).has_value());
  const std::string whole = record(22, 0, 1, handshake(1, 1, body));
  const auto hello = findClientHello(decodeDatagram(whole));
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(hello->cookie, "c");
}

TEST(ClientHelloTest, GarbageNeverCrashes) {
  // Deterministic garbage (fixed seed, LCG), half of it a valid body with corrupted bytes.
  std::uint64_t state = 301;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint8_t>(state >> 56);
  };
  const std::string valid = clientHelloBody("cookie", 'r', "sid");
  for (int round = 0; round < 2000; ++round) {
    std::string body = valid;
    if (round % 2 == 0) {
      body.resize(next() % 80);
      for (char& c : body) c = static_cast<char>(next());
    } else {
      body[next() % body.size()] = static_cast<char>(next());
    }
    const ClientHelloResult parsed = parseClientHello(body);
    EXPECT_LE(parsed.hello.cookie.size(), kMaxCookieBytes);
    std::string error;
    parseHelloVerifyRequest(body, &error);
  }
}

TEST(HelloVerifyRequestTest, ParsesCookie) {
  std::string body = "\xfe\xff";
  body += '\x04';
  body += "abcd";
  std::string error;
  const auto request = parseHelloVerifyRequest(body, &error);
  ASSERT_TRUE(request.has_value()) << error;
  EXPECT_EQ(request->server_version, kDtls1_0Version);
  EXPECT_EQ(request->cookie, "abcd");
  EXPECT_FALSE(parseHelloVerifyRequest(body.substr(0, 5), &error).has_value());
  EXPECT_EQ(error, "cookie at body offset 2: needs 4 bytes, 2 remain");
  EXPECT_FALSE(parseHelloVerifyRequest(body + "z", &error).has_value());
  EXPECT_EQ(error, "1 trailing bytes at body offset 7");
}

}  // namespace
}  // namespace dtls::wire
