#include "dtls/elliptic_curve.h"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>

#include <unordered_set>

namespace dtls {
namespace {

struct CurveRow {
  const char* shortName;
  const char* longName;
  int nid;
  bool tlsNamed;
};

class EllipticCurveNamesTest : public testing::TestWithParam<CurveRow> {};

TEST_P(EllipticCurveNamesTest, ShortAndLongNamesRoundTrip) {
  const CurveRow& row = GetParam();
  const EllipticCurve byShort = EllipticCurve::fromShortName(row.shortName);
  ASSERT_TRUE(byShort.isValid()) << row.shortName;
  EXPECT_EQ(byShort.id(), row.nid);
  EXPECT_EQ(byShort.shortName(), row.shortName);
  EXPECT_EQ(byShort.longName(), row.longName);
  EXPECT_EQ(byShort.isTlsNamedCurve(), row.tlsNamed);
  EXPECT_EQ(EllipticCurve::fromLongName(row.longName), byShort);
}

INSTANTIATE_TEST_SUITE_P(
    Curves, EllipticCurveNamesTest,
    testing::Values(
        CurveRow{"prime256v1", "prime256v1",
                 NID_X9_62_prime256v1, true},
        CurveRow{"secp384r1", "secp384r1", NID_secp384r1, true},
        CurveRow{"secp521r1", "secp521r1", NID_secp521r1, true},
        CurveRow{"X25519", "X25519", NID_X25519, true},
        CurveRow{"X448", "X448", NID_X448, true},
        CurveRow{"brainpoolP256r1", "brainpoolP256r1", NID_brainpoolP256r1, true},
        CurveRow{"secp256k1", "secp256k1", NID_secp256k1, true},
        CurveRow{"brainpoolP256t1", "brainpoolP256t1", NID_brainpoolP256t1, false},
        CurveRow{"prime239v1", "prime239v1", NID_X9_62_prime239v1, false},
        CurveRow{"Oakley-EC2N-3", "ipsec3", NID_ipsec3, false}),
    [](const testing::TestParamInfo<CurveRow>& row) {
      std::string name = row.param.shortName;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(EllipticCurveTest, NistNamesAreShortNames) {
  EXPECT_EQ(EllipticCurve::fromShortName("P-256").shortName(), "prime256v1");
  EXPECT_EQ(EllipticCurve::fromShortName("P-384").id(), NID_secp384r1);
}

TEST(EllipticCurveTest, InvalidNames) {
  for (const char* name : {"", "nonsense", "PRIME256V1", "sha256", "ffdhe2048", "ED25519",
                           "rsaEncryption"}) {
    EXPECT_FALSE(EllipticCurve::fromShortName(name).isValid()) << name;
    EXPECT_FALSE(EllipticCurve::fromLongName(name).isValid()) << name;
  }
  // OpenSSL's long name of most curves is the short name; this one differs.
  EXPECT_FALSE(EllipticCurve::fromLongName("Oakley-EC2N-3").isValid());
  EXPECT_FALSE(EllipticCurve::fromShortName("ipsec3").isValid());
}

TEST(EllipticCurveTest, DefaultIsInvalid) {
  constexpr EllipticCurve curve;
  static_assert(!curve.isValid());
  static_assert(curve.id() == 0);
  EXPECT_EQ(curve.shortName(), "");
  EXPECT_EQ(curve.longName(), "");
  EXPECT_FALSE(curve.isTlsNamedCurve());
  EXPECT_EQ(curve, EllipticCurve::fromShortName("nonsense"));
}

TEST(EllipticCurveTest, EqualityAndHash) {
  const EllipticCurve a = EllipticCurve::fromShortName("prime256v1");
  const EllipticCurve b = EllipticCurve::fromShortName("secp384r1");
  EXPECT_EQ(a, EllipticCurve::fromShortName("P-256"));
  EXPECT_NE(a, b);
  EXPECT_EQ(std::hash<EllipticCurve>()(a), std::hash<EllipticCurve>()(EllipticCurve(a)));
  const std::unordered_set<EllipticCurve> set = {a, b, a};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace dtls
