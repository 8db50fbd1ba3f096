#include "simnet/address.h"

#include <gtest/gtest.h>

namespace simnet {
namespace {

struct RoundTrip {
  const char* in;
  const char* out;
};

class AddressRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(AddressRoundTrip, ParsesAndFormatsCanonically) {
  const auto a = Address::parse(GetParam().in);
  ASSERT_TRUE(a.has_value()) << GetParam().in;
  EXPECT_EQ(a->toString(), GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(Table, AddressRoundTrip,
                         ::testing::Values(RoundTrip{"10.0.0.1", "10.0.0.1"},
                                           RoundTrip{"255.255.255.255", "255.255.255.255"},
                                           RoundTrip{"::", "::"}, RoundTrip{"::1", "::1"},
                                           RoundTrip{"fd00::1", "fd00::1"},
                                           RoundTrip{"FD00:0:0:0:0:0:0:1", "fd00::1"},
                                           RoundTrip{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
                                           RoundTrip{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}));

TEST(AddressTest, RejectsMalformedText) {
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "10.0.0.1.2", "1..2.3", "a.b.c.d", ":::", "1::2::3",
                          "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7"}) {
    EXPECT_FALSE(Address::parse(bad).has_value()) << bad;
  }
}

TEST(AddressTest, FamiliesAndEndpoints) {
  const Address v4 = *Address::parse("10.0.0.1");
  const Address v6 = *Address::parse("fd00::1");
  EXPECT_TRUE(v4.isV4());
  EXPECT_EQ(v6.family(), Family::kIPv6);
  EXPECT_NE(v4, v6);
  EXPECT_EQ(v4, Address::v4(10, 0, 0, 1));
  EXPECT_EQ((Endpoint{v4, 443}).toString(), "10.0.0.1:443");
  EXPECT_EQ((Endpoint{v6, 443}).toString(), "[fd00::1]:443");
}

}  // namespace
}  // namespace simnet
