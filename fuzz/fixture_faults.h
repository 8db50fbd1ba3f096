// fuzz/fixture_faults.h — fuzz_faults' scenario and its byte -> DatagramDecision mapping.
#pragma once

#include <cstddef>
#include <cstdint>

#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "simnet/decisions.h"

namespace dtlsim_fuzz {

// Low 3 bits of the byte: the action; the high 5 bits (n = 0..31): its parameter.
//   0, 7  deliver once after the base latency (no entry in the log)
//   1     drop (DropReason::kLoss)
//   2     duplicate: n % 4 + 2 copies, copy k delayed by k * (n + 1) ms more
//   3     delay: (n + 1) * 10 ms
//   4     reorder: (n + 1) * 100 ms, so later datagrams overtake it
//   5     corrupt: flip bit n * 37 (bits past the end are ignored by simnet)
//   6     truncate to n * 8 bytes
// Datagram id i + 1 (simnet numbers datagrams from 1) takes byte i.
simnet::DatagramDecision decisionFromByte(std::uint8_t byte);
simnet::DecisionLog decisionsFromBytes(const std::uint8_t* data, std::size_t size);

// The in-code scenario: a PSK client and server 10 ms apart, three pings each way after the
// handshake, 10 minutes of virtual time (enough for OpenSSL's 12 retransmissions to give up),
// every endpoint on the fixture's backend (fixture.h).
const scenarios::LoadedScenario& faultScenario();

}  // namespace dtlsim_fuzz
