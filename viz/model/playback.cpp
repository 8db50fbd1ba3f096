#include "model/playback.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <map>

namespace viz {

Playback::Playback(const Timeline* timeline) : timeline_(timeline) {
  assert(timeline_ != nullptr);
  constexpr int kNever = std::numeric_limits<int>::max();
  datagram_first_.assign(timeline_->datagrams.size(), kNever);
  datagram_last_.assign(timeline_->datagrams.size(), -1);
  marker_step_.assign(timeline_->markers.size(), kNever);
  for (int step = 0; step < stepCount(); ++step) {
    const EventRow& row = timeline_->events[static_cast<std::size_t>(step)];
    if (row.item.type == ItemRef::Type::Marker) {
      int& s = marker_step_[static_cast<std::size_t>(row.item.index)];
      s = std::min(s, step);
    } else if (row.item.type == ItemRef::Type::Datagram) {
      const auto i = static_cast<std::size_t>(row.item.index);
      const DatagramItem& d = timeline_->datagrams[i];
      // A copy has no SEND of its own: it appears with its original's SEND.
      if (row.event == d.send_event || datagram_first_[i] == kNever)
        datagram_first_[i] = std::min(datagram_first_[i], step);
      if (row.event == d.end_event) datagram_last_[i] = step;
    }
  }
  // A marker without an event row (a violation from the outcome) appears with the last row at
  // or before its time.
  for (std::size_t i = 0; i < timeline_->markers.size(); ++i) {
    if (marker_step_[i] != kNever) continue;
    const auto after = std::upper_bound(
        timeline_->events.begin(), timeline_->events.end(), timeline_->markers[i].time_us,
        [](std::uint64_t time, const EventRow& row) { return time < row.time_us; });
    marker_step_[i] = std::max(0, static_cast<int>(after - timeline_->events.begin()) - 1);
  }
  // Copies share their original's SEND row, which points at copy 0: give them its step.
  std::map<std::uint64_t, std::size_t> original;
  for (std::size_t i = 0; i < timeline_->datagrams.size(); ++i)
    if (timeline_->datagrams[i].copy == 0) original[timeline_->datagrams[i].id] = i;
  for (std::size_t i = 0; i < timeline_->datagrams.size(); ++i) {
    const auto found = original.find(timeline_->datagrams[i].id);
    if (timeline_->datagrams[i].copy != 0 && found != original.end())
      datagram_first_[i] = std::min(datagram_first_[i], datagram_first_[found->second]);
  }
  cursor_ = stepCount() - 1;
}

void Playback::setCursor(int step) { cursor_ = std::clamp(step, -1, stepCount() - 1); }

bool Playback::stepForward() {
  if (atEnd()) return false;
  ++cursor_;
  return true;
}

bool Playback::stepBack() {
  if (cursor_ < 0) return false;
  --cursor_;
  return true;
}

std::uint64_t Playback::cursorTime() const {
  if (cursor_ < 0) return 0;
  return timeline_->events[static_cast<std::size_t>(cursor_)].time_us;
}

Reveal Playback::datagram(int index) const {
  const auto i = static_cast<std::size_t>(index);
  if (cursor_ < datagram_first_[i]) return Reveal::Hidden;
  // In flight until its end step; one without an end event stays in flight until the end.
  const int last = datagram_last_[i] >= 0 ? datagram_last_[i] : stepCount() - 1;
  return cursor_ < last ? Reveal::InFlight : Reveal::Complete;
}

bool Playback::marker(int index) const {
  return cursor_ >= marker_step_[static_cast<std::size_t>(index)];
}

int Playback::stepOf(const ItemRef& item) const {
  constexpr int kNever = std::numeric_limits<int>::max();
  int step = kNever;
  if (item.type == ItemRef::Type::Datagram) step = datagram_first_[static_cast<std::size_t>(item.index)];
  if (item.type == ItemRef::Type::Marker) step = marker_step_[static_cast<std::size_t>(item.index)];
  return step == kNever ? -1 : step;
}

}  // namespace viz
