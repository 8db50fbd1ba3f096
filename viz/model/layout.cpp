#include "model/layout.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <map>
#include <tuple>

namespace viz {
namespace {

constexpr double kLabelGapPx = 10;   // between a lane (or a cross) and its label
constexpr double kTickLabelPx = 14;  // minimal distance between two labelled ticks
constexpr std::uint64_t kDefaultLatencyUs = 10'000;

// Something that needs a y: the two ends of a datagram or a marker. Anchors at one virtual
// instant keep trace order (`order`), so a delivery stays above the reply it caused.
struct Anchor {
  enum class Type { Send, End, Cross, Marker };
  std::uint64_t time_us = 0;
  long long order = 0;
  Type type = Type::Send;
  int index = 0;        // datagram or marker
  int column = -1;      // the label's column (0 = band, 1 + lane = marker column), -1 none
  double label_h = 0;   // height of its label (0: no label)
  double y = 0;
};

std::size_t utf8Prev(const std::string& s, std::size_t end) {
  std::size_t i = end;
  while (i > 0) {
    --i;
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) break;
  }
  return i;
}

// The median delivery latency per (from, to) lane pair: a lost datagram's cross is drawn
// half-way along the path its delivered siblings took.
std::map<std::pair<int, int>, std::uint64_t> typicalLatencies(const Timeline& t,
                                                              std::uint64_t* overall) {
  std::map<std::pair<int, int>, std::vector<std::uint64_t>> samples;
  std::vector<std::uint64_t> all;
  for (const DatagramItem& d : t.datagrams)
    if (d.fate == Fate::Delivered) {
      samples[{d.from_lane, d.to_lane}].push_back(d.end_us - d.send_us);
      all.push_back(d.end_us - d.send_us);
    }
  auto median = [](std::vector<std::uint64_t> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  *overall = all.empty() ? kDefaultLatencyUs : std::max<std::uint64_t>(median(all), 1);
  std::map<std::pair<int, int>, std::uint64_t> out;
  for (auto& [key, v] : samples) out[key] = std::max<std::uint64_t>(median(v), 1);
  return out;
}

struct Columns {
  std::vector<double> lane_x;
  double column_px = 0;
  std::vector<bool> lane_left;  // marker labels left of the lane
  double band_left = 0, band_right = 0, width = 0;
};

// Clients (and other endpoints) left of the band, servers right of it.
bool laneShown(const LayoutOptions& o, int lane) {
  return lane < 0 || o.shown_lanes.empty() ||
         (static_cast<std::size_t>(lane) < o.shown_lanes.size() && o.shown_lanes[static_cast<std::size_t>(lane)]);
}

Columns placeLanes(const Timeline& t, const LayoutOptions& o) {
  std::vector<int> left, right;
  for (std::size_t i = 0; i < t.lanes.size(); ++i)
    if (laneShown(o, static_cast<int>(i)))
      (t.lanes[i].role == LaneRole::Server ? right : left).push_back(static_cast<int>(i));
  if (right.empty() && left.size() > 1) {
    right.push_back(left.back());
    left.pop_back();
  }
  if (left.empty() && right.size() > 1) {
    left.push_back(right.front());
    right.erase(right.begin());
  }
  // The widest columns and band that fit: servers (right of the band) must stay in the window.
  const double lanes = static_cast<double>(left.size() + right.size());
  double col = o.marker_column_px;
  double band_min = o.min_band_px;
  if (lanes > 0 && o.time_column_px + col * lanes + band_min > o.width_px) {
    // std::min: options where a minimum exceeds its full width must not invert the range.
    band_min = std::clamp(o.width_px - o.time_column_px - col * lanes,
                          std::min(o.min_fit_band_px, o.min_band_px), o.min_band_px);
    col = std::clamp((o.width_px - o.time_column_px - band_min) / lanes,
                     std::min(o.min_lane_column_px, o.marker_column_px), o.marker_column_px);
  }
  Columns c;
  c.column_px = col;
  c.lane_x.assign(t.lanes.size(), 0);
  c.lane_left.assign(t.lanes.size(), true);
  double x = o.time_column_px + col;
  for (std::size_t i = 0; i < left.size(); ++i) {
    c.lane_x[left[i]] = x;
    if (i + 1 < left.size()) x += col;
  }
  c.band_left = x;
  const double fixed = c.band_left + col * static_cast<double>(right.size());
  const double band = std::max(band_min, o.width_px - fixed);
  c.band_right = c.band_left + band;
  x = c.band_right;
  for (int lane : right) {
    c.lane_x[lane] = x;
    c.lane_left[lane] = false;
    x += col;
  }
  c.width = std::max(x, c.band_right + col);
  return c;
}

// "10.0.0.2:49152" either way; for IPv6 a server names its peer "fd00::2:49152" inside its
// own brackets while a lane's address is "[fd00::2]:49152": compared without brackets.
bool samePeer(const std::string& a, const std::string& b) {
  const auto bare = [](std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '[' || c == ']'; }), s.end());
    return s;
  };
  return bare(a) == bare(b);
}

// A lost datagram's cross: half-way across the band (not half-way between lanes, which for
// a far-left client would fall among other clients' marker labels).
double crossX(const DatagramGeometry& g, const Columns& cols) {
  const double lo = std::max(std::min(g.x1, g.x2), cols.band_left);
  const double hi = std::min(std::max(g.x1, g.x2), cols.band_right);
  return (lo + hi) / 2;
}

LabelBox box(std::vector<std::string> lines, double anchor_x, bool to_the_left, double bottom_y,
             const LayoutOptions& o) {
  LabelBox b;
  if (lines.empty()) return b;
  for (const std::string& l : lines) b.width = std::max(b.width, o.text_width(l));
  b.height = o.line_px * static_cast<double>(lines.size());
  b.y = bottom_y - b.height;
  b.x = to_the_left ? anchor_x - kLabelGapPx - b.width : anchor_x + kLabelGapPx;
  b.right_aligned = to_the_left;
  b.lines = std::move(lines);
  return b;
}

}  // namespace

std::string elide(const std::string& text, double max_width,
                  const std::function<double(std::string_view)>& width) {
  if (width(text) <= max_width) return text;
  std::string cut = text;
  while (!cut.empty() && width(cut + "\u2026") > max_width) cut.erase(utf8Prev(cut, cut.size()));
  return cut + "\u2026";
}

std::vector<std::string> wrapParts(const std::vector<std::string>& parts, double max_width,
                                   int max_lines,
                                   const std::function<double(std::string_view)>& width) {
  assert(max_lines >= 1);
  std::vector<std::string> lines;
  std::string current;
  for (const std::string& part : parts) {
    const std::string joined = current.empty() ? part : current + ", " + part;
    // Room for the "," a wrapped line ends with.
    if (width(joined + ",") <= max_width) {
      current = joined;
      continue;
    }
    if (!current.empty()) lines.push_back(current + ",");
    current = elide(part, max_width - width(","), width);
  }
  if (!current.empty()) lines.push_back(current);
  if (static_cast<int>(lines.size()) > max_lines) {
    lines.resize(static_cast<std::size_t>(max_lines));
    std::string& last = lines.back();
    if (!last.empty() && last.back() == ',') last.pop_back();
    last = elide(last + " \u2026", max_width, width);
  }
  return lines;
}

std::vector<std::string> wrapWords(const std::string& text, double max_width, int max_lines,
                                   const std::function<double(std::string_view)>& width) {
  assert(max_lines >= 1);
  std::vector<std::string> lines;
  std::string current;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    const std::string joined = current.empty() ? word : current + " " + word;
    if (width(joined) <= max_width || current.empty()) {
      current = joined;
      continue;
    }
    lines.push_back(current);
    current = word;
  }
  if (!current.empty()) lines.push_back(current);
  if (static_cast<int>(lines.size()) > max_lines) {
    lines.resize(static_cast<std::size_t>(max_lines));
    lines.back() += " \u2026";
  }
  for (std::string& line : lines) line = elide(line, max_width, width);
  return lines;
}

double Layout::yForTime(std::uint64_t time_us) const {
  if (instants.empty()) return 0;
  if (time_us <= instants.front().time_us) return instants.front().y_first;
  if (time_us >= instants.back().time_us) return instants.back().y_first;
  const auto next = std::lower_bound(
      instants.begin(), instants.end(), time_us,
      [](const Instant& i, std::uint64_t t) { return i.time_us < t; });
  if (next->time_us == time_us) return next->y_first;
  const Instant& prev = *(next - 1);
  const double f = static_cast<double>(time_us - prev.time_us) /
                   static_cast<double>(next->time_us - prev.time_us);
  return prev.y_last + f * (next->y_first - prev.y_last);
}

std::uint64_t Layout::timeForY(double y) const {
  if (instants.empty()) return 0;
  if (y <= instants.front().y_first) return instants.front().time_us;
  const auto next = std::upper_bound(instants.begin(), instants.end(), y,
                                     [](double v, const Instant& i) { return v < i.y_first; });
  const Instant& prev = *(next - 1);
  if (next == instants.end() || y <= prev.y_last) return prev.time_us;
  const double f = (y - prev.y_last) / (next->y_first - prev.y_last);
  return prev.time_us +
         static_cast<std::uint64_t>(f * static_cast<double>(next->time_us - prev.time_us));
}

Layout layoutTimeline(const Timeline& t, const LayoutOptions& options) {
  LayoutOptions o = options;
  if (!o.text_width)
    o.text_width = [](std::string_view s) { return 7.0 * static_cast<double>(s.size()); };
  Layout out;
  const Columns cols = placeLanes(t, o);
  out.lane_x = cols.lane_x;
  out.lane_column_px = cols.column_px;
  for (std::size_t i = 0; i < t.lanes.size(); ++i) out.lane_shown.push_back(laneShown(o, static_cast<int>(i)));
  out.band_left = cols.band_left;
  out.band_right = cols.band_right;
  out.width = cols.width;
  out.datagrams.resize(t.datagrams.size());
  out.markers.resize(t.markers.size());

  std::uint64_t overall_latency = 0;
  const auto latencies = typicalLatencies(t, &overall_latency);
  const double marker_text_px = cols.column_px - 2 * kLabelGapPx;
  const bool marker_labels = cols.column_px >= o.marker_label_min_px;

  // 1. Anchors with their label sizes (labels are wrapped now: their height decides rows).
  std::vector<Anchor> anchors;
  for (std::size_t i = 0; i < t.datagrams.size(); ++i) {
    const DatagramItem& d = t.datagrams[i];
    DatagramGeometry& g = out.datagrams[i];
    g.shown = laneShown(o, d.from_lane) && laneShown(o, d.to_lane);
    if (!g.shown) continue;
    g.x1 = d.from_lane >= 0 ? cols.lane_x[d.from_lane] : cols.band_left;
    g.x2 = d.to_lane >= 0 ? cols.lane_x[d.to_lane] : cols.band_right;
    std::vector<std::string> parts = d.label_parts;
    std::string tags;
    for (const std::string& tag : d.tags(/*brief=*/true)) tags += (tags.empty() ? "[" : ", ") + tag;
    if (!tags.empty()) parts.push_back(tags + "]");
    // Labels stay inside the band (a client further left sends across its neighbours'
    // marker columns, its label must not): they start at the band's edge on the sender's side.
    const double wrap = std::max(120.0, cols.band_right - cols.band_left - 2.5 * kLabelGapPx);
    const bool leftwards = g.x2 < g.x1;
    const double label_x = leftwards ? std::min(g.x1, cols.band_right) : std::max(g.x1, cols.band_left);
    g.label = box(wrapParts(parts, wrap, o.max_label_lines, o.text_width), label_x, leftwards, 0, o);
    const long long send_order = static_cast<long long>(d.send_event) * 64 + d.copy;
    anchors.push_back({d.send_us, send_order, Anchor::Type::Send, static_cast<int>(i), 0,
                       g.label.height, 0});
    if (d.fate == Fate::Dropped) {
      const auto found = latencies.find({d.from_lane, d.to_lane});
      const std::uint64_t latency = found == latencies.end() ? overall_latency : found->second;
      const std::uint64_t cross_us = std::max(d.end_us, d.send_us + std::max<std::uint64_t>(latency / 2, 1));
      g.fate_label = box({"lost (" + d.drop_reason + ")"}, crossX(g, cols), false, 0, o);
      anchors.push_back({cross_us, static_cast<long long>(d.end_event) * 64 + d.copy,
                         Anchor::Type::Cross, static_cast<int>(i), 0, g.fate_label.height, 0});
    } else {
      const long long order = d.end_event >= 0 ? static_cast<long long>(d.end_event) * 64 + d.copy
                                               : std::numeric_limits<long long>::max();
      anchors.push_back({std::max(d.end_us, d.send_us), order, Anchor::Type::End,
                         static_cast<int>(i), -1, 0, 0});
    }
  }
  for (std::size_t i = 0; i < t.markers.size(); ++i) {
    const MarkerItem& m = t.markers[i];
    MarkerGeometry& g = out.markers[i];
    g.shown = laneShown(o, m.lane) &&
              (o.focus_peer.empty() || m.peer.empty() || samePeer(m.peer, o.focus_peer));
    if (!g.shown) continue;
    g.x = m.lane >= 0 ? cols.lane_x[m.lane] : cols.band_left;
    const bool left = m.lane < 0 || cols.lane_left[m.lane];
    if (marker_labels)
      g.label = box(wrapWords(m.text, marker_text_px, 2, o.text_width), g.x, left, 0, o);
    anchors.push_back({m.time_us, static_cast<long long>(m.event) * 64, Anchor::Type::Marker,
                       static_cast<int>(i), 1 + std::max(m.lane, 0), g.label.height, 0});
  }
  std::stable_sort(anchors.begin(), anchors.end(), [](const Anchor& a, const Anchor& b) {
    return std::tie(a.time_us, a.order) < std::tie(b.time_us, b.order);
  });

  // 2. Rows: walk instants in time order (see the header for the rules).
  std::map<int, double> column_bottom;  // the lowest label bottom so far, per column
  double y_cur = o.top_px;
  double prev_first = o.top_px;
  std::uint64_t prev_time = 0;
  double last_tick_y = -1e9;
  for (std::size_t i = 0; i < anchors.size();) {
    const std::uint64_t time = anchors[i].time_us;
    double y_group = y_cur;
    if (i > 0) {
      const std::uint64_t dt = time - prev_time;
      if (o.compress_gaps && dt > o.gap_threshold_us) {
        y_group = y_cur + o.break_px;
        out.breaks.push_back({y_cur + 4, y_group - 4, prev_time, time});
        // Labels stay below the break: nothing may be drawn inside it.
        for (auto& [column, bottom] : column_bottom) bottom = std::max(bottom, y_group - 4);
      } else {
        y_group = std::max(y_cur + o.min_step_px,
                           prev_first + static_cast<double>(dt) / 1000.0 * o.px_per_ms);
      }
    }
    double y = y_group;
    double first_y = -1;
    for (; i < anchors.size() && anchors[i].time_us == time; ++i) {
      Anchor& a = anchors[i];
      y = std::max(y, y_cur);
      if (a.column >= 0 && a.label_h > 0) {
        const auto found = column_bottom.find(a.column);
        const double bottom = found == column_bottom.end() ? o.top_px : found->second;
        y = std::max(y, bottom + a.label_h);
        column_bottom[a.column] = y;
      }
      a.y = y;
      y_cur = y;
      if (first_y < 0) first_y = y;
    }
    out.instants.push_back({time, first_y, y_cur});
    const bool labelled = first_y - last_tick_y >= kTickLabelPx;
    if (labelled) last_tick_y = first_y;
    out.ticks.push_back({first_y, time, labelled});
    prev_first = first_y;
    prev_time = time;
  }
  out.height = y_cur + o.bottom_px;

  // 3. Geometry from the rows.
  for (const Anchor& a : anchors) {
    if (a.type == Anchor::Type::Marker) {
      MarkerGeometry& g = out.markers[a.index];
      g.y = a.y;
      // The glyph sits in the middle of the label's last line; every label of the column moves
      // down by the same half line, so their rows still do not overlap.
      g.label.y = a.y - g.label.height + o.line_px / 2;
      continue;
    }
    DatagramGeometry& g = out.datagrams[a.index];
    switch (a.type) {
      case Anchor::Type::Send:
        g.y1 = a.y;
        g.label.y = a.y - g.label.height;
        break;
      case Anchor::Type::End:
        g.y2 = a.y;
        break;
      case Anchor::Type::Cross:
        g.x2 = crossX(g, cols);
        g.y2 = a.y - g.fate_label.height / 2;
        g.fate_label.y = a.y - g.fate_label.height;
        break;
      case Anchor::Type::Marker:
        break;
    }
  }
  for (DatagramGeometry& g : out.datagrams) g.y2 = std::max(g.y2, g.y1);
  return out;
}

}  // namespace viz
