// viz/model/playback.h — the replay cursor: steps through the timeline's event rows in time
// order and says what of the diagram is revealed at each step.
//
// Step k (0-based) means "event rows 0..k have happened"; -1 is before the first event and
// stepCount() - 1 shows everything. A datagram is hidden before the step of its SEND, in
// flight (drawn up to the cursor) until the step of its DELIVER or DROP, complete after.
// No clock: the GUI's timer calls stepForward(); the model only counts.
#pragma once

#include <cstdint>
#include <vector>

#include "model/timeline.h"

namespace viz {

enum class Reveal { Hidden, InFlight, Complete };

class Playback {
 public:
  // `timeline` must outlive the Playback. Starts at the end (everything revealed).
  explicit Playback(const Timeline* timeline);

  int stepCount() const { return static_cast<int>(timeline_->events.size()); }
  int cursor() const { return cursor_; }
  // Clamped to [-1, stepCount() - 1].
  void setCursor(int step);
  // False (and no change) at the end / at the start.
  bool stepForward();
  bool stepBack();
  bool atEnd() const { return cursor_ == stepCount() - 1; }

  // The virtual time of the current step; 0 before the first.
  std::uint64_t cursorTime() const;
  Reveal datagram(int index) const;
  bool marker(int index) const;
  // The first step that reveals the item (its SEND for a datagram); -1 if none does.
  int stepOf(const ItemRef& item) const;

 private:
  const Timeline* timeline_;
  int cursor_ = -1;
  std::vector<int> datagram_first_, datagram_last_, marker_step_;
};

}  // namespace viz
