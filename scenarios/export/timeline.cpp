#include "scenarios/timeline.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "dtls/wire/describe.h"
#include "dtls/wire/names.h"
#include "dtls/wire/record.h"
#include "scenarios/trace_builder.h"

namespace scenarios {
namespace {

using Kind = dtlsim::TraceEvent::Kind;

// What every line needs to know about the trace beyond the event itself.
struct Context {
  std::map<std::string, std::string> name_by_address;  // "addr:port" -> endpoint name
  std::map<std::uint64_t, const dtlsim::TraceEvent*> send_by_id;
};

Context makeContext(const dtlsim::Trace& trace) {
  Context c;
  for (const dtlsim::EndpointInfo& info : trace.endpoints())
    c.name_by_address[TraceBuilder::formatAddress(info.address(),
                                                  static_cast<std::uint16_t>(info.port()))] =
        info.name();
  for (const dtlsim::TraceEvent& e : trace.events())
    if (e.kind() == dtlsim::TraceEvent::SEND) c.send_by_id.emplace(e.datagram_id(), &e);
  return c;
}

bool isNetwork(Kind k) { return k >= dtlsim::TraceEvent::SEND && k <= dtlsim::TraceEvent::DELAY; }

std::string nameOf(const Context& c, const std::string& address) {
  const auto it = c.name_by_address.find(address);
  return it == c.name_by_address.end() ? address : it->second;
}

// "client -> server" for a network event (addresses from its SEND when it has none).
std::string arrowOf(const Context& c, const dtlsim::TraceEvent& e) {
  std::string src = e.source(), dst = e.destination();
  if (src.empty() || dst.empty()) {
    const auto it = c.send_by_id.find(e.datagram_id());
    if (it != c.send_by_id.end()) {
      if (src.empty()) src = it->second->source();
      if (dst.empty()) dst = it->second->destination();
    }
  }
  if (src.empty() && dst.empty()) return {};
  return nameOf(c, src) + " -> " + nameOf(c, dst);
}

std::string copySuffix(const dtlsim::TraceEvent& e) {
  return e.copy() ? " (copy " + std::to_string(e.copy()) + ")" : std::string();
}

std::string bitsText(const dtlsim::TraceEvent& e) {
  constexpr int kMaxBitsShown = 8;
  std::string out = std::to_string(e.value()) + (e.value() == 1 ? " bit" : " bits");
  if (e.flipped_bits_size() == 0) return out;
  out += ":";
  for (int i = 0; i < e.flipped_bits_size() && i < kMaxBitsShown; ++i)
    out += " " + std::to_string(e.flipped_bits(i));
  if (e.flipped_bits_size() > kMaxBitsShown) out += " ...";
  return out;
}

std::string withDetail(const std::string& what, const dtlsim::TraceEvent& e) {
  return e.detail().empty() ? what : what + " " + e.detail();
}

// The event column of a network event (after the arrow and the datagram id).
std::string networkText(const Context& c, const dtlsim::TraceEvent& e) {
  const std::string size = "  " + std::to_string(e.size_bytes()) + " B";
  switch (e.kind()) {
    case dtlsim::TraceEvent::SEND:
      return (e.label().empty() ? std::string("(no records)") : e.label()) + size;
    case dtlsim::TraceEvent::DELIVER: {
      std::string text = "<- delivered" + copySuffix(e);
      const auto it = c.send_by_id.find(e.datagram_id());
      if (it != c.send_by_id.end() && e.time_us() >= it->second->time_us())
        text += " after " + formatMs(e.time_us() - it->second->time_us()) + " ms";
      if (it != c.send_by_id.end() && !e.data().empty() && e.data() != it->second->data())
        text += " (damaged: " + e.label() + ")";
      return text + size;
    }
    case dtlsim::TraceEvent::DROP:
      return "   X dropped (" + (e.drop_reason().empty() ? "unknown" : e.drop_reason()) + ")" +
             copySuffix(e);
    case dtlsim::TraceEvent::DUPLICATE:
      return "   + duplicated (+" + std::to_string(e.value()) +
             (e.value() == 1 ? " copy)" : " copies)");
    case dtlsim::TraceEvent::CORRUPT:
      return "   ~ corrupted" + copySuffix(e) + ": " + bitsText(e);
    case dtlsim::TraceEvent::TRUNCATE:
      return "   ~ truncated" + copySuffix(e) + " to " + std::to_string(e.value()) + " B";
    case dtlsim::TraceEvent::DELAY:
      return "   . delayed" + copySuffix(e) + " " +
             formatMs(e.value() > 0 ? static_cast<std::uint64_t>(e.value()) : 0) + " ms";
    default:
      return {};
  }
}

std::string endpointText(const dtlsim::TraceEvent& e) {
  switch (e.kind()) {
    case dtlsim::TraceEvent::STATE: return "state -> " + e.detail();
    case dtlsim::TraceEvent::TIMER_EXPIRED: return withDetail("timer expired", e);
    case dtlsim::TraceEvent::RETRANSMIT: return withDetail("retransmit", e);
    case dtlsim::TraceEvent::APP_SEND: return withDetail("app send", e);
    case dtlsim::TraceEvent::APP_RECEIVE: return withDetail("app receive", e);
    case dtlsim::TraceEvent::ERROR: return withDetail("ERROR", e);
    case dtlsim::TraceEvent::ALERT: return withDetail("alert", e);
    case dtlsim::TraceEvent::VERIFIED: return withDetail("ClientHello verified", e);
    case dtlsim::TraceEvent::HELLO_VERIFY: return withDetail("HelloVerifyRequest sent", e);
    case dtlsim::TraceEvent::ACTION: return withDetail("action", e);
    case dtlsim::TraceEvent::NOTE: return withDetail("note", e);
    default: return withDetail("event " + std::to_string(static_cast<int>(e.kind())), e);
  }
}

// One indented line per record of a SEND/DELIVER, from the bytes when the trace has them.
std::vector<std::string> recordLines(const dtlsim::TraceEvent& e) {
  std::vector<std::string> lines;
  if (!e.data().empty()) {
    const dtls::wire::DecodedDatagram d = dtls::wire::decodeDatagram(e.data());
    for (const dtls::wire::Record& r : d.records)
      lines.push_back("@" + std::to_string(r.offset) + " epoch " + std::to_string(r.epoch) +
                      " seq " + std::to_string(r.sequence_number) + " len " +
                      std::to_string(r.length()) + "  " + dtls::wire::describe(r));
    if (!d.ok()) lines.push_back("error: " + d.error());
    return lines;
  }
  for (const dtlsim::Record& r : e.records())
    lines.push_back("@" + std::to_string(r.offset()) + " epoch " + std::to_string(r.epoch()) +
                    " seq " + std::to_string(r.sequence_number()) + " len " +
                    std::to_string(r.length()) + "  " +
                    std::string(dtls::wire::contentTypeName(
                        static_cast<std::uint8_t>(r.content_type()))));
  return lines;
}

struct Row {
  std::string time, endpoint, arrow, id, text;
  std::vector<std::string> records;
};

std::string padRight(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
std::string padLeft(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Strips trailing spaces (padding of an empty last column).
std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::vector<Row> makeRows(const dtlsim::Trace& trace, const TimelineOptions& options) {
  const Context c = makeContext(trace);
  std::vector<const dtlsim::TraceEvent*> events;
  for (const dtlsim::TraceEvent& e : trace.events()) {
    if (e.kind() == dtlsim::TraceEvent::DELAY && !options.network_detail) continue;
    events.push_back(&e);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto* a, const auto* b) { return a->time_us() < b->time_us(); });
  std::vector<Row> rows;
  for (const dtlsim::TraceEvent* e : events) {
    Row row;
    row.time = formatMs(e->time_us());
    row.endpoint = e->endpoint().empty() ? (isNetwork(e->kind()) ? "net" : "-") : e->endpoint();
    if (isNetwork(e->kind())) {
      row.arrow = arrowOf(c, *e);
      row.id = "#" + std::to_string(e->datagram_id());
      row.text = networkText(c, *e);
      const bool carries_bytes =
          e->kind() == dtlsim::TraceEvent::SEND || e->kind() == dtlsim::TraceEvent::DELIVER;
      if (options.records && carries_bytes) row.records = recordLines(*e);
    } else {
      row.text = endpointText(*e);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string renderRows(const std::vector<Row>& rows) {
  std::size_t w_time = 7, w_endpoint = 8, w_arrow = 0, w_id = 0;  // "time ms", "endpoint"
  for (const Row& r : rows) {
    w_time = std::max(w_time, r.time.size());
    w_endpoint = std::max(w_endpoint, r.endpoint.size());
    w_arrow = std::max(w_arrow, r.arrow.size());
    w_id = std::max(w_id, r.id.size());
  }
  std::string out = padLeft("time ms", w_time) + "  " + padRight("endpoint", w_endpoint) +
                    "  event\n";
  for (const Row& r : rows) {
    std::string line = padLeft(r.time, w_time) + "  " + padRight(r.endpoint, w_endpoint) + "  ";
    if (r.arrow.empty() && r.id.empty()) {
      line += r.text;
    } else {
      line += padRight(r.arrow, w_arrow) + "  " + padRight(r.id, w_id) + "  " + r.text;
    }
    out += rtrim(line) + "\n";
    const std::string indent(w_time + 2 + w_endpoint + 2 + w_arrow + 2 + w_id + 2 + 4, ' ');
    for (const std::string& rec : r.records) out += indent + rec + "\n";
  }
  return out;
}

std::string renderHeader(const dtlsim::Trace& trace) {
  std::string out = "dtlsim trace: " +
                    (trace.scenario().name().empty() ? "(unnamed)" : trace.scenario().name()) +
                    "   seed " + std::to_string(trace.seed()) + "   build " +
                    (trace.build_id().empty() ? "(unknown)" : trace.build_id()) + "\n";
  for (const dtlsim::EndpointInfo& info : trace.endpoints())
    out += "  endpoint " + info.name() + " (" + info.role() + ") " +
           TraceBuilder::formatAddress(info.address(), static_cast<std::uint16_t>(info.port())) +
           "\n";
  return out + "\n";
}

// Per endpoint, from the events: datagrams and bytes sent, datagrams received.
struct Traffic {
  std::uint64_t sent = 0, sent_bytes = 0, received = 0, retransmits = 0, timers = 0;
};

std::string renderFooter(const dtlsim::Trace& trace) {
  const dtlsim::Outcome& o = trace.outcome();
  std::string out = "\noutcome: " + std::string(o.passed() ? "passed" : "FAILED") + "   end " +
                    formatMs(o.end_time_us()) + " ms   " + std::to_string(o.datagrams_sent()) +
                    " datagrams sent, " + std::to_string(o.datagrams_dropped()) + " dropped\n";
  for (const std::string& f : o.failures()) out += "  failure: " + f + "\n";

  std::map<std::string, Traffic> traffic;
  for (const dtlsim::TraceEvent& e : trace.events()) {
    if (e.endpoint().empty()) continue;
    Traffic& t = traffic[e.endpoint()];
    if (e.kind() == dtlsim::TraceEvent::SEND) {
      ++t.sent;
      t.sent_bytes += e.size_bytes();
    }
    if (e.kind() == dtlsim::TraceEvent::DELIVER) ++t.received;
    if (e.kind() == dtlsim::TraceEvent::RETRANSMIT) ++t.retransmits;
    if (e.kind() == dtlsim::TraceEvent::TIMER_EXPIRED) ++t.timers;
  }
  // One row per endpoint: the outcome's endpoints first (in their order), then any other
  // endpoint seen in the events.
  std::vector<std::vector<std::string>> table = {
      {"endpoint", "state", "handshake", "sent", "received", "retx", "delivered", "cipher",
       "last error"}};
  std::map<std::string, bool> listed;
  auto add_row = [&](const dtlsim::EndpointOutcome* eo, const std::string& name) {
    const Traffic& t = traffic[name];
    std::string error;
    if (eo && !eo->last_error().empty())
      error = eo->last_error() + (eo->last_error_string().empty()
                                      ? std::string()
                                      : " \"" + eo->last_error_string() + "\"");
    table.push_back(
        {name, eo ? eo->final_state() : "-",
         eo && eo->has_handshake_done_us() ? formatMs(eo->handshake_done_us()) + " ms" : "-",
         std::to_string(t.sent) + " (" + std::to_string(t.sent_bytes) + " B)",
         std::to_string(t.received),
         std::to_string(eo ? eo->retransmissions() : t.retransmits),
         eo ? std::to_string(eo->delivered_size()) : "-",
         eo && !eo->cipher().empty() ? eo->cipher() + " " + eo->protocol() : "-",
         error.empty() ? "-" : error});
    listed[name] = true;
  };
  for (const dtlsim::EndpointOutcome& eo : o.endpoints()) add_row(&eo, eo.name());
  std::vector<std::string> others;
  for (const auto& [name, t] : traffic)
    if (!listed.count(name)) others.push_back(name);
  for (const std::string& name : others) add_row(nullptr, name);

  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) line += "  " + padRight(row[i], widths[i]);
    out += rtrim(line) + "\n";
  }
  for (const dtlsim::EndpointOutcome& eo : o.endpoints())
    for (const std::string& v : eo.verification_errors())
      out += "  " + eo.name() + " verification error: " + v + "\n";
  return out;
}

}  // namespace

std::string formatMs(std::uint64_t time_us) {
  char frac[4];
  std::snprintf(frac, sizeof frac, "%03u", static_cast<unsigned>(time_us % 1000));
  return std::to_string(time_us / 1000) + "." + frac;
}

std::string renderTimeline(const dtlsim::Trace& trace, const TimelineOptions& options) {
  std::string out;
  if (options.header) out += renderHeader(trace);
  out += renderRows(makeRows(trace, options));
  if (options.footer) out += renderFooter(trace);
  return out;
}

}  // namespace scenarios
