// DroppedDatagram and ReplayWindow: decryptDatagram's accounting, the same on every backend.
#include <algorithm>

#include "connection_impl.h"

namespace dtls::detail {

// ---- DroppedDatagram ------------------------------------------------------------------------

std::string DroppedDatagram::describe() const {
  switch (why) {
    case Why::kNone:
      return {};
    case Why::kNotDtls:
      return "decryptDatagram: dropped " + std::to_string(bytes) +
             " bytes that are not a DTLS datagram: " + framing.text();
    case Why::kStripped:
      return "decryptDatagram: dropped " + stripped.describe();
    case Why::kForged:
      return "decryptDatagram: dropped a record (epoch " + std::to_string(epoch) + ", sequence " +
             std::to_string(sequence) + ") that failed authentication";
  }
  return {};
}

// ---- ReplayWindow ---------------------------------------------------------------------------

void ReplayWindow::reset(std::uint16_t epoch) {
  epoch_ = epoch;
  any_ = false;
  highest_ = 0;
  bitmap_ = 0;
}

void ReplayWindow::accept(std::uint16_t epoch, std::uint64_t seq) {
  if (epoch != epoch_) reset(epoch);
  if (!any_ || seq > highest_) {
    const std::uint64_t shift = any_ ? seq - highest_ : 64;
    bitmap_ = shift >= 64 ? 0 : bitmap_ << shift;
    bitmap_ |= 1;
    highest_ = seq;
    any_ = true;
  } else if (highest_ - seq < 64) {
    bitmap_ |= std::uint64_t{1} << (highest_ - seq);
  }
}

void ReplayWindow::acceptIfAllRead(std::vector<Number>* batch, std::size_t reads) {
  std::size_t candidates = 0;
  for (const Number& number : *batch) {
    if (seen(number.first, number.second)) continue;
    const auto end = batch->begin() + static_cast<std::ptrdiff_t>(candidates);
    if (std::find(batch->begin(), end, number) != end) continue;
    (*batch)[candidates++] = number;
  }
  if (reads != candidates) return;
  for (std::size_t i = 0; i < candidates; ++i) accept((*batch)[i].first, (*batch)[i].second);
}

bool ReplayWindow::seen(std::uint16_t epoch, std::uint64_t seq) const {
  if (epoch != epoch_) return epoch < epoch_;  // an old epoch: OpenSSL drops it as stale
  if (!any_ || seq > highest_) return false;
  const std::uint64_t age = highest_ - seq;
  return age >= 64 || (bitmap_ >> age) & 1;
}

}  // namespace dtls::detail
