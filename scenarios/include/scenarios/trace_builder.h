// scenarios/trace_builder.h — appends TraceEvents to a dtlsim::Trace with every field the
// exporters (pcapng, timeline) and the GUI read filled in consistently.
//
//   dtlsim::Trace trace;
//   scenarios::TraceBuilder b(&trace);
//   b.send(0, "client", 1, "10.0.0.1:50000", "10.0.0.2:4433", datagram);
//   b.delay(0, 1, 0, 10'000);
//   b.deliver(10'000, "server", 1, 0, "10.0.0.1:50000", "10.0.0.2:4433", datagram);
//
// Events are appended in call order; exporters sort them by time with a stable sort, so call
// order breaks ties. Network event arguments mirror simnet::NetEvent (simnet/observer.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dtlsim/trace.pb.h"

namespace scenarios {

class TraceBuilder {
 public:
  // `trace` is not owned and must outlive the builder.
  explicit TraceBuilder(dtlsim::Trace* trace);

  // Every method returns the appended event (owned by the trace; the reference stays valid
  // while the trace lives and its events are not removed), for callers that add more fields.

  // SEND: `bytes` as the sender wrote them. Fills size_bytes, data, records and label from
  // dtls::wire::decodeDatagram / describe.
  dtlsim::TraceEvent& send(std::uint64_t time_us, const std::string& endpoint,
                           std::uint64_t datagram_id, const std::string& source,
                           const std::string& destination, std::string_view bytes);
  // DELIVER: copy `copy` of the datagram reached `endpoint` (the receiver) as `bytes`.
  dtlsim::TraceEvent& deliver(std::uint64_t time_us, const std::string& endpoint,
                              std::uint64_t datagram_id, std::uint32_t copy,
                              const std::string& source, const std::string& destination,
                              std::string_view bytes);
  // DROP: `reason` is simnet's toString(DropReason): "loss", "burst", "mtu", "queue", ...
  dtlsim::TraceEvent& drop(std::uint64_t time_us, std::uint64_t datagram_id, std::uint32_t copy,
                           const std::string& reason, std::uint32_t size_bytes);
  // DUPLICATE: `extra_copies` copies were added to the original.
  dtlsim::TraceEvent& duplicate(std::uint64_t time_us, std::uint64_t datagram_id,
                                std::uint32_t extra_copies);
  // CORRUPT: the bits (byte * 8 + bit) flipped in `copy`; value = their number.
  dtlsim::TraceEvent& corrupt(std::uint64_t time_us, std::uint64_t datagram_id,
                              std::uint32_t copy, const std::vector<std::uint32_t>& flipped_bits);
  // TRUNCATE: `copy` was cut to `new_size_bytes`.
  dtlsim::TraceEvent& truncate(std::uint64_t time_us, std::uint64_t datagram_id,
                               std::uint32_t copy, std::uint32_t new_size_bytes);
  // DELAY: `copy` will arrive `delay_us` after the send.
  dtlsim::TraceEvent& delay(std::uint64_t time_us, std::uint64_t datagram_id, std::uint32_t copy,
                            std::int64_t delay_us);

  // Endpoint events: `detail` is free text shown in the timeline.
  dtlsim::TraceEvent& state(std::uint64_t time_us, const std::string& endpoint,
                            const std::string& new_state);
  dtlsim::TraceEvent& timerExpired(std::uint64_t time_us, const std::string& endpoint);
  dtlsim::TraceEvent& retransmit(std::uint64_t time_us, const std::string& endpoint,
                                 const std::string& detail = {});
  dtlsim::TraceEvent& appSend(std::uint64_t time_us, const std::string& endpoint,
                              std::string_view payload);
  dtlsim::TraceEvent& appReceive(std::uint64_t time_us, const std::string& endpoint,
                                 std::string_view payload);
  dtlsim::TraceEvent& error(std::uint64_t time_us, const std::string& endpoint,
                            const std::string& detail);
  dtlsim::TraceEvent& endpointEvent(dtlsim::TraceEvent::Kind kind, std::uint64_t time_us,
                                    const std::string& endpoint, const std::string& detail);

  // Appends one NSS key log line (without its newline).
  void keylog(const std::string& line);

  // Fills event->records and event->label from `bytes` (decodeDatagram + describe). Without
  // `with_label` the label is left alone: the oracles read the records only.
  static void decodeInto(std::string_view bytes, dtlsim::TraceEvent* event,
                         bool with_label = true);
  // A payload summary for APP_SEND / APP_RECEIVE details: "4 B \"ping\"" for printable text up
  // to 32 bytes, else "1024 B 16030100..." (the first 8 bytes in hex and "...").
  static std::string summarizePayload(std::string_view payload);
  // "127.0.0.1:4433", or "[::1]:4433" when `address` contains ':'.
  static std::string formatAddress(const std::string& address, std::uint16_t port);

 private:
  dtlsim::TraceEvent& add(dtlsim::TraceEvent::Kind kind, std::uint64_t time_us);
  dtlsim::Trace* trace_;
};

}  // namespace scenarios
