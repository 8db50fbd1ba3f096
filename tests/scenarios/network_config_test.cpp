// Tests of scenarios/loader/network_config.cpp: scenario network sections become the expected
// simnet LinkModel, Partition and FaultRule values, and a Network accepts them.

#include "scenarios/network_config.h"

#include <gtest/gtest.h>

namespace scenarios {
namespace {

const std::string kDataDir = std::string(DTLSIM_TEST_DATA_DIR) + "/scenarios";

class NetworkConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(loadScenarioFile(kDataDir + "/full.textproto", &loaded_, &error)) << error;
  }
  LoadedScenario loaded_;
};

simnet::Address addr(const char* text) { return *simnet::Address::parse(text); }

TEST(ToSimAddressTest, Forms) {
  EXPECT_EQ(toSimAddress("10.0.0.1"), simnet::Address::v4(10, 0, 0, 1));
  EXPECT_EQ(toSimAddress("fd00::1")->toString(), "fd00::1");
  EXPECT_EQ(toSimAddress("[fd00::1]")->toString(), "fd00::1");
  EXPECT_EQ(toSimAddress("host"), std::nullopt);
  EXPECT_EQ(toSimAddress(""), std::nullopt);
}

TEST_F(NetworkConfigTest, DefaultLinkFields) {
  const simnet::LinkModel m = toLinkModel(loaded_.scenario.network().default_link());
  EXPECT_EQ(m.latency_us, 20000);
  EXPECT_EQ(m.jitter.kind, simnet::JitterModel::Kind::kPareto);
  EXPECT_EQ(m.jitter.jitter_us, 3000);
  EXPECT_EQ(m.jitter.pareto_shape, 1.5);
  EXPECT_EQ(m.loss_probability, 0.05);
  EXPECT_TRUE(m.burst_loss.enabled);
  EXPECT_EQ(m.burst_loss.p_good_to_bad, 0.01);
  EXPECT_EQ(m.burst_loss.r_bad_to_good, 0.5);
  EXPECT_EQ(m.burst_loss.bad_loss_probability, 1.0);
  EXPECT_EQ(m.burst_loss.good_loss_probability, 0.0);
  EXPECT_EQ(m.duplicate_probability, 0.02);
  EXPECT_EQ(m.duplicate_copies, 2u);
  EXPECT_EQ(m.reorder_probability, 0.1);
  EXPECT_EQ(m.reorder_extra_delay_us, 7000);
  EXPECT_EQ(m.corrupt_probability, 0.001);
  EXPECT_EQ(m.corrupt_bit_flips, 3u);
  EXPECT_EQ(m.truncate_probability, 0.002);
  EXPECT_EQ(m.mtu_bytes, 1200u);
  EXPECT_TRUE(m.report_mtu_to_sender);
  EXPECT_EQ(m.bandwidth_bytes_per_second, 125000u);
  EXPECT_EQ(m.queue_capacity_bytes, 30000u);
  EXPECT_TRUE(simnet::validateLinkModel(m, "default").ok());
}

TEST(ToLinkModelTest, ZeroMeansDefaults) {
  const simnet::LinkModel m = toLinkModel(dtlsim::Link());
  const simnet::LinkModel d;
  EXPECT_EQ(m.latency_us, 0);
  EXPECT_EQ(m.jitter.kind, simnet::JitterModel::Kind::kNone);
  EXPECT_EQ(m.jitter.pareto_shape, 2.0);
  EXPECT_FALSE(m.burst_loss.enabled);
  EXPECT_EQ(m.duplicate_copies, 1u);
  EXPECT_EQ(m.corrupt_bit_flips, 1u);
  EXPECT_EQ(m.mtu_bytes, 65535u);
  EXPECT_EQ(m.queue_capacity_bytes, 65536u);
  EXPECT_EQ(m.bandwidth_bytes_per_second, 0u);
  EXPECT_EQ(m.jitter.jitter_max_us, d.jitter.jitter_max_us);
  EXPECT_TRUE(simnet::validateLinkModel(m, "zero").ok());
}

TEST(ToLinkModelTest, JitterKinds) {
  const std::pair<dtlsim::Jitter::Kind, simnet::JitterModel::Kind> kinds[] = {
      {dtlsim::Jitter::NONE, simnet::JitterModel::Kind::kNone},
      {dtlsim::Jitter::UNIFORM, simnet::JitterModel::Kind::kUniform},
      {dtlsim::Jitter::NORMAL, simnet::JitterModel::Kind::kNormal},
      {dtlsim::Jitter::PARETO, simnet::JitterModel::Kind::kPareto},
  };
  for (const auto& [from, to] : kinds) {
    dtlsim::Link link;
    link.mutable_jitter()->set_kind(from);
    EXPECT_EQ(toLinkModel(link).jitter.kind, to) << dtlsim::Jitter::Kind_Name(from);
  }
}

TEST_F(NetworkConfigTest, Partitions) {
  simnet::Partition p;
  std::string error;
  ASSERT_TRUE(toPartition(loaded_, 0, &p, &error)) << error;
  EXPECT_EQ(p.side_a, std::vector<simnet::Address>{addr("10.0.0.2")});
  EXPECT_EQ(p.side_b, std::vector<simnet::Address>{addr("10.0.0.1")});
  EXPECT_EQ(p.from_us, 1000 * 1000);
  EXPECT_EQ(p.until_us, 2500 * 1000);
  EXPECT_TRUE(p.one_way);
  EXPECT_EQ(p.mode, simnet::Partition::Mode::kClog);
  ASSERT_TRUE(toPartition(loaded_, 1, &p, &error)) << error;
  EXPECT_EQ(p.from_us, 3000 * 1000);
  EXPECT_EQ(p.until_us, simnet::kTimeNever);
  EXPECT_FALSE(p.one_way);
  EXPECT_EQ(p.mode, simnet::Partition::Mode::kDrop);
}

TEST_F(NetworkConfigTest, RuleWithEveryMatchField) {
  simnet::FaultRule r;
  std::string error;
  ASSERT_TRUE(toFaultRule(loaded_, 0, &r, &error)) << error;
  EXPECT_EQ(r.name, "drop-second-finished");
  EXPECT_EQ(r.match.source, addr("10.0.0.2"));
  EXPECT_EQ(r.match.destination, addr("10.0.0.1"));
  EXPECT_TRUE(r.match.both_directions);
  EXPECT_EQ(r.match.path_index, 2u);  // 1-based 3 in the file
  EXPECT_EQ(r.match.from_us, 10 * 1000);
  EXPECT_EQ(r.match.until_us, 20000 * 1000);
  EXPECT_EQ(r.match.label, "handshake:finished");
  EXPECT_EQ(r.match.epoch, 1);
  EXPECT_EQ(r.match.occurrence, 2u);
  EXPECT_EQ(r.action.kind, simnet::RuleAction::Kind::kDrop);
}

TEST_F(NetworkConfigTest, RuleActions) {
  simnet::FaultRule r;
  std::string error;
  ASSERT_TRUE(toFaultRule(loaded_, 1, &r, &error)) << error;
  EXPECT_EQ(r.name, "hold-hello");
  EXPECT_EQ(r.match.source, std::nullopt);
  EXPECT_EQ(r.match.destination, std::nullopt);
  EXPECT_EQ(r.match.path_index, std::nullopt);
  EXPECT_EQ(r.match.until_us, simnet::kTimeNever);
  EXPECT_EQ(r.match.epoch, std::nullopt);
  EXPECT_EQ(r.match.occurrence, std::nullopt);
  EXPECT_EQ(r.action.kind, simnet::RuleAction::Kind::kHold);
  EXPECT_EQ(r.action.hold_until_us, 4000 * 1000);

  ASSERT_TRUE(toFaultRule(loaded_, 2, &r, &error)) << error;
  EXPECT_EQ(r.name, "rules[2]");
  EXPECT_EQ(r.match.source, addr("10.0.0.1"));
  EXPECT_EQ(r.match.label, std::nullopt);
  EXPECT_EQ(r.action.kind, simnet::RuleAction::Kind::kCorrupt);
  EXPECT_EQ(r.action.count, 5u);

  ASSERT_TRUE(toFaultRule(loaded_, 3, &r, &error)) << error;
  EXPECT_EQ(r.match.destination, addr("10.0.0.2"));
  EXPECT_EQ(r.action.kind, simnet::RuleAction::Kind::kDelay);
  EXPECT_EQ(r.action.delay_us, 250000);
  EXPECT_EQ(r.action.count, 1u);
}

TEST_F(NetworkConfigTest, ConfiguresANetwork) {
  simnet::Network net(1);
  std::vector<simnet::HostId> hosts;
  std::string error;
  ASSERT_TRUE(configureNetwork(loaded_, net, &error, &hosts)) << error;
  // cli and cli2 share 10.0.0.2: one host.
  EXPECT_EQ(hosts, (std::vector<simnet::HostId>{hosts[0], hosts[1], hosts[1]}));
  EXPECT_NE(hosts[0], hosts[1]);
  // Endpoints can bind their ports.
  EXPECT_TRUE(net.bind(addr("10.0.0.1"), 4433).ok());
  EXPECT_TRUE(net.bind(addr("10.0.0.2"), 5000).ok());
  EXPECT_FALSE(net.bind(addr("10.0.0.3"), 1).ok());
}

TEST_F(NetworkConfigTest, MinimalScenario) {
  LoadedScenario minimal;
  std::string error;
  ASSERT_TRUE(loadScenarioFile(kDataDir + "/minimal.textproto", &minimal, &error)) << error;
  simnet::Network net(1);
  ASSERT_TRUE(configureNetwork(minimal, net, &error)) << error;
  EXPECT_EQ(endpointAddress(minimal, 1).toString(), "fd00::2");
}

TEST_F(NetworkConfigTest, SimnetErrorsGetPositions) {
  // A network that already owns an endpoint's address: simnet refuses the host, and the error
  // points at the endpoints section.
  simnet::Network net(1);
  ASSERT_TRUE(net.addHost("other", {addr("10.0.0.1")}).ok());
  std::string error;
  EXPECT_FALSE(configureNetwork(loaded_, net, &error));
  EXPECT_EQ(error.rfind(kDataDir + "/full.textproto:", 0), 0u) << error;
  EXPECT_NE(error.find(": endpoints: "), std::string::npos) << error;
}

TEST_F(NetworkConfigTest, UnvalidatedNamesGetPositions) {
  loaded_.scenario.mutable_network()->mutable_rules(0)->set_to("ghost");
  simnet::FaultRule r;
  std::string error;
  EXPECT_FALSE(toFaultRule(loaded_, 0, &r, &error));
  EXPECT_EQ(error, kDataDir + "/full.textproto:31:17: network.rules[0].to: no endpoint named 'ghost'");
  loaded_.scenario.mutable_network()->mutable_partitions(1)->set_side_a(0, "ghost");
  simnet::Partition p;
  EXPECT_FALSE(toPartition(loaded_, 1, &p, &error));
  EXPECT_EQ(error, kDataDir + "/full.textproto:28:16: network.partitions[1].side_a[0]: no endpoint named 'ghost'");
}

}  // namespace
}  // namespace scenarios
