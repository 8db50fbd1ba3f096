// viz/model/compare.h — two runs of a story against each other (`dtlsim-viz --compare A B`):
// which datagrams correspond, and where the runs part.
//
// Datagrams correspond by path and order: the k-th datagram one endpoint sent another in run A
// is the k-th that endpoint sent the same peer (by lane name) in run B; network copies by copy
// number. A pair differs by
//  - records: the records' labels differ (another message, another fragment, another size);
//  - bytes: same records, other bytes — compared only when both runs have the same seed (two
//    seeds draw different randoms into every datagram, which says nothing);
//  - fate: delivered in one, lost (or lost for another reason, or still in flight) in the other;
//  - timing: sent at another time, or delivered after another delay;
//  - retransmission: a retransmitted flight in one run only;
// and a datagram without a counterpart is only in A or only in B. Differences are in time
// order (the earlier of the two sends), so the first is where the runs part.
//
// Widget-free and deterministic, as the rest of viz/model.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/timeline.h"

namespace viz {

struct Difference {
  enum class Kind { Records, Bytes, Fate, Timing, Retransmission, OnlyInA, OnlyInB };
  Kind kind = Kind::Fate;
  std::uint64_t time_us = 0;
  int a = -1;  // index into A's Timeline::datagrams; -1 when only in B
  int b = -1;
  std::string text;  // one line: "client → server #7/#7 Certificate (...): lost (rule) in A, delivered ..."
};

struct Comparison {
  bool same_seed = false;  // bytes were compared
  std::vector<std::pair<int, int>> matched;  // (index in A, index in B), by A's order
  std::vector<Difference> differences;       // by time; the first is where the runs part

  // The text `dtlsim-viz --compare` prints: both runs in a line each, how many datagrams
  // matched, the first difference, then every later one (at most `max_lines`).
  std::string summary(const std::string& name_a, const std::string& name_b,
                      std::size_t max_lines = 60) const;
};

// `trace_a`/`trace_b` give the seeds; the timelines are theirs.
Comparison compareRuns(const dtlsim::Trace& trace_a, const Timeline& a,
                       const dtlsim::Trace& trace_b, const Timeline& b);

const char* differenceKindName(Difference::Kind kind);

}  // namespace viz
