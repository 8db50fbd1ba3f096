// scenarios/pcapng.h — a dtlsim::Trace as a pcapng capture Wireshark opens and decrypts
// (DESIGN.md §6 "Exporters").
//
// Layout (pcapng, IETF draft-ietf-opsawg-pcapng; little-endian, every block 32-bit aligned):
//   Section Header Block (0x0A0D0D0A, byte-order magic 0x1A2B3C4D, version 1.0, length -1)
//   Interface Description Block 0: LINKTYPE_IPV4 (228), if_tsresol = 6 (microseconds)
//   Interface Description Block 1: LINKTYPE_IPV6 (229), only if an IPv6 endpoint appears
//   Decryption Secrets Block (0x0000000A, secrets type 0x544c534b "TLSK"): the trace's NSS
//       key log lines joined by "\n"; omitted when the trace has none. It precedes every
//       packet so Wireshark knows the keys before it dissects the first record.
//   one Enhanced Packet Block (0x00000006) per datagram, with a synthetic IPv4 or IPv6 + UDP
//       header (IPv4: TTL 64, IP ID = datagram id low 16 bits, header checksum computed, UDP
//       checksum 0 as RFC 768 allows; IPv6: hop limit 64, UDP checksum computed, as RFC 8200
//       §8.1 requires) and an opt_comment (option 1) giving the datagram's fate.
//
// Timestamps: (scenario.epoch_unix_s, or 1893456000 = 2030-01-01T00:00:00Z when it is 0)
// * 1e6 + event time_us, so Wireshark shows the scenario's virtual date.
// Addresses come from TraceEvent.source / destination: "a.b.c.d:port" or "[v6]:port".
#pragma once

#include <cstdint>
#include <string>

#include "dtlsim/trace.pb.h"

namespace scenarios {

struct PcapngOptions {
  // false: one packet per SEND event, the bytes as the sender put them on the wire, at the send
  //        time (what a capture at the sender shows).
  // true:  one packet per DELIVER event, the bytes as delivered (after corruption or
  //        truncation), at the delivery time (what a capture at the receiver shows).
  bool receiver_side = false;
};

// The whole capture file. Events whose source or destination does not parse (see
// parseSocketAddress) are skipped: they cannot be given an IP header. Deterministic: the same
// trace gives the same bytes.
std::string pcapngBytes(const dtlsim::Trace& trace, const PcapngOptions& options = {});

// Writes pcapngBytes(trace, options) to `path` (created or truncated). Returns false and sets
// *error (if non-null) to "cannot write <path>: <strerror>" when the file cannot be written.
bool writePcapng(const dtlsim::Trace& trace, const std::string& path, std::string* error,
                 const PcapngOptions& options = {});

// The packet comment for datagram `datagram_id`, from the trace's other events with that id,
// joined by "; ", e.g. "delivered after 12.345 ms", "dropped: loss", "duplicated (+1 copy)",
// "corrupted (3 bits) in copy 0", "truncated to 100 bytes" (" in copy N" for copies
// after the first), "held/delayed (not delivered by the end of the run)"
// (a DELAY event without a later DELIVER of that copy). "in flight at end of run" when nothing
// happened to it after the send.
std::string datagramFate(const dtlsim::Trace& trace, std::uint64_t datagram_id);

// "127.0.0.1:4433" or "[::1]:4433" -> 4 or 16 address bytes (network order) and the port.
// Returns false for anything else (no host names, no port over 65535, no missing port).
struct SocketAddress {
  bool ipv6 = false;
  std::uint8_t address[16] = {};  // the first 4 bytes for IPv4
  std::uint16_t port = 0;
};
bool parseSocketAddress(const std::string& text, SocketAddress* out);

}  // namespace scenarios
