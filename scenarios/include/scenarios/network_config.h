// scenarios/network_config.h — a scenario's network section as simnet objects (DESIGN.md §5).
//
// Units: the scenario writes times in ms and delays in us (names say which); simnet works in
// microseconds throughout. Every conversion here is a pure function of a validated scenario;
// configureNetwork applies them to a Network and turns simnet's own Status errors (which
// should not happen after validateScenario) into file:line:column errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dtlsim/scenario.pb.h"
#include "scenarios/scenario_file.h"
#include "simnet/address.h"
#include "simnet/fault_rules.h"
#include "simnet/link_model.h"
#include "simnet/network.h"

namespace scenarios {

// Parses an IPv4 or IPv6 literal as simnet does (simnet::Address::parse); nullopt otherwise.
// Surrounding brackets ("[fd00::1]") are accepted.
std::optional<simnet::Address> toSimAddress(const std::string& text);

// The address of endpoint `endpoint_index` (precondition: a validated scenario and a valid
// index).
simnet::Address endpointAddress(const LoadedScenario& loaded, int endpoint_index);

// The LinkModel of a scenario Link, with the proto's "0 means" defaults applied: mtu_bytes 0 →
// 65535, duplicate_copies 0 → 1, corrupt_bit_flips 0 → 1, queue_capacity_bytes 0 → 65536,
// pareto_shape 0 → 2.0; burst_loss enabled when the message is present; jitter kinds map
// one to one. Delays are already in us.
simnet::LinkModel toLinkModel(const dtlsim::Link& link);

// Partition `index` of the network section: endpoint names → addresses, from_ms/until_ms →
// us (until_ms 0 → kTimeNever), clog → Mode::kClog. Returns false with a positioned error for
// an unknown endpoint name.
bool toPartition(const LoadedScenario& loaded, int index, simnet::Partition* out,
                 std::string* error);

// Rule `index` of the network section: from/to names → addresses; path_index (1-based, 0 any)
// → 0-based optional; from_ms/until_ms → us (until_ms 0 → kTimeNever); label (empty → unset);
// epoch set only when match_epoch; occurrence 0 → unset; action kind, count (0 → 1),
// delay_us, truncate_to_bytes, hold_until_ms → us. Returns false with a positioned error for
// an unknown endpoint name or an epoch outside [0, 65535].
bool toFaultRule(const LoadedScenario& loaded, int index, simnet::FaultRule* out,
                 std::string* error);

// Configures `net` (which should be fresh: no hosts yet) from the scenario: one host per
// distinct endpoint address, in order of first use, owning that address and named after its
// endpoints ("srv", or "cli+cli2" when two endpoints share an address); *host_ids (if not
// null) receives each endpoint's HostId, indexed like `endpoints`. Then the default link,
// each link override (one direction), each partition and each rule, in file order. Endpoints
// sharing an address share that address's link overrides, partitions and rules. Does NOT
// install a classifier, observer or replay log (explicit_faults: see decisions_io.h; the
// World decides between replay and recording).
bool configureNetwork(const LoadedScenario& loaded, simnet::Network& net, std::string* error,
                      std::vector<simnet::HostId>* host_ids = nullptr);
// The second half of configureNetwork, for a network whose hosts already exist (a Simulation
// adds its hosts one by one, simulation.h): the default link, the overrides, the partitions
// and the rules, in file order.
bool configureLinksAndFaults(const LoadedScenario& loaded, simnet::Network& net,
                             std::string* error);

}  // namespace scenarios
