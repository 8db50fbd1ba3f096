// Scenario.endpoint_groups: one block for N endpoints with their actions and expectations,
// expanded by the loader where the block stands, with errors pointing at the block's text.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/scenario_file.h"

namespace scenarios {
namespace {

constexpr char kServer[] =
    "endpoints { name: \"server\" role: SERVER address: \"10.0.0.1\" port: 4433 }\n";

bool parse(const std::string& text, LoadedScenario* out, std::string* error) {
  return parseScenarioText(text, "g.textproto", ".", out, error);
}

TEST(EndpointGroupsTest, MembersGetIndexedNamesAddressesPortsAndStarts) {
  const std::string text = std::string(kServer) +
                           "endpoint_groups {\n"
                           "  count: 3 address_step: 2 port_step: 10 start_step_ms: 25\n"
                           "  endpoint { name: \"c{i}\" role: CLIENT address: \"10.0.1.254\"\n"
                           "             port: 5000 server: \"server\" start_ms: 100 }\n"
                           "  actions { at_ms: 900 send { payload: \"ping {name} #{i}\" } }\n"
                           "  actions { at_ms: 950 endpoint: \"server\" send { payload: \"to {name}\" } }\n"
                           "  expectations { delivered: \"pong {name}\" }\n"
                           "}\n";
  LoadedScenario s;
  std::string error;
  ASSERT_TRUE(parse(text, &s, &error)) << error;
  ASSERT_EQ(s.scenario.endpoints_size(), 4);
  EXPECT_EQ(s.scenario.endpoint_groups_size(), 0);
  const auto& c2 = s.scenario.endpoints(3);
  EXPECT_EQ(c2.name(), "c2");
  EXPECT_EQ(c2.address(), "10.0.2.2");  // 10.0.1.254 + 4, carried into the next octet
  EXPECT_EQ(c2.port(), 5020u);
  EXPECT_EQ(c2.start_ms(), 150u);
  // Each action for every member, first action first; an action that names an endpoint keeps it.
  ASSERT_EQ(s.scenario.actions_size(), 6);
  EXPECT_EQ(s.scenario.actions(1).endpoint(), "c1");
  EXPECT_EQ(s.scenario.actions(1).send().payload(), "ping c1 #1");
  EXPECT_EQ(s.scenario.actions(4).endpoint(), "server");
  EXPECT_EQ(s.scenario.actions(4).send().payload(), "to c1");
  ASSERT_EQ(s.scenario.expectations_size(), 3);
  EXPECT_EQ(s.scenario.expectations(2).endpoint(), "c2");
  EXPECT_EQ(s.scenario.expectations(2).delivered(0), "pong c2");
}

TEST(EndpointGroupsTest, TheExpansionStandsWhereTheGroupStands) {
  const std::string text = "endpoints { name: \"server\" role: SERVER address: \"fd00::100\" "
                           "port: 4433 }\n"
                           "expectations { endpoint: \"server\" delivered_count: 1 }\n"
                           "endpoint_groups {\n"
                           "  count: 2 address_step: 1\n"
                           "  endpoint { name: \"c{i}\" role: CLIENT address: \"fd00::1\" server: \"server\" }\n"
                           "  expectations { final_state: \"HandshakeComplete\" }\n"
                           "}\n"
                           "endpoints { name: \"late\" role: CLIENT address: \"fd00::2:1\" server: \"server\" }\n"
                           "expectations { endpoint: \"server\" max_delivered_count: 3 }\n";
  LoadedScenario s;
  std::string error;
  ASSERT_TRUE(parse(text, &s, &error)) << error;
  ASSERT_EQ(s.scenario.endpoints_size(), 4);
  EXPECT_EQ(s.scenario.endpoints(1).address(), "fd00::1");
  EXPECT_EQ(s.scenario.endpoints(2).address(), "fd00::2");
  EXPECT_EQ(s.scenario.endpoints(3).name(), "late");
  ASSERT_EQ(s.scenario.expectations_size(), 4);
  EXPECT_EQ(s.scenario.expectations(0).delivered_count(), 1u);
  EXPECT_EQ(s.scenario.expectations(1).endpoint(), "c0");
  EXPECT_EQ(s.scenario.expectations(3).max_delivered_count(), 3u);
  // A member's fields point at the group's text; the entries after it at their own.
  EXPECT_EQ(s.locations.at("endpoints[2].address"), "g.textproto:5:40");
  EXPECT_EQ(s.locations.at("endpoints[3]"), "g.textproto:8:1");
  EXPECT_EQ(s.locations.at("expectations[3]"), "g.textproto:9:1");
}

TEST(EndpointGroupsTest, ABadGroupIsAnErrorAtItsText) {
  LoadedScenario s;
  std::string error;
  const auto group = [](const std::string& fields, const std::string& endpoint) {
    return std::string(kServer) + "endpoint_groups {\n  " + fields + "\n  endpoint { " + endpoint +
           " }\n}\n";
  };
  const std::string client = "role: CLIENT server: \"server\" ";
  EXPECT_FALSE(parse(group("count: 0", client + "name: \"c{i}\" address: \"10.0.1.1\""), &s, &error));
  EXPECT_EQ(error, "g.textproto:3:3: endpoint_groups[0].count: must be in 1..100000, got 0");
  EXPECT_FALSE(parse(group("count: 2 address_step: 1", client + "name: \"c\" address: \"10.0.1.1\""),
                     &s, &error));
  EXPECT_EQ(error, "g.textproto:4:44: endpoint_groups[0].endpoint.name: 'c' has no {i}: the "
                   "group's members need names of their own");
  EXPECT_FALSE(parse(group("count: 2", client + "name: \"c{i}\" address: \"10.0.1.1\""), &s, &error));
  EXPECT_EQ(error, "g.textproto:2:1: endpoint_groups[0].address_step: 0 with no port_step and "
                   "port: every member would have the same address and port");
  EXPECT_FALSE(parse(group("count: 3 address_step: 1",
                           client + "name: \"c{i}\" address: \"255.255.255.254\""),
                     &s, &error));
  EXPECT_EQ(error.rfind("g.textproto:4:57: endpoint_groups[0].endpoint.address: '255.255.255.254' "
                        "is not an address literal, or member 2 runs past the last address",
                        0),
            0u)
      << error;
  EXPECT_FALSE(parse(group("count: 100000 address_step: 1 actions { start {} } actions { start {} }",
                           client + "name: \"c{i}\" address: \"10.0.0.2\""),
                     &s, &error));
  EXPECT_EQ(error, "g.textproto:2:1: endpoint_groups[0]: the groups up to this one stand for "
                   "300000 endpoints, actions and expectations, more than the bound of 200000");
  // The validator's own errors on a member point at the group's text too.
  EXPECT_FALSE(parse(group("count: 2 address_step: 1",
                           "role: CLIENT server: \"nobody\" name: \"c{i}\" address: \"10.0.1.1\""),
                     &s, &error));
  EXPECT_EQ(error.rfind("g.textproto:4:", 0), 0u) << error;
  EXPECT_NE(error.find("endpoints[1].server"), std::string::npos) << error;
}

}  // namespace
}  // namespace scenarios
