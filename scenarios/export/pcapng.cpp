#include "scenarios/pcapng.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <map>
#include <vector>

#include "scenarios/keylog.h"
#include "scenarios/timeline.h"
#include "write_file.h"

namespace scenarios {
namespace {

// Block and option codes: draft-ietf-opsawg-pcapng §4, §10.
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint32_t kInterfaceDescriptionBlock = 0x00000001;
constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;
constexpr std::uint32_t kDecryptionSecretsBlock = 0x0000000A;
constexpr std::uint32_t kTlsKeyLogSecrets = 0x544c534b;  // "TLSK"
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfTsResol = 9;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint32_t kEpbInbound = 1;   // epb_flags bits 0-1: direction
constexpr std::uint32_t kEpbOutbound = 2;
// LINKTYPE_IPV4 / LINKTYPE_IPV6 (tcpdump.org link-layer header types): raw IP, no link header.
constexpr std::uint16_t kLinkTypeIpv4 = 228;
constexpr std::uint16_t kLinkTypeIpv6 = 229;
constexpr std::uint32_t kInterfaceIpv4 = 0;
constexpr std::uint32_t kInterfaceIpv6 = 1;

constexpr std::size_t kIpv4HeaderBytes = 20;
[[maybe_unused]] constexpr std::size_t kIpv6HeaderBytes = 40;  // checked by assert only
constexpr std::size_t kUdpHeaderBytes = 8;
constexpr std::uint8_t kIpProtoUdp = 17;
constexpr std::uint8_t kTtl = 64;
// The IPv4 total length and the UDP length are 16 bits (RFC 791, RFC 768); a larger payload
// is cut in the capture (never happens with dtlsim's 4096-byte datagrams, DESIGN.md §4).
constexpr std::size_t kMaxUdpPayloadBytes = 65535 - kIpv4HeaderBytes - kUdpHeaderBytes;
// Scenario.epoch_unix_s == 0 means 2030-01-01T00:00:00Z (scenario.proto).
constexpr std::uint64_t kDefaultEpochUnixS = 1'893'456'000;

void putU8(std::string* out, std::uint8_t v) { out->push_back(static_cast<char>(v)); }
void putU16le(std::string* out, std::uint16_t v) {
  putU8(out, v & 0xff);
  putU8(out, v >> 8);
}
void putU32le(std::string* out, std::uint32_t v) {
  putU16le(out, v & 0xffff);
  putU16le(out, v >> 16);
}
void putU16be(std::string* out, std::uint16_t v) {
  putU8(out, v >> 8);
  putU8(out, v & 0xff);
}
void padTo32(std::string* out) {
  while (out->size() % 4 != 0) out->push_back('\0');
}

void putOption(std::string* body, std::uint16_t code, std::string_view value) {
  putU16le(body, code);
  putU16le(body, static_cast<std::uint16_t>(value.size()));
  body->append(value);
  padTo32(body);
}
void putEndOfOptions(std::string* body) {
  putU16le(body, kOptEndOfOpt);
  putU16le(body, 0);
}

// type, total length, body (padded), total length again (pcapng §3.1).
void putBlock(std::string* out, std::uint32_t type, std::string body) {
  padTo32(&body);
  const auto total = static_cast<std::uint32_t>(body.size() + 12);
  putU32le(out, type);
  putU32le(out, total);
  out->append(body);
  putU32le(out, total);
}

void putSectionHeader(std::string* out, const dtlsim::Trace& trace) {
  std::string body;
  putU32le(&body, kByteOrderMagic);
  putU16le(&body, 1);  // major version
  putU16le(&body, 0);  // minor version
  putU32le(&body, 0xffffffff);  // section length -1: not given
  putU32le(&body, 0xffffffff);
  putOption(&body, kShbUserAppl, trace.build_id().empty() ? "dtlsim" : trace.build_id());
  putOption(&body, kOptComment,
            "dtlsim scenario " + trace.scenario().name() + " seed " +
                std::to_string(trace.seed()));
  putEndOfOptions(&body);
  putBlock(out, kSectionHeaderBlock, std::move(body));
}

void putInterface(std::string* out, std::uint16_t link_type, std::string_view name) {
  std::string body;
  putU16le(&body, link_type);
  putU16le(&body, 0);  // reserved
  putU32le(&body, 0);  // snaplen 0: no limit
  putOption(&body, kIfName, name);
  putOption(&body, kIfTsResol, std::string_view("\x06", 1));  // 10^-6 s
  putEndOfOptions(&body);
  putBlock(out, kInterfaceDescriptionBlock, std::move(body));
}

void putDecryptionSecrets(std::string* out, const std::string& keylog) {
  std::string body;
  putU32le(&body, kTlsKeyLogSecrets);
  putU32le(&body, static_cast<std::uint32_t>(keylog.size()));
  body.append(keylog);
  padTo32(&body);
  putBlock(out, kDecryptionSecretsBlock, std::move(body));
}

// RFC 1071 one's-complement sum of 16-bit big-endian words, folded, not complemented.
std::uint32_t onesComplementSum(std::string_view bytes, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
    sum += (static_cast<std::uint8_t>(bytes[i]) << 8) | static_cast<std::uint8_t>(bytes[i + 1]);
  if (bytes.size() % 2) sum += static_cast<std::uint8_t>(bytes.back()) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

std::string udpHeader(const SocketAddress& src, const SocketAddress& dst, std::size_t payload) {
  std::string udp;
  putU16be(&udp, src.port);
  putU16be(&udp, dst.port);
  putU16be(&udp, static_cast<std::uint16_t>(kUdpHeaderBytes + payload));
  putU16be(&udp, 0);  // checksum: filled in for IPv6 by the caller
  return udp;
}

std::string ipv4Packet(const SocketAddress& src, const SocketAddress& dst, std::uint16_t ip_id,
                       std::string_view payload) {
  std::string ip;
  putU8(&ip, 0x45);  // version 4, IHL 5
  putU8(&ip, 0);     // DSCP/ECN
  putU16be(&ip, static_cast<std::uint16_t>(kIpv4HeaderBytes + kUdpHeaderBytes + payload.size()));
  putU16be(&ip, ip_id);
  putU16be(&ip, 0x4000);  // DF: DTLS does its own path MTU handling (RFC 6347 §4.1.1.1)
  putU8(&ip, kTtl);
  putU8(&ip, kIpProtoUdp);
  putU16be(&ip, 0);  // checksum placeholder
  ip.append(reinterpret_cast<const char*>(src.address), 4);
  ip.append(reinterpret_cast<const char*>(dst.address), 4);
  const auto checksum = static_cast<std::uint16_t>(~onesComplementSum(ip));
  ip[10] = static_cast<char>(checksum >> 8);
  ip[11] = static_cast<char>(checksum & 0xff);
  assert(ip.size() == kIpv4HeaderBytes);
  // UDP checksum 0: "no checksum" over IPv4 (RFC 768).
  ip += udpHeader(src, dst, payload.size());
  ip.append(payload);
  return ip;
}

std::string ipv6Packet(const SocketAddress& src, const SocketAddress& dst,
                       std::string_view payload) {
  const auto udp_length = static_cast<std::uint16_t>(kUdpHeaderBytes + payload.size());
  std::string ip;
  putU8(&ip, 0x60);  // version 6, traffic class 0, flow label 0
  putU8(&ip, 0);
  putU16be(&ip, 0);
  putU16be(&ip, udp_length);
  putU8(&ip, kIpProtoUdp);
  putU8(&ip, kTtl);  // hop limit
  ip.append(reinterpret_cast<const char*>(src.address), 16);
  ip.append(reinterpret_cast<const char*>(dst.address), 16);
  assert(ip.size() == kIpv6HeaderBytes);
  std::string udp = udpHeader(src, dst, payload.size());
  udp.append(payload);
  // The UDP checksum is mandatory over IPv6 (RFC 8200 §8.1): pseudo-header (source,
  // destination, upper-layer length, next header) + UDP header + payload.
  std::string pseudo(ip, 8, 32);
  putU16be(&pseudo, 0);
  putU16be(&pseudo, udp_length);
  putU16be(&pseudo, 0);
  putU16be(&pseudo, kIpProtoUdp);
  std::uint16_t checksum =
      static_cast<std::uint16_t>(~onesComplementSum(udp, onesComplementSum(pseudo)));
  if (checksum == 0) checksum = 0xffff;  // 0 means "none", which IPv6 forbids
  udp[6] = static_cast<char>(checksum >> 8);
  udp[7] = static_cast<char>(checksum & 0xff);
  return ip + udp;
}

struct Packet {
  std::uint64_t time_us = 0;
  std::uint32_t interface_id = 0;
  std::string bytes;
  std::uint32_t original_length = 0;
  std::string comment;
  std::uint32_t flags = 0;
};

void putPacket(std::string* out, const Packet& p, std::uint64_t epoch_us) {
  const std::uint64_t ts = epoch_us + p.time_us;
  std::string body;
  putU32le(&body, p.interface_id);
  putU32le(&body, static_cast<std::uint32_t>(ts >> 32));
  putU32le(&body, static_cast<std::uint32_t>(ts & 0xffffffff));
  putU32le(&body, static_cast<std::uint32_t>(p.bytes.size()));
  putU32le(&body, p.original_length);
  body.append(p.bytes);
  padTo32(&body);
  putOption(&body, kOptComment, p.comment);
  std::string flags;
  putU32le(&flags, p.flags);
  putOption(&body, kEpbFlags, flags);
  putEndOfOptions(&body);
  putBlock(out, kEnhancedPacketBlock, std::move(body));
}

// The SEND event of each datagram id (the first one, should a trace hold two).
std::map<std::uint64_t, const dtlsim::TraceEvent*> sendsById(const dtlsim::Trace& trace) {
  std::map<std::uint64_t, const dtlsim::TraceEvent*> sends;
  for (const dtlsim::TraceEvent& e : trace.events())
    if (e.kind() == dtlsim::TraceEvent::SEND) sends.emplace(e.datagram_id(), &e);
  return sends;
}

// Builds the packet for `e` (a SEND, or a DELIVER whose addresses may come from its SEND).
bool makePacket(const dtlsim::TraceEvent& e, const dtlsim::TraceEvent* send,
                const std::string& fate, Packet* p) {
  const std::string& src_text = e.source().empty() && send ? send->source() : e.source();
  const std::string& dst_text =
      e.destination().empty() && send ? send->destination() : e.destination();
  SocketAddress src, dst;
  if (!parseSocketAddress(src_text, &src) || !parseSocketAddress(dst_text, &dst)) return false;
  if (src.ipv6 != dst.ipv6) return false;
  const std::string_view data(e.data());
  const std::string_view payload = data.substr(0, std::min(data.size(), kMaxUdpPayloadBytes));
  const bool deliver = e.kind() == dtlsim::TraceEvent::DELIVER;
  p->time_us = e.time_us();
  p->flags = deliver ? kEpbInbound : kEpbOutbound;
  p->comment = "datagram #" + std::to_string(e.datagram_id()) +
               (deliver ? " copy " + std::to_string(e.copy()) : std::string()) + ": " + fate;
  if (!e.label().empty()) p->comment += " | " + e.label();
  if (payload.size() < data.size())
    p->comment += " | capture cut to " + std::to_string(payload.size()) + " bytes";
  if (src.ipv6) {
    p->interface_id = kInterfaceIpv6;
    p->bytes = ipv6Packet(src, dst, payload);
  } else {
    p->interface_id = kInterfaceIpv4;
    p->bytes = ipv4Packet(src, dst, static_cast<std::uint16_t>(e.datagram_id() & 0xffff),
                          payload);
  }
  p->original_length = static_cast<std::uint32_t>(p->bytes.size());
  return true;
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

bool parseSocketAddress(const std::string& text, SocketAddress* out) {
  std::string host, port_text;
  SocketAddress a;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    a.ipv6 = true;
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return false;
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (port_text.empty() || port_text.size() > 5) return false;
  std::uint32_t port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return false;
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port > 65535) return false;
  a.port = static_cast<std::uint16_t>(port);
  if (inet_pton(a.ipv6 ? AF_INET6 : AF_INET, host.c_str(), a.address) != 1) return false;
  *out = a;
  return true;
}

namespace {

// The fate of one datagram from its SEND (may be null) and its other network events.
std::string fateOf(const dtlsim::TraceEvent* send, std::vector<const dtlsim::TraceEvent*> events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const auto* a, const auto* b) { return a->time_us() < b->time_us(); });
  // A copy is settled once delivered or dropped; a delayed copy never settled is held.
  std::map<std::uint32_t, bool> settled;
  for (const auto* e : events)
    if (e->kind() == dtlsim::TraceEvent::DELIVER || e->kind() == dtlsim::TraceEvent::DROP)
      settled[e->copy()] = true;
  const std::uint64_t sent_us = send ? send->time_us() : 0;
  std::vector<std::string> parts;
  for (const auto* e : events) {
    const std::string copy = " in copy " + std::to_string(e->copy());
    switch (e->kind()) {
      case dtlsim::TraceEvent::DELIVER:
        parts.push_back((e->copy() ? "copy " + std::to_string(e->copy()) + " " : std::string()) +
                        "delivered after " +
                        formatMs(e->time_us() >= sent_us ? e->time_us() - sent_us : 0) + " ms");
        break;
      case dtlsim::TraceEvent::DROP:
        parts.push_back("dropped: " + (e->drop_reason().empty() ? "unknown" : e->drop_reason()) +
                        (e->copy() ? copy : std::string()));
        break;
      case dtlsim::TraceEvent::DUPLICATE:
        parts.push_back("duplicated (+" + plural(e->value(), "copy", "copies") + ")");
        break;
      case dtlsim::TraceEvent::CORRUPT:
        parts.push_back("corrupted (" + plural(e->value(), "bit", "bits") + ")" + copy);
        break;
      case dtlsim::TraceEvent::TRUNCATE:
        parts.push_back("truncated to " + std::to_string(e->value()) + " bytes" +
                        (e->copy() ? copy : std::string()));
        break;
      case dtlsim::TraceEvent::DELAY:
        if (!settled[e->copy()])
          parts.push_back("held/delayed" + (e->copy() ? copy : std::string()) +
                          " (not delivered by the end of the run)");
        break;
      default:
        break;
    }
  }
  if (parts.empty()) return "in flight at end of run";
  std::string out = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) out += "; " + parts[i];
  return out;
}

bool isFateEvent(const dtlsim::TraceEvent& e) {
  return e.kind() >= dtlsim::TraceEvent::DELIVER && e.kind() <= dtlsim::TraceEvent::DELAY;
}

}  // namespace

std::string datagramFate(const dtlsim::Trace& trace, std::uint64_t datagram_id) {
  const dtlsim::TraceEvent* send = nullptr;
  std::vector<const dtlsim::TraceEvent*> events;
  for (const dtlsim::TraceEvent& e : trace.events()) {
    if (e.datagram_id() != datagram_id) continue;
    if (e.kind() == dtlsim::TraceEvent::SEND && !send) send = &e;
    if (isFateEvent(e)) events.push_back(&e);
  }
  return fateOf(send, std::move(events));
}

std::string pcapngBytes(const dtlsim::Trace& trace, const PcapngOptions& options) {
  const auto sends = sendsById(trace);
  // Each datagram's fate, computed once: a trace holds thousands of datagrams.
  std::map<std::uint64_t, std::vector<const dtlsim::TraceEvent*>> fate_events;
  for (const dtlsim::TraceEvent& e : trace.events())
    if (isFateEvent(e)) fate_events[e.datagram_id()].push_back(&e);
  std::map<std::uint64_t, std::string> fates;
  for (const auto& [id, send] : sends) fates[id] = fateOf(send, fate_events[id]);
  const auto wanted = options.receiver_side ? dtlsim::TraceEvent::DELIVER
                                            : dtlsim::TraceEvent::SEND;
  std::vector<Packet> packets;
  bool any_ipv6 = false;
  for (const dtlsim::TraceEvent& e : trace.events()) {
    if (e.kind() != wanted) continue;
    const auto it = sends.find(e.datagram_id());
    const dtlsim::TraceEvent* send = it == sends.end() ? nullptr : it->second;
    auto fate = fates.find(e.datagram_id());
    if (fate == fates.end())
      fate = fates.emplace(e.datagram_id(), fateOf(nullptr, fate_events[e.datagram_id()])).first;
    Packet p;
    if (!makePacket(e, send, fate->second, &p)) continue;
    any_ipv6 = any_ipv6 || p.interface_id == kInterfaceIpv6;
    packets.push_back(std::move(p));
  }
  std::stable_sort(packets.begin(), packets.end(),
                   [](const Packet& a, const Packet& b) { return a.time_us < b.time_us; });

  const std::uint64_t epoch_s =
      trace.scenario().epoch_unix_s() ? trace.scenario().epoch_unix_s() : kDefaultEpochUnixS;
  std::string out;
  putSectionHeader(&out, trace);
  putInterface(&out, kLinkTypeIpv4, "dtlsim-ipv4");
  if (any_ipv6) putInterface(&out, kLinkTypeIpv6, "dtlsim-ipv6");
  // The secrets come first so a reader has the keys before the first record (pcapng §4.7).
  // The payload is the SSLKEYLOGFILE text, as `editcap --inject-secrets tls,FILE` stores it.
  const std::string keylog = keylogText(trace);
  if (!keylog.empty()) putDecryptionSecrets(&out, keylog);
  for (const Packet& p : packets) putPacket(&out, p, epoch_s * 1'000'000);
  return out;
}

bool writePcapng(const dtlsim::Trace& trace, const std::string& path, std::string* error,
                 const PcapngOptions& options) {
  return detail::writeWholeFile(path, pcapngBytes(trace, options), error);
}

}  // namespace scenarios
