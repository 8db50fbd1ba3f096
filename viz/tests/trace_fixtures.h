// viz/tests/trace_fixtures.h — small hand-made traces (TraceBuilder + hand-encoded DTLS
// records) and catalog runs for the viz tests.
#pragma once

#include <cstdint>
#include <string>

#include "dtlsim/trace.pb.h"

namespace viz::testing {

// A DTLS 1.2 record (RFC 6347 §4.1) around `body`.
std::string record(std::uint8_t type, std::uint16_t epoch, std::uint64_t seq,
                   const std::string& body);
// A handshake fragment (RFC 6347 §4.2.2) of a message of `total` bytes; body = `frag_len`
// zero bytes.
std::string handshake(std::uint8_t msg_type, std::uint16_t message_seq, std::uint32_t total,
                      std::uint32_t frag_offset, std::uint32_t frag_len);

// A two-endpoint trace, client 10.0.0.2:5000 and server 10.0.0.1:4433, 10 ms latency:
//  #1 ClientHello client->server delivered; #2 ServerHello... server->client lost (rule);
//  timer at 1010 ms on the server, #3 retransmission delivered; #4 AppData 1 KiB duplicated
//  (copy 1 corrupted); #5 and #6 sent together, #6 arrives first (reordered #5);
//  #7 truncated. Events: STATE changes, an ALERT, an ERROR.
dtlsim::Trace smallTrace();

// Runs a catalog scenario (scenarios/catalog/<name>.textproto) with its own seed; fails the
// calling test (ADD_FAILURE) and returns an empty trace when it cannot.
dtlsim::Trace catalogTrace(const std::string& name);

// The repository's root (DTLSIM_SOURCE_DIR).
std::string sourceDir();

}  // namespace viz::testing
