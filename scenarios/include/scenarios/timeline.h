// scenarios/timeline.h — the text timeline `dtlsim replay` prints for a trace.
//
//   dtlsim trace: handshake-basic   seed 42   build dtlsim 0.1 ...
//        time ms  endpoint  event
//          0.000  client    client -> server  #1   ClientHello (msg 0, frag 0-186)   199 B
//          0.000  net          #1   delayed 10.000 ms
//         10.000  server    client -> server  #1   delivered                          199 B
//   1000.000  client    timer expired
//   ...
//   outcome: passed (end 1234.567 ms, 30 datagrams sent, 2 dropped)
//   client  state HandshakeComplete  done 45.000 ms  retransmissions 1  ...
//
// One line per event, sorted by time (ties keep trace order: a stable sort). Columns are
// aligned on the widest value in the trace. Output depends only on the trace: no wall clock, no
// locale, no hash-map iteration.
#pragma once

#include <cstdint>
#include <string>

#include "dtlsim/trace.pb.h"

namespace scenarios {

struct TimelineOptions {
  bool header = true;        // scenario name, seed, build id, endpoints
  bool footer = true;        // outcome, failures, per-endpoint summary
  bool records = false;      // under each SEND/DELIVER, one indented line per decoded record
  bool network_detail = true;  // DELAY events (one per copy); off: only SEND/DELIVER/DROP/faults
};

std::string renderTimeline(const dtlsim::Trace& trace, const TimelineOptions& options = {});

// "12.345": microseconds as milliseconds with three decimals (integer arithmetic, no rounding).
std::string formatMs(std::uint64_t time_us);

}  // namespace scenarios
