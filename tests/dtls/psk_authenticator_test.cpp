#include "dtls/psk_authenticator.h"

#include <gtest/gtest.h>

namespace dtls {
namespace {

TEST(PreSharedKeyAuthenticatorTest, DefaultIsEmpty) {
  const PreSharedKeyAuthenticator auth;
  EXPECT_EQ(auth.identityHint(), "");
  EXPECT_EQ(auth.identity(), "");
  EXPECT_EQ(auth.preSharedKey(), "");
  EXPECT_EQ(auth.maximumIdentityLength(), 0);
  EXPECT_EQ(auth.maximumPreSharedKeyLength(), 0);
}

TEST(PreSharedKeyAuthenticatorTest, InternalConstructorFillsWhatOpenSslReports) {
  const PreSharedKeyAuthenticator auth("hint", 128, 512);
  EXPECT_EQ(auth.identityHint(), "hint");
  EXPECT_EQ(auth.maximumIdentityLength(), 128);
  EXPECT_EQ(auth.maximumPreSharedKeyLength(), 512);
  EXPECT_EQ(PreSharedKeyAuthenticator("", -5, -1).maximumIdentityLength(), 0);
  EXPECT_EQ(PreSharedKeyAuthenticator("", -5, -1).maximumPreSharedKeyLength(), 0);
}

TEST(PreSharedKeyAuthenticatorTest, SettersRoundTripBinaryAndOverlongValues) {
  PreSharedKeyAuthenticator auth("", 4, 4);
  const ByteArray key("\x00\x01\xff\x7f\x00zz", 7);
  auth.setIdentity("client-identity");
  auth.setPreSharedKey(key);
  EXPECT_EQ(auth.identity(), "client-identity");  // longer than the maximum: kept whole
  EXPECT_EQ(auth.preSharedKey(), key);
  EXPECT_EQ(auth.preSharedKey().size(), 7u);
}

TEST(PreSharedKeyAuthenticatorTest, EqualityComparesEveryField) {
  PreSharedKeyAuthenticator base("hint", 128, 512);
  base.setIdentity("id");
  base.setPreSharedKey("key");
  PreSharedKeyAuthenticator same = base;
  EXPECT_EQ(base, same);
  struct Row {
    const char* what;
    PreSharedKeyAuthenticator other;
  } rows[] = {
      {"hint", PreSharedKeyAuthenticator("other", 128, 512)},
      {"max identity", PreSharedKeyAuthenticator("hint", 127, 512)},
      {"max psk", PreSharedKeyAuthenticator("hint", 128, 511)},
      {"identity", PreSharedKeyAuthenticator("hint", 128, 512)},
      {"key", PreSharedKeyAuthenticator("hint", 128, 512)},
  };
  for (int i = 0; i < 3; ++i) {
    rows[i].other.setIdentity("id");
    rows[i].other.setPreSharedKey("key");
  }
  rows[3].other.setIdentity("ID");
  rows[3].other.setPreSharedKey("key");
  rows[4].other.setIdentity("id");
  rows[4].other.setPreSharedKey("KEY");
  for (const Row& row : rows) {
    EXPECT_NE(base, row.other) << row.what;
    EXPECT_FALSE(base == row.other) << row.what;
  }
}

TEST(PreSharedKeyAuthenticatorTest, Swap) {
  PreSharedKeyAuthenticator a("hint", 1, 2);
  a.setIdentity("a");
  PreSharedKeyAuthenticator b;
  b.setPreSharedKey("b");
  const PreSharedKeyAuthenticator oldA = a;
  const PreSharedKeyAuthenticator oldB = b;
  a.swap(b);
  EXPECT_EQ(a, oldB);
  EXPECT_EQ(b, oldA);
  swap(a, b);
  EXPECT_EQ(a, oldA);
}

}  // namespace
}  // namespace dtls
