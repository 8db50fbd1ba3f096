// viz/model/timeline.h — a trace turned into what the sequence diagram draws: lanes (one per
// endpoint), datagram items (one per copy the network carried, with its fate and faults),
// markers (endpoint events on a lane) and the event rows of the event table.
//
// Widget-free and deterministic: the result depends on the trace only (no clock, no locale, no
// hash-map iteration), so the model tests compare it exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dtlsim/trace.pb.h"

namespace viz {

enum class LaneRole { Client, Server, Other };

struct Lane {
  std::string name;
  LaneRole role = LaneRole::Other;
  std::string address;  // "addr:port" as the trace's network events spell it; may be empty
  std::string library;  // "OpenSSL 3.0.22", from the outcome; empty when the trace has none
};

// What finally happened to one copy of a datagram.
enum class Fate {
  Delivered,  // a DELIVER event
  Dropped,    // a DROP event (drop_reason says why)
  InFlight,   // neither before the trace ends (held, or the run stopped first)
};

// One copy of one datagram: the original is copy 0, copies the network added are 1, 2, ...
struct DatagramItem {
  std::uint64_t id = 0;
  std::uint32_t copy = 0;
  int from_lane = -1;  // index into Timeline::lanes; -1 when the sender is unknown
  int to_lane = -1;
  std::uint64_t send_us = 0;
  std::uint64_t end_us = 0;  // delivery or drop time; the trace's end when in flight
  Fate fate = Fate::InFlight;
  std::string drop_reason;  // Fate::Dropped: simnet's reason ("loss", "rule", "mtu", ...)

  bool retransmission = false;  // a retransmitted flight (see buildTimeline)
  bool duplicate = false;       // copy > 0
  bool reordered = false;       // delivered after a datagram sent later on the same path
  std::uint32_t corrupted_bits = 0;
  std::optional<std::uint32_t> truncated_to_bytes;
  std::uint32_t size_bytes = 0;

  // Labels of the records as sent, one per record ("ClientHello (msg 0, frag 0-186)",
  // "ChangeCipherSpec", "Finished (epoch 1)", "AppData 1 KiB"); see datagram_label.h.
  std::vector<std::string> label_parts;
  std::string sent_bytes;       // as the sender wrote it (may be empty in a hand-made trace)
  std::string delivered_bytes;  // as the receiver got it (after corruption or truncation)

  int send_event = -1;  // index into Trace::events of its SEND
  int end_event = -1;   // its DELIVER or DROP; -1 in flight

  bool damaged() const { return corrupted_bits > 0 || truncated_to_bytes.has_value(); }
  // label_parts joined by ", ".
  std::string label() const;
  // Tags for what happened to it ("retransmission", "copy 1", "reordered", "corrupted 3 bits",
  // "truncated to 50 B", "lost (loss)", "in flight at end"). `brief`: the diagram's forms
  // ("retx", "copy 1", "reordered", "corrupted", "cut to 50 B"), without the fate (the
  // diagram draws it).
  std::vector<std::string> tags(bool brief = false) const;
};

enum class MarkerKind {
  State,       // handshake state change
  Timer,       // handshake timer expired
  Retransmit,  // a flight retransmitted
  Alert,
  Error,
  AppSend,
  AppReceive,
  Cookie,      // ClientVerifier: HelloVerifyRequest sent or ClientHello verified
  Action,      // a scenario action ran
  Note,
  Violation,   // an RFC 6347 oracle broken, or a liveness stall (from the outcome, no event)
};

// An endpoint event drawn on its lane.
struct MarkerItem {
  int lane = -1;
  std::uint64_t time_us = 0;
  MarkerKind kind = MarkerKind::Note;
  std::string text;  // "→ HandshakeComplete", "timer expired", "alert fatal ..."
  int event = -1;    // index into Trace::events; -1 for a Violation (the outcome's)
  // Violation: the whole line, with the property and its RFC section
  // ("oracle retransmit-trigger (RFC 6347 §4.2.4): client (wolfSSL 5.5.4): at t=...").
  std::string detail;
  // A server's event about one client: that client's "addr:port" (its detail's "[...]" prefix);
  // empty for an event of the whole endpoint.
  std::string peer;
};

// What a table row or playback step points at in the diagram.
struct ItemRef {
  enum class Type { None, Datagram, Marker };
  Type type = Type::None;
  int index = -1;  // into Timeline::datagrams or Timeline::markers
  bool operator==(const ItemRef&) const = default;
};

// One trace event as the event table lists it.
struct EventRow {
  int event = -1;  // index into Trace::events
  std::uint64_t time_us = 0;
  std::string endpoint;  // the endpoint concerned; "net" for network events without one
  std::string kind;      // "send", "deliver", "drop", "timer", "state", ... (kindName)
  std::string text;      // one line: "client → server #3 ClientHello (msg 1, frag 0-323) 348 B"
  ItemRef item;
};

struct Timeline {
  std::vector<Lane> lanes;  // clients first, then servers, then endpoints not in the header
  std::vector<DatagramItem> datagrams;  // by send time, then id, then copy
  std::vector<MarkerItem> markers;      // by time (trace order among equal times)
  std::vector<EventRow> events;         // every trace event, by time (stable)
  std::uint64_t end_us = 0;             // the outcome's end, or the last event's time

  // Index of the lane named `name`, or -1.
  int laneOf(const std::string& name) const;
  // The row of trace event `event`, or -1.
  int rowOfEvent(int event) const;
  // The first row that points at `item`, or -1.
  int rowOfItem(const ItemRef& item) const;
};

// The item a viewer should show first: the first lost datagram, else the first damaged one,
// else the first retransmission, else the first datagram; None for a trace without datagrams.
ItemRef firstNotableItem(const Timeline& timeline);

// The first datagram after index `after` (-1: from the start), wrapping around, that was lost,
// damaged, a network copy, reordered or a retransmission; None when the run has none. The
// viewer's "next fault" key walks the faults with it.
ItemRef nextNotableItem(const Timeline& timeline, int after);

// Bound on the events a trace may have for the viewer (DESIGN "bound everything"): a
// 300-second run of many clients stays well below; beyond it the diagram would be unusable.
inline constexpr int kMaxTimelineEvents = 200000;

// Builds the timeline. Never fails: events that reference unknown endpoints or datagrams are
// kept in the event rows and drawn where possible (an unknown lane is created by name).
// Retransmissions, per (sender, receiver): a datagram is one when its sender had a
// TIMER_EXPIRED or RETRANSMIT event at the same virtual time and had already sent on that path
// (handleTimeout resends the flight), or when every plaintext handshake fragment it carries was
// already sent on that path (OpenSSL's read path resends on its own, DESIGN.md §3). Reordering: per (sender, receiver), a copy delivered after a copy of a
// datagram with a higher id (sent later) was delivered.
Timeline buildTimeline(const dtlsim::Trace& trace);

// "send", "deliver", "drop", "duplicate", "corrupt", "truncate", "delay", "state", "timer",
// "retransmit", "app send", "app receive", "error", "alert", "verified", "hello verify",
// "action", "note", "unknown".
std::string kindName(dtlsim::TraceEvent::Kind kind);

// "12.345 ms" from microseconds, with integer arithmetic.
std::string formatMs(std::uint64_t time_us);

}  // namespace viz
