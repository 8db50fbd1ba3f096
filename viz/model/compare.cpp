#include "model/compare.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "scenarios/timeline.h"

namespace viz {

namespace {

std::string laneName(const Timeline& t, int lane) {
  return lane >= 0 ? t.lanes[static_cast<std::size_t>(lane)].name : std::string("?");
}

// (sender, receiver, copy) -> the datagrams on that path in send order.
using PathKey = std::tuple<std::string, std::string, std::uint32_t>;
std::map<PathKey, std::vector<int>> byPath(const Timeline& t) {
  std::map<PathKey, std::vector<int>> out;
  for (std::size_t i = 0; i < t.datagrams.size(); ++i) {
    const DatagramItem& d = t.datagrams[i];
    out[{laneName(t, d.from_lane), laneName(t, d.to_lane), d.copy}].push_back(static_cast<int>(i));
  }
  return out;
}

std::string ms(std::uint64_t us) { return scenarios::formatMs(us) + " ms"; }

std::string fateText(const DatagramItem& d) {
  switch (d.fate) {
    case Fate::Delivered: return "delivered after " + ms(d.end_us - d.send_us);
    case Fate::Dropped: return "lost (" + d.drop_reason + ")";
    case Fate::InFlight: return "in flight at the end";
  }
  return {};
}

std::string head(const Timeline& t, const DatagramItem& d) {
  return laneName(t, d.from_lane) + " \u2192 " + laneName(t, d.to_lane);
}

}  // namespace

const char* differenceKindName(Difference::Kind kind) {
  switch (kind) {
    case Difference::Kind::Records: return "records";
    case Difference::Kind::Bytes: return "bytes";
    case Difference::Kind::Fate: return "fate";
    case Difference::Kind::Timing: return "timing";
    case Difference::Kind::Retransmission: return "retransmission";
    case Difference::Kind::OnlyInA: return "only in A";
    case Difference::Kind::OnlyInB: return "only in B";
  }
  return "";
}

Comparison compareRuns(const dtlsim::Trace& trace_a, const Timeline& a,
                       const dtlsim::Trace& trace_b, const Timeline& b) {
  Comparison c;
  c.same_seed = trace_a.seed() == trace_b.seed();
  const auto paths_a = byPath(a);
  const auto paths_b = byPath(b);
  std::map<PathKey, bool> keys;
  for (const auto& [k, v] : paths_a) keys[k] = true;
  for (const auto& [k, v] : paths_b) keys[k] = true;
  const std::vector<int> none;
  for (const auto& [key, unused] : keys) {
    const auto fa = paths_a.find(key);
    const auto fb = paths_b.find(key);
    const std::vector<int>& la = fa == paths_a.end() ? none : fa->second;
    const std::vector<int>& lb = fb == paths_b.end() ? none : fb->second;
    for (std::size_t k = 0; k < std::max(la.size(), lb.size()); ++k) {
      if (k >= lb.size()) {
        const DatagramItem& d = a.datagrams[static_cast<std::size_t>(la[k])];
        c.differences.push_back({Difference::Kind::OnlyInA, d.send_us, la[k], -1,
                                 head(a, d) + " #" + std::to_string(d.id) + " " + d.label() +
                                     ": only in A (" + fateText(d) + ")"});
        continue;
      }
      if (k >= la.size()) {
        const DatagramItem& d = b.datagrams[static_cast<std::size_t>(lb[k])];
        c.differences.push_back({Difference::Kind::OnlyInB, d.send_us, -1, lb[k],
                                 head(b, d) + " #" + std::to_string(d.id) + " " + d.label() +
                                     ": only in B (" + fateText(d) + ")"});
        continue;
      }
      const DatagramItem& da = a.datagrams[static_cast<std::size_t>(la[k])];
      const DatagramItem& db = b.datagrams[static_cast<std::size_t>(lb[k])];
      c.matched.emplace_back(la[k], lb[k]);
      const std::string who = head(a, da) + " #" + std::to_string(da.id) + "/#" +
                              std::to_string(db.id) + " " + da.label();
      const auto add = [&](Difference::Kind kind, const std::string& what) {
        c.differences.push_back({kind, std::min(da.send_us, db.send_us), la[k], lb[k], who + ": " + what});
      };
      if (da.label() != db.label()) {
        add(Difference::Kind::Records, "B has " + db.label());
      } else if (c.same_seed && da.sent_bytes != db.sent_bytes) {
        add(Difference::Kind::Bytes, "other bytes");
      }
      if (da.fate != db.fate || da.drop_reason != db.drop_reason) {
        add(Difference::Kind::Fate, fateText(da) + " in A, " + fateText(db) + " in B");
      } else if (da.send_us != db.send_us ||
                 (da.fate == Fate::Delivered && da.end_us - da.send_us != db.end_us - db.send_us)) {
        add(Difference::Kind::Timing, "sent at " + ms(da.send_us) + ", " + fateText(da) + " in A; sent at " +
                                          ms(db.send_us) + ", " + fateText(db) + " in B");
      }
      if (da.retransmission != db.retransmission)
        add(Difference::Kind::Retransmission,
            std::string("a retransmission in ") + (da.retransmission ? "A" : "B") + " only");
    }
  }
  std::stable_sort(c.differences.begin(), c.differences.end(),
                   [&](const Difference& x, const Difference& y) {
                     // Ties: by A's order of datagrams, so the report reads like the timeline.
                     const int xa = x.a >= 0 ? x.a : 1 << 30, ya = y.a >= 0 ? y.a : 1 << 30;
                     return std::tie(x.time_us, xa, x.b) < std::tie(y.time_us, ya, y.b);
                   });
  std::sort(c.matched.begin(), c.matched.end());
  return c;
}

std::string Comparison::summary(const std::string& name_a, const std::string& name_b,
                                std::size_t max_lines) const {
  std::string out = "A: " + name_a + "\nB: " + name_b + "\n";
  out += std::to_string(matched.size()) + " datagrams correspond";
  out += same_seed ? " (same seed: bytes compared)\n" : " (different seeds: bytes not compared)\n";
  if (differences.empty()) return out + "no difference\n";
  const Difference& first = differences.front();
  out += "first difference at " + ms(first.time_us) + " (" + differenceKindName(first.kind) +
         "): " + first.text + "\n";
  if (differences.size() == 1) return out;
  out += std::to_string(differences.size() - 1) + " later difference" +
         (differences.size() == 2 ? "" : "s") + ":\n";
  for (std::size_t i = 1; i < differences.size() && i <= max_lines; ++i) {
    const Difference& d = differences[i];
    out += "  " + ms(d.time_us) + " (" + differenceKindName(d.kind) + "): " + d.text + "\n";
  }
  if (differences.size() - 1 > max_lines)
    out += "  ... and " + std::to_string(differences.size() - 1 - max_lines) + " more\n";
  return out;
}

}  // namespace viz
