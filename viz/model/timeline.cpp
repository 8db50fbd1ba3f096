#include "model/timeline.h"

#include <algorithm>
#include <cstdio>
#include <charconv>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "dtls/wire/names.h"
#include "dtls/wire/record.h"
#include "model/datagram_label.h"
#include "scenarios/oracles.h"
#include "scenarios/trace_builder.h"

namespace viz {
namespace {

using Event = dtlsim::TraceEvent;

bool isNetwork(Event::Kind k) { return k >= Event::SEND && k <= Event::DELAY; }

// Lanes from the trace header: clients first, then servers, then the rest, each group in
// header order, so clients sit left of the network and servers right of it.
void addHeaderLanes(const dtlsim::Trace& trace, Timeline* t) {
  for (LaneRole wanted : {LaneRole::Client, LaneRole::Server, LaneRole::Other}) {
    for (const dtlsim::EndpointInfo& info : trace.endpoints()) {
      const LaneRole role = info.role() == "client"   ? LaneRole::Client
                            : info.role() == "server" ? LaneRole::Server
                                                      : LaneRole::Other;
      if (role != wanted || t->laneOf(info.name()) >= 0) continue;
      std::string library;
      for (const dtlsim::EndpointOutcome& e : trace.outcome().endpoints())
        if (e.name() == info.name()) library = e.library();
      t->lanes.push_back({info.name(), role,
                          scenarios::TraceBuilder::formatAddress(
                              info.address(), static_cast<std::uint16_t>(info.port())),
                          library});
    }
  }
}

// The lane of an endpoint named in an event, created on first use when the header lacks it.
int laneFor(const std::string& name, Timeline* t) {
  if (name.empty()) return -1;
  const int found = t->laneOf(name);
  if (found >= 0) return found;
  t->lanes.push_back({name, LaneRole::Other, {}, {}});
  return static_cast<int>(t->lanes.size()) - 1;
}

int laneByAddress(const std::string& address, const Timeline& t) {
  if (address.empty()) return -1;
  for (std::size_t i = 0; i < t.lanes.size(); ++i)
    if (t.lanes[i].address == address) return static_cast<int>(i);
  return -1;
}

// A lane on the other side of the network from `from`: the first server for a client, the
// first client otherwise. Used when a datagram's receiver is not in the trace.
int oppositeLane(int from, const Timeline& t) {
  const bool from_server = from >= 0 && t.lanes[from].role == LaneRole::Server;
  for (std::size_t i = 0; i < t.lanes.size(); ++i)
    if (static_cast<int>(i) != from && (t.lanes[i].role == LaneRole::Server) != from_server)
      return static_cast<int>(i);
  for (std::size_t i = 0; i < t.lanes.size(); ++i)
    if (static_cast<int>(i) != from) return static_cast<int>(i);
  return from;
}

using CopyKey = std::pair<std::uint64_t, std::uint32_t>;

struct Builder {
  const dtlsim::Trace& trace;
  Timeline& t;
  std::map<CopyKey, std::size_t> by_copy;  // (id, copy) -> index into t.datagrams
  std::map<std::uint64_t, int> send_event_by_id;

  // The item of (id, copy), created from its SEND on first use (network copies appear in
  // DUPLICATE/DELAY/DELIVER events before anything else names them).
  DatagramItem* item(std::uint64_t id, std::uint32_t copy) {
    const auto found = by_copy.find({id, copy});
    if (found != by_copy.end()) return &t.datagrams[found->second];
    const auto send = send_event_by_id.find(id);
    if (send == send_event_by_id.end()) return nullptr;
    const Event& e = trace.events(send->second);
    DatagramItem d;
    d.id = id;
    d.copy = copy;
    d.duplicate = copy > 0;
    d.send_us = e.time_us();
    d.send_event = send->second;
    d.from_lane = laneFor(e.endpoint(), &t);
    d.to_lane = laneByAddress(e.destination(), t);
    if (d.to_lane < 0 || d.to_lane == d.from_lane) d.to_lane = oppositeLane(d.from_lane, t);
    d.sent_bytes = e.data();
    d.size_bytes = e.size_bytes();
    d.label_parts = e.data().empty() && !e.label().empty()
                        ? std::vector<std::string>{e.label()}
                        : datagramLabelParts(e.data());
    d.end_us = t.end_us;
    t.datagrams.push_back(std::move(d));
    by_copy[{id, copy}] = t.datagrams.size() - 1;
    return &t.datagrams.back();
  }

  void network(int index, const Event& e) {
    if (e.kind() == Event::SEND) {
      send_event_by_id.emplace(e.datagram_id(), index);
      item(e.datagram_id(), 0);
      return;
    }
    if (e.kind() == Event::DUPLICATE) {
      // The extra copies are numbered 1..value after the original (simnet's numbering).
      const auto copies = static_cast<std::uint32_t>(std::clamp<std::int64_t>(e.value(), 0, 16));
      for (std::uint32_t c = 1; c <= copies; ++c) item(e.datagram_id(), c);
      return;
    }
    DatagramItem* d = item(e.datagram_id(), e.copy());
    if (d == nullptr) return;
    switch (e.kind()) {
      case Event::DELIVER:
        d->fate = Fate::Delivered;
        d->end_us = std::max(e.time_us(), d->send_us);  // a hand-made trace may disorder them
        d->end_event = index;
        d->delivered_bytes = e.data();
        if (e.endpoint().size() > 0) d->to_lane = laneFor(e.endpoint(), &t);
        break;
      case Event::DROP:
        d->fate = Fate::Dropped;
        d->end_us = std::max(e.time_us(), d->send_us);
        d->end_event = index;
        d->drop_reason = e.drop_reason().empty() ? "unknown" : e.drop_reason();
        break;
      case Event::CORRUPT:
        d->corrupted_bits = static_cast<std::uint32_t>(std::max<std::int64_t>(e.value(), 1));
        break;
      case Event::TRUNCATE:
        d->truncated_to_bytes = static_cast<std::uint32_t>(std::max<std::int64_t>(e.value(), 0));
        break;
      default:
        break;
    }
  }
};

std::string copySuffix(const Event& e) {
  return e.copy() ? " (copy " + std::to_string(e.copy()) + ")" : std::string();
}

MarkerKind markerKind(Event::Kind k) {
  switch (k) {
    case Event::STATE: return MarkerKind::State;
    case Event::TIMER_EXPIRED: return MarkerKind::Timer;
    case Event::RETRANSMIT: return MarkerKind::Retransmit;
    case Event::ALERT: return MarkerKind::Alert;
    case Event::ERROR: return MarkerKind::Error;
    case Event::APP_SEND: return MarkerKind::AppSend;
    case Event::APP_RECEIVE: return MarkerKind::AppReceive;
    case Event::VERIFIED:
    case Event::HELLO_VERIFY: return MarkerKind::Cookie;
    case Event::ACTION: return MarkerKind::Action;
    default: return MarkerKind::Note;
  }
}

std::string withDetail(const std::string& what, const Event& e) {
  return e.detail().empty() ? what : what + " " + e.detail();
}

std::string markerTextOf(const Event& e);

// A marker's text: what happened, then the detail (server events carry "[peer]" first; it is
// kept, a server with several clients needs it).
std::string markerText(const Event& e) {
  // A server's events start with its peer, "[10.0.0.2:49152] ...": the diagram shows what
  // happened first and the peer after it, where eliding a long line cuts the less useful part.
  std::string detail = e.detail();
  if (detail.size() > 2 && detail[0] == '[') {
    const auto close = detail.find("] ");
    if (close != std::string::npos)
      detail = detail.substr(close + 2) + " " + detail.substr(0, close + 1);
  }
  Event shown = e;
  shown.set_detail(detail);
  return markerTextOf(shown);
}

std::string peerOf(const Event& e) {
  const std::string& detail = e.detail();
  if (detail.size() < 3 || detail[0] != '[') return {};
  const auto close = detail.find("] ");
  return close == std::string::npos ? std::string() : detail.substr(1, close - 1);
}

std::string markerTextOf(const Event& e) {
  switch (e.kind()) {
    case Event::STATE: return "\u2192 " + e.detail();
    case Event::TIMER_EXPIRED: return "timer expired";
    case Event::RETRANSMIT: return e.detail().rfind("retransmission", 0) == 0 ? e.detail() : withDetail("retransmit", e);
    case Event::APP_SEND: return withDetail("app send", e);
    case Event::APP_RECEIVE: return withDetail("app receive", e);
    case Event::ERROR: return withDetail("ERROR", e);
    case Event::ALERT: return withDetail("alert", e);
    case Event::VERIFIED: return withDetail("ClientHello verified", e);
    case Event::HELLO_VERIFY: return "HelloVerifyRequest sent";  // its detail says it again
    case Event::ACTION: return withDetail("action:", e);
    default: return withDetail("note:", e);
  }
}

std::string nameOrAddress(const std::string& address, const Timeline& t) {
  const int lane = laneByAddress(address, t);
  return lane >= 0 ? t.lanes[lane].name : address;
}

std::string networkText(const Event& e, const Builder& b) {
  std::string src = e.source(), dst = e.destination();
  const auto send = b.send_event_by_id.find(e.datagram_id());
  if (send != b.send_event_by_id.end()) {
    if (src.empty()) src = b.trace.events(send->second).source();
    if (dst.empty()) dst = b.trace.events(send->second).destination();
  }
  std::string out = nameOrAddress(src, b.t) + " \u2192 " + nameOrAddress(dst, b.t) + " #" +
                    std::to_string(e.datagram_id()) + " ";
  const std::string size = " " + std::to_string(e.size_bytes()) + " B";
  switch (e.kind()) {
    case Event::SEND: {
      const auto parts = datagramLabelParts(e.data());
      std::string label;
      for (const std::string& p : parts) label += (label.empty() ? "" : ", ") + p;
      return out + (e.data().empty() ? e.label() : label) + size;
    }
    case Event::DELIVER: return out + "delivered" + copySuffix(e) + size;
    case Event::DROP:
      return out + "dropped (" + (e.drop_reason().empty() ? "unknown" : e.drop_reason()) + ")" +
             copySuffix(e);
    case Event::DUPLICATE: return out + "duplicated (+" + std::to_string(e.value()) + ")";
    case Event::CORRUPT:
      return out + "corrupted" + copySuffix(e) + ": " + std::to_string(e.value()) + " bits";
    case Event::TRUNCATE:
      return out + "truncated" + copySuffix(e) + " to " + std::to_string(e.value()) + " B";
    case Event::DELAY:
      return out + "delayed" + copySuffix(e) + " " +
             formatMs(e.value() > 0 ? static_cast<std::uint64_t>(e.value()) : 0);
    default: return out;
  }
}

// Marks retransmissions (see the header for the two rules). Both are kept per (sender,
// receiver): every DTLS connection numbers its messages from 0, so a server's HelloVerifyRequest
// to its second client, or a timer of one peer's connection firing while a flight to another
// peer goes out, is not a retransmission. A ClientHello with message_seq 0 sent without a timer
// starts a new connection on that path (a client restarting on the same port), and forgets what
// both directions sent before.
void markRetransmissions(const dtlsim::Trace& trace, Timeline* t) {
  std::set<std::pair<int, std::uint64_t>> timer_instants;  // (lane, time)
  for (const Event& e : trace.events())
    if (e.kind() == Event::TIMER_EXPIRED || e.kind() == Event::RETRANSMIT)
      timer_instants.insert({t->laneOf(e.endpoint()), e.time_us()});
  // (sender, receiver) -> (message_seq, fragment_offset) already sent: a later fragment of a
  // message is new, the same fragment again is a retransmission.
  using Path = std::pair<int, int>;
  std::map<Path, std::set<std::pair<std::uint32_t, std::uint32_t>>> sent_fragments;
  constexpr std::uint8_t kClientHello = 1;
  for (DatagramItem& d : t->datagrams) {
    if (d.copy != 0) continue;
    const Path path{d.from_lane, d.to_lane};
    const bool at_timer = timer_instants.count({d.from_lane, d.send_us}) > 0;
    const dtls::wire::DecodedDatagram decoded = dtls::wire::decodeDatagram(d.sent_bytes);
    for (const dtls::wire::Record& r : decoded.records)
      for (const dtls::wire::HandshakeMessage& m : r.handshake_messages)
        if (m.msg_type == kClientHello && m.message_seq == 0 && m.fragment_offset == 0 &&
            !at_timer && sent_fragments[path].count({0, 0}) > 0) {
          sent_fragments[path].clear();
          sent_fragments[{d.to_lane, d.from_lane}].clear();
        }
    auto& seen = sent_fragments[path];
    const bool had_sent = !seen.empty();
    bool all_seen = true, any_handshake = false;
    for (const dtls::wire::Record& r : decoded.records)
      for (const dtls::wire::HandshakeMessage& m : r.handshake_messages) {
        any_handshake = true;
        all_seen = all_seen && seen.count({m.message_seq, m.fragment_offset}) > 0;
      }
    for (const dtls::wire::Record& r : decoded.records)
      for (const dtls::wire::HandshakeMessage& m : r.handshake_messages)
        seen.insert({m.message_seq, m.fragment_offset});
    // A timer resends a flight on a path that already carried one.
    d.retransmission = (any_handshake && all_seen) || (at_timer && had_sent);
  }
  // Network copies inherit the flag of their original.
  std::map<std::uint64_t, bool> original;
  for (const DatagramItem& d : t->datagrams)
    if (d.copy == 0) original[d.id] = d.retransmission;
  for (DatagramItem& d : t->datagrams)
    if (d.copy != 0) d.retransmission = original[d.id];
}

void markReordering(Timeline* t) {
  std::vector<std::size_t> delivered;
  for (std::size_t i = 0; i < t->datagrams.size(); ++i)
    if (t->datagrams[i].fate == Fate::Delivered) delivered.push_back(i);
  std::stable_sort(delivered.begin(), delivered.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(t->datagrams[a].end_us, t->datagrams[a].end_event) <
           std::tie(t->datagrams[b].end_us, t->datagrams[b].end_event);
  });
  std::map<std::pair<int, int>, std::uint64_t> max_id;  // (from, to) -> highest id delivered
  for (std::size_t i : delivered) {
    DatagramItem& d = t->datagrams[i];
    auto [it, inserted] = max_id.try_emplace({d.from_lane, d.to_lane}, d.id);
    if (!inserted) {
      d.reordered = d.id < it->second;
      it->second = std::max(it->second, d.id);
    }
  }
}

}  // namespace

std::string DatagramItem::label() const {
  std::string out;
  for (const std::string& p : label_parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::vector<std::string> DatagramItem::tags(bool brief) const {
  std::vector<std::string> out;
  if (!brief && fate == Fate::Dropped) out.push_back("lost (" + drop_reason + ")");
  if (!brief && fate == Fate::InFlight) out.push_back("in flight at end");
  if (retransmission) out.push_back(brief ? "retx" : "retransmission");
  if (duplicate) out.push_back("copy " + std::to_string(copy));
  if (reordered) out.push_back("reordered");
  if (corrupted_bits)
    out.push_back(brief ? "corrupted"
                        : "corrupted " + std::to_string(corrupted_bits) +
                              (corrupted_bits == 1 ? " bit" : " bits"));
  if (truncated_to_bytes)
    out.push_back((brief ? "cut to " : "truncated to ") + std::to_string(*truncated_to_bytes) + " B");
  return out;
}

ItemRef firstNotableItem(const Timeline& t) {
  const std::vector<bool (*)(const DatagramItem&)> rules = {
      [](const DatagramItem& d) { return d.fate == Fate::Dropped; },
      [](const DatagramItem& d) { return d.damaged(); },
      [](const DatagramItem& d) { return d.retransmission; },
      [](const DatagramItem&) { return true; },
  };
  for (const auto& rule : rules)
    for (std::size_t i = 0; i < t.datagrams.size(); ++i)
      if (rule(t.datagrams[i])) return {ItemRef::Type::Datagram, static_cast<int>(i)};
  return {};
}

ItemRef nextNotableItem(const Timeline& t, int after) {
  const auto n = static_cast<int>(t.datagrams.size());
  for (int step = 1; step <= n; ++step) {
    const int i = ((after < 0 ? -1 : after) + step) % n;
    const DatagramItem& d = t.datagrams[static_cast<std::size_t>(i)];
    if (d.fate == Fate::Dropped || d.damaged() || d.duplicate || d.reordered || d.retransmission)
      return {ItemRef::Type::Datagram, i};
  }
  return {};
}

int Timeline::laneOf(const std::string& name) const {
  for (std::size_t i = 0; i < lanes.size(); ++i)
    if (lanes[i].name == name) return static_cast<int>(i);
  return -1;
}

int Timeline::rowOfEvent(int event) const {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].event == event) return static_cast<int>(i);
  return -1;
}

int Timeline::rowOfItem(const ItemRef& item) const {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].item == item) return static_cast<int>(i);
  return -1;
}

std::string formatMs(std::uint64_t time_us) {
  char frac[4];
  std::snprintf(frac, sizeof frac, "%03u", static_cast<unsigned>(time_us % 1000));
  return std::to_string(time_us / 1000) + "." + frac + " ms";
}

std::string kindName(dtlsim::TraceEvent::Kind kind) {
  switch (kind) {
    case Event::SEND: return "send";
    case Event::DELIVER: return "deliver";
    case Event::DROP: return "drop";
    case Event::DUPLICATE: return "duplicate";
    case Event::CORRUPT: return "corrupt";
    case Event::TRUNCATE: return "truncate";
    case Event::DELAY: return "delay";
    case Event::STATE: return "state";
    case Event::TIMER_EXPIRED: return "timer";
    case Event::RETRANSMIT: return "retransmit";
    case Event::APP_SEND: return "app send";
    case Event::APP_RECEIVE: return "app receive";
    case Event::ERROR: return "error";
    case Event::ALERT: return "alert";
    case Event::VERIFIED: return "verified";
    case Event::HELLO_VERIFY: return "hello verify";
    case Event::ACTION: return "action";
    case Event::NOTE: return "note";
    default: return "unknown";
  }
}

// "... at t=1050.000 ms ..." -> 1050000 us; nullopt without one.
std::optional<std::uint64_t> timeOfLine(const std::string& line) {
  const std::size_t at = line.find("t=");
  if (at == std::string::npos) return std::nullopt;
  // from_chars: the C locale whatever the application set (strtod follows LC_NUMERIC).
  const char* begin = line.data() + at + 2;
  double ms = 0;
  const auto [end, ec] = std::from_chars(begin, line.data() + line.size(), ms);
  if (ec != std::errc() || end == begin || ms < 0) return std::nullopt;
  return static_cast<std::uint64_t>(ms * 1000.0 + 0.5);
}

// The outcome's RFC 6347 oracle violations and liveness stalls, as markers on the lane of the
// endpoint they concern, at the time they name (the end of the run when they name none).
void addViolationMarkers(const dtlsim::Trace& trace, Timeline* t) {
  const dtlsim::Outcome& o = trace.outcome();
  for (const dtlsim::OracleCheck& check : o.oracles()) {
    if (check.violations() == 0) continue;
    const int lane = t->laneOf(check.endpoint());
    if (lane < 0) continue;
    MarkerItem m{lane, timeOfLine(check.first_violation()).value_or(t->end_us),
                 MarkerKind::Violation,
                 "\u2717 " + check.property() +
                     (check.excused_by().empty() ? "" : " (" + check.excused_by() + ")"),
                 -1, scenarios::oracleFailureText(check), {}};
    if (!check.excused_by().empty()) m.detail += " [excused: " + check.excused_by() + "]";
    t->markers.push_back(std::move(m));
  }
  // "invariant: stall: server [10.0.0.2:49152] still in HandshakeInProgress at t=... ms ...".
  const std::string stall = "invariant: stall: ";
  const auto addStalls = [&](const auto& lines, bool excused) {
    for (const std::string& line : lines) {
      if (line.rfind(stall, 0) != 0) continue;
      const std::string who = line.substr(stall.size(), line.find(' ', stall.size()) - stall.size());
      const int lane = t->laneOf(who);
      if (lane < 0) continue;
      // "server [10.0.0.2:49152] still ...": the stalled association's peer.
      const std::size_t open = line.find('[', stall.size());
      const std::size_t close = line.find(']', stall.size());
      const std::string peer = open != std::string::npos && close != std::string::npos &&
                                       open < close && open == stall.size() + who.size() + 1
                                   ? line.substr(open + 1, close - open - 1)
                                   : std::string();
      t->markers.push_back({lane, timeOfLine(line).value_or(t->end_us), MarkerKind::Violation,
                            excused ? "\u2717 stall (excused)" : "\u2717 stall", -1, line, peer});
    }
  };
  addStalls(o.failures(), false);
  addStalls(o.excused(), true);
}

Timeline buildTimeline(const dtlsim::Trace& trace) {
  Timeline t;
  addHeaderLanes(trace, &t);
  t.end_us = trace.outcome().end_time_us();
  for (const Event& e : trace.events()) t.end_us = std::max(t.end_us, e.time_us());

  Builder b{trace, t, {}, {}};
  for (int i = 0; i < trace.events_size(); ++i) {
    const Event& e = trace.events(i);
    if (isNetwork(e.kind())) {
      b.network(i, e);
    } else if (e.kind() != Event::UNKNOWN) {
      const int lane = laneFor(e.endpoint(), &t);
      if (lane >= 0)
        t.markers.push_back({lane, e.time_us(), markerKind(e.kind()), markerText(e), i, {},
                             peerOf(e)});
    }
  }
  addViolationMarkers(trace, &t);
  // Items were created in event order; the diagram wants send order (copies after originals).
  std::stable_sort(t.datagrams.begin(), t.datagrams.end(), [](const auto& a, const auto& b2) {
    return std::tie(a.send_us, a.id, a.copy) < std::tie(b2.send_us, b2.id, b2.copy);
  });
  std::stable_sort(t.markers.begin(), t.markers.end(),
                   [](const auto& a, const auto& b2) { return a.time_us < b2.time_us; });
  b.by_copy.clear();
  for (std::size_t i = 0; i < t.datagrams.size(); ++i)
    b.by_copy[{t.datagrams[i].id, t.datagrams[i].copy}] = i;
  markRetransmissions(trace, &t);
  markReordering(&t);

  std::map<int, int> marker_by_event;
  for (std::size_t i = 0; i < t.markers.size(); ++i)
    if (t.markers[i].event >= 0) marker_by_event[t.markers[i].event] = static_cast<int>(i);
  for (int i = 0; i < trace.events_size(); ++i) {
    const Event& e = trace.events(i);
    EventRow row;
    row.event = i;
    row.time_us = e.time_us();
    row.kind = kindName(e.kind());
    if (isNetwork(e.kind())) {
      row.endpoint = e.endpoint().empty() ? "net" : e.endpoint();
      row.text = networkText(e, b);
      const auto found = b.by_copy.find({e.datagram_id(), e.copy()});
      if (found != b.by_copy.end())
        row.item = {ItemRef::Type::Datagram, static_cast<int>(found->second)};
    } else {
      row.endpoint = e.endpoint();
      row.text = markerText(e);
      const auto found = marker_by_event.find(i);
      if (found != marker_by_event.end()) row.item = {ItemRef::Type::Marker, found->second};
    }
    t.events.push_back(std::move(row));
  }
  std::stable_sort(t.events.begin(), t.events.end(),
                   [](const auto& a, const auto& b2) { return a.time_us < b2.time_us; });
  return t;
}

}  // namespace viz
