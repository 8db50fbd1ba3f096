#include "dtls/host_address.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <unordered_set>

namespace dtls {
namespace {

using P = NetworkLayerProtocol;

struct ParseRow {
  const char* text;
  bool valid;
  P protocol;
  const char* canonical;  // toString() of the parsed address
};

// RFC 4291 §2.2 input forms, RFC 5952 §4 output forms.
const ParseRow kParseRows[] = {
    {"127.0.0.1", true, P::IPv4Protocol, "127.0.0.1"},
    {"0.0.0.0", true, P::IPv4Protocol, "0.0.0.0"},
    {"255.255.255.255", true, P::IPv4Protocol, "255.255.255.255"},
    {"192.0.2.33", true, P::IPv4Protocol, "192.0.2.33"},
    {"::1", true, P::IPv6Protocol, "::1"},
    {"::", true, P::IPv6Protocol, "::"},
    {"[::1]", true, P::IPv6Protocol, "::1"},
    {"::ffff:1.2.3.4", true, P::IPv6Protocol, "::ffff:1.2.3.4"},
    {"0:0:0:0:0:FFFF:102:304", true, P::IPv6Protocol, "::ffff:1.2.3.4"},
    {"2001:DB8:0:0:0:0:2:1", true, P::IPv6Protocol, "2001:db8::2:1"},
    {"2001:db8:0:1:1:1:1:1", true, P::IPv6Protocol, "2001:db8:0:1:1:1:1:1"},  // §4.2.2
    {"2001:db8:0:0:1:0:0:1", true, P::IPv6Protocol, "2001:db8::1:0:0:1"},     // §4.2.3 tie
    {"2001:0:0:1:0:0:0:1", true, P::IPv6Protocol, "2001:0:0:1::1"},           // longest run
    {"2001:db8::", true, P::IPv6Protocol, "2001:db8::"},
    {"fe80::1%eth0", true, P::IPv6Protocol, "fe80::1%eth0"},
    {"1:2:3:4:5:6:7:8", true, P::IPv6Protocol, "1:2:3:4:5:6:7:8"},
    {"1:2:3:4:5:6:1.2.3.4", true, P::IPv6Protocol, "1:2:3:4:5:6:102:304"},
    {"1::2:3:4:5:6:7", true, P::IPv6Protocol, "1:0:2:3:4:5:6:7"},  // "::" for one group
    {"", false, P::UnknownNetworkLayerProtocol, ""},
    {"256.0.0.1", false, P::UnknownNetworkLayerProtocol, ""},
    {"1.2.3", false, P::UnknownNetworkLayerProtocol, ""},
    {"1.2.3.4.5", false, P::UnknownNetworkLayerProtocol, ""},
    {"127.1", false, P::UnknownNetworkLayerProtocol, ""},
    {"010.0.0.1", false, P::UnknownNetworkLayerProtocol, ""},
    {"1.2.3.4%eth0", false, P::UnknownNetworkLayerProtocol, ""},
    {"1.2.3.", false, P::UnknownNetworkLayerProtocol, ""},
    {" 1.2.3.4", false, P::UnknownNetworkLayerProtocol, ""},
    {"1:2:3:4:5:6:7:8:9", false, P::UnknownNetworkLayerProtocol, ""},
    {"1:2:3:4:5:6:7", false, P::UnknownNetworkLayerProtocol, ""},
    {"1::2::3", false, P::UnknownNetworkLayerProtocol, ""},
    {":::", false, P::UnknownNetworkLayerProtocol, ""},
    {":1::", false, P::UnknownNetworkLayerProtocol, ""},
    {"1:2:3:4:5:6:7:8::", false, P::UnknownNetworkLayerProtocol, ""},
    {"12345::", false, P::UnknownNetworkLayerProtocol, ""},
    {"g::1", false, P::UnknownNetworkLayerProtocol, ""},
    {"::1%", false, P::UnknownNetworkLayerProtocol, ""},
    {"[::1", false, P::UnknownNetworkLayerProtocol, ""},
    {"1.2.3.4::", false, P::UnknownNetworkLayerProtocol, ""},
    {"[1.2.3.4]", false, P::UnknownNetworkLayerProtocol, ""},
    {"localhost", false, P::UnknownNetworkLayerProtocol, ""},
};

TEST(HostAddressTest, ParsesAndPrintsCanonicalText) {
  for (const ParseRow& row : kParseRows) {
    SCOPED_TRACE(row.text);
    HostAddress address;
    EXPECT_EQ(address.setAddress(row.text), row.valid);
    EXPECT_EQ(address.protocol(), row.protocol);
    EXPECT_EQ(address.isNull(), !row.valid);
    EXPECT_EQ(address.toString(), row.canonical);
    EXPECT_EQ(HostAddress::fromString(row.text), address);
    if (row.valid) {
      EXPECT_EQ(HostAddress::fromString(address.toString()), address);
    }
  }
}

TEST(HostAddressTest, FailedParseLeavesNull) {
  HostAddress address("10.0.0.1");
  EXPECT_FALSE(address.setAddress("nope"));
  EXPECT_TRUE(address.isNull());
}

TEST(HostAddressTest, FromIPv4Integer) {
  const HostAddress address(std::uint32_t{0xc0000201});
  EXPECT_EQ(address.toString(), "192.0.2.1");
  bool ok = false;
  EXPECT_EQ(address.toIPv4Address(&ok), 0xc0000201u);
  EXPECT_TRUE(ok);
  const HostAddress::IPv6Bytes mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
  EXPECT_EQ(address.toIPv6Address(), mapped);
}

TEST(HostAddressTest, FromIPv6Bytes) {
  HostAddress::IPv6Bytes bytes{};
  bytes[0] = 0x20;
  bytes[1] = 0x01;
  bytes[15] = 7;
  const HostAddress address(bytes);
  EXPECT_EQ(address.protocol(), P::IPv6Protocol);
  EXPECT_EQ(address.toString(), "2001::7");
  EXPECT_EQ(address.toIPv6Address(), bytes);
  bool ok = true;
  EXPECT_EQ(address.toIPv4Address(&ok), 0u);
  EXPECT_FALSE(ok);
}

TEST(HostAddressTest, V4MappedGivesIPv4Address) {
  bool ok = false;
  EXPECT_EQ(HostAddress("::ffff:10.1.2.3").toIPv4Address(&ok), 0x0a010203u);
  EXPECT_TRUE(ok);
}

TEST(HostAddressTest, SpecialAddresses) {
  EXPECT_TRUE(HostAddress(HostAddress::Null).isNull());
  EXPECT_EQ(HostAddress(HostAddress::Broadcast).toString(), "255.255.255.255");
  EXPECT_EQ(HostAddress(HostAddress::LocalHost).toString(), "127.0.0.1");
  EXPECT_EQ(HostAddress(HostAddress::LocalHostIPv6).toString(), "::1");
  EXPECT_EQ(HostAddress(HostAddress::AnyIPv4).toString(), "0.0.0.0");
  EXPECT_EQ(HostAddress(HostAddress::AnyIPv6).toString(), "::");
  EXPECT_EQ(HostAddress(HostAddress::Any).protocol(), P::IPv6Protocol);
  EXPECT_TRUE(HostAddress(HostAddress::Any).isAny());
  EXPECT_TRUE(HostAddress(HostAddress::AnyIPv4).isAny());
}

TEST(HostAddressTest, Predicates) {
  EXPECT_TRUE(HostAddress("127.9.9.9").isLoopback());
  EXPECT_TRUE(HostAddress("::1").isLoopback());
  EXPECT_TRUE(HostAddress("::ffff:127.0.0.1").isLoopback());
  EXPECT_FALSE(HostAddress("::2").isLoopback());
  EXPECT_FALSE(HostAddress().isLoopback());

  EXPECT_TRUE(HostAddress("224.0.0.1").isMulticast());
  EXPECT_TRUE(HostAddress("239.255.255.255").isMulticast());
  EXPECT_FALSE(HostAddress("240.0.0.1").isMulticast());
  EXPECT_TRUE(HostAddress("ff02::1").isMulticast());
  EXPECT_TRUE(HostAddress("::ffff:224.0.0.251").isMulticast());
  EXPECT_FALSE(HostAddress("fe80::1").isMulticast());

  EXPECT_TRUE(HostAddress("255.255.255.255").isBroadcast());
  EXPECT_FALSE(HostAddress("192.168.1.255").isBroadcast());
  EXPECT_FALSE(HostAddress("ff02::1").isBroadcast());

  EXPECT_TRUE(HostAddress("169.254.1.1").isLinkLocal());
  EXPECT_TRUE(HostAddress("fe80::1%2").isLinkLocal());
  EXPECT_TRUE(HostAddress("febf::1").isLinkLocal());
  EXPECT_FALSE(HostAddress("fec0::1").isLinkLocal());
  EXPECT_FALSE(HostAddress("10.0.0.1").isLinkLocal());
}

TEST(HostAddressTest, ScopeId) {
  HostAddress address("fe80::1%eth0");
  EXPECT_EQ(address.scopeId(), "eth0");
  EXPECT_NE(address, HostAddress("fe80::1"));
  address.setScopeId("");
  EXPECT_EQ(address, HostAddress("fe80::1"));
  HostAddress v4("10.0.0.1");
  v4.setScopeId("eth0");
  EXPECT_EQ(v4.scopeId(), "");
}

TEST(HostAddressTest, StrictEqualityKeepsFamiliesApart) {
  const HostAddress v4("1.2.3.4");
  const HostAddress mapped("::ffff:1.2.3.4");
  EXPECT_NE(v4, mapped);
  EXPECT_FALSE(v4.isEqual(mapped, HostAddress::StrictConversion));
  EXPECT_TRUE(v4.isEqual(mapped, HostAddress::ConvertV4MappedToIPv4));
  EXPECT_TRUE(mapped.isEqual(v4));  // TolerantConversion by default
  EXPECT_EQ(HostAddress(), HostAddress());
  EXPECT_NE(HostAddress(), HostAddress("0.0.0.0"));
  EXPECT_FALSE(HostAddress().isEqual(HostAddress("::")));
}

TEST(HostAddressTest, ConversionModes) {
  const HostAddress any4("0.0.0.0");
  const HostAddress any6("::");
  const HostAddress lo4("127.0.0.1");
  const HostAddress lo6("::1");
  EXPECT_FALSE(any4.isEqual(any6, HostAddress::ConvertV4MappedToIPv4));
  EXPECT_TRUE(any4.isEqual(any6, HostAddress::ConvertUnspecifiedAddress));
  EXPECT_FALSE(lo4.isEqual(lo6, HostAddress::ConvertV4MappedToIPv4));
  EXPECT_TRUE(lo4.isEqual(lo6, HostAddress::ConvertLocalHost));
  EXPECT_TRUE(HostAddress("::1.2.3.4").isEqual(HostAddress("1.2.3.4"),
                                               HostAddress::ConvertV4CompatToIPv4));
  EXPECT_FALSE(HostAddress("::1.2.3.4").isEqual(HostAddress("1.2.3.4"),
                                                HostAddress::ConvertV4MappedToIPv4));
  EXPECT_FALSE(HostAddress("::ffff:1.2.3.5").isEqual(HostAddress("1.2.3.4")));
}

TEST(HostAddressTest, TotalOrderAndHashForContainers) {
  const HostAddress addresses[] = {HostAddress(), HostAddress("0.0.0.1"), HostAddress("10.0.0.1"),
                                   HostAddress("::"), HostAddress("::1"),
                                   HostAddress("::1%lo"), HostAddress("::ffff:10.0.0.1")};
  std::map<HostAddress, int> ordered;
  std::unordered_set<HostAddress> hashed;
  for (const HostAddress& a : addresses) {
    ordered[a] = 1;
    hashed.insert(a);
    EXPECT_FALSE(a < a);
    EXPECT_EQ(std::hash<HostAddress>{}(a), std::hash<HostAddress>{}(HostAddress(a)));
  }
  EXPECT_EQ(ordered.size(), std::size(addresses));
  EXPECT_EQ(hashed.size(), std::size(addresses));
  for (std::size_t i = 0; i + 1 < std::size(addresses); ++i) {
    EXPECT_TRUE(addresses[i] < addresses[i + 1]) << i;
    EXPECT_FALSE(addresses[i + 1] < addresses[i]) << i;
  }
}

}  // namespace
}  // namespace dtls
