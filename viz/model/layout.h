// viz/model/layout.h — where everything of a Timeline goes on the diagram, in scene pixels.
//
// Time runs down. The vertical axis is virtual time, but not linearly:
//  - every label gets a row of its own in its column (the network band between client and
//    server lanes, or a lane's marker column), so labels never overlap however many datagrams
//    leave at the same virtual instant (a server flight of 7 datagrams sent at t = 30 ms
//    becomes 7 rows; the scale only decides the space between different instants);
//  - an idle gap longer than `gap_threshold_us` (a retransmission timer of seconds) is
//    compressed to `break_px` and recorded as a Break, drawn as a break in the lanes.
// Within those rules y grows with time at `px_per_ms`, so zooming changes the spacing of
// instants while labels keep their font size.
//
// Widget-free: text widths come from a callback (QFontMetrics in the GUI, a fixed width per
// character in tests). Deterministic for a given timeline and options.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/timeline.h"

namespace viz {

struct LayoutOptions {
  double px_per_ms = 1.0;            // zoom: pixels per virtual millisecond between instants
  bool compress_gaps = true;         // idle gaps above the threshold become breaks
  std::uint64_t gap_threshold_us = 150'000;
  double break_px = 40;              // height of a compressed gap
  double line_px = 15;               // one label line
  double min_step_px = 4;            // between two instants, at the least
  double width_px = 900;             // the width to fill (the view's); the band takes the rest
  double time_column_px = 76;        // time labels on the left
  double marker_column_px = 200;     // marker texts beside each lane
  double min_band_px = 360;          // the network band between client and server lanes
  // When the lanes at those widths do not fit width_px (many clients), the band gives up
  // room down to min_fit_band_px, then every lane's column down to min_lane_column_px, so the
  // server lane stays in the window; narrower than marker_label_min_px, a lane's markers
  // keep their symbols and lose their texts (the event table and detail pane have them).
  double min_fit_band_px = 220;
  double min_lane_column_px = 40;
  double marker_label_min_px = 90;
  double top_px = 44;                // lane headers
  double bottom_px = 24;
  int max_label_lines = 4;           // a datagram label wraps onto at most this many lines
  // Width of `text` in pixels; default 7 px per byte (a stand-in for tests).
  std::function<double(std::string_view)> text_width;
  // Lanes to draw, per Timeline lane (empty: all). A datagram is drawn when both its lanes
  // are, a marker when its lane is: "client7 and the server" out of a hundred clients.
  std::vector<bool> shown_lanes;
  // Focus on one association: a server's markers about another client ("addr:port" other
  // than this one) are hidden too. Empty: no such filter.
  std::string focus_peer;
};

// A label's box (top-left corner) and its lines; empty `lines` means no label.
struct LabelBox {
  double x = 0, y = 0, width = 0, height = 0;
  std::vector<std::string> lines;
  bool right_aligned = false;  // text hugs the box's right edge (it ends at an anchor)
  bool empty() const { return lines.empty(); }
};

struct DatagramGeometry {
  bool shown = true;      // false: a lane of it is hidden (LayoutOptions::shown_lanes)
  double x1 = 0, y1 = 0;  // the send, on the sender's lane
  double x2 = 0, y2 = 0;  // the delivery on the receiver's lane; the cross of a lost one
  LabelBox label;         // above the arrow, at the sender's end
  LabelBox fate_label;    // lost: the drop reason beside the cross
};

struct MarkerGeometry {
  bool shown = true;
  double x = 0, y = 0;  // on the lane
  LabelBox label;       // in the lane's marker column
};

struct BreakGeometry {
  double y_top = 0, y_bottom = 0;
  std::uint64_t from_us = 0, to_us = 0;  // the idle interval it hides
};

struct Tick {
  double y = 0;
  std::uint64_t time_us = 0;
  bool labelled = false;  // false when too close to the previous labelled tick
};

struct Layout {
  std::vector<double> lane_x;      // per Timeline lane (meaningless for a hidden lane)
  double lane_column_px = 0;       // the room beside each lane (marker_column_px or less)
  std::vector<bool> lane_shown;    // per Timeline lane
  double band_left = 0, band_right = 0;
  std::vector<DatagramGeometry> datagrams;  // per Timeline datagram
  std::vector<MarkerGeometry> markers;      // per Timeline marker
  std::vector<BreakGeometry> breaks;
  std::vector<Tick> ticks;  // one per distinct instant
  double width = 0, height = 0;

  // Every instant with the first and last y used at it, by time.
  struct Instant {
    std::uint64_t time_us = 0;
    double y_first = 0, y_last = 0;
  };
  std::vector<Instant> instants;

  // y of virtual time `time_us`: the first row of an instant, linear in between (through a
  // break as well), clamped to the first and last instants.
  double yForTime(std::uint64_t time_us) const;
  // The inverse of yForTime (the latest time at or above `y`); 0 for an empty layout.
  std::uint64_t timeForY(double y) const;
};

Layout layoutTimeline(const Timeline& timeline, const LayoutOptions& options);

// Greedy wrap of `parts` (joined by ", ") into lines no wider than `max_width`; a part wider
// than a line is cut with "…". At most `max_lines` lines; if more were needed the last ends
// with "…".
std::vector<std::string> wrapParts(const std::vector<std::string>& parts, double max_width,
                                   int max_lines,
                                   const std::function<double(std::string_view)>& width);

// Greedy word wrap of `text` (split at spaces) into at most `max_lines` lines no wider than
// `max_width`; a word wider than a line, and the last line when text remains, end in "…".
std::vector<std::string> wrapWords(const std::string& text, double max_width, int max_lines,
                                   const std::function<double(std::string_view)>& width);

// `text` cut (UTF-8 safe) so that it plus "…" fits `max_width`; unchanged if it fits.
std::string elide(const std::string& text, double max_width,
                  const std::function<double(std::string_view)>& width);

}  // namespace viz
