#include "simnet/link_model.h"

#include <cmath>
#include <sstream>

namespace simnet {
namespace {

std::string num(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

bool badProbability(double p) { return !(p >= 0.0 && p <= 1.0); }  // NaN is bad too

}  // namespace

Status validateLinkModel(const LinkModel& m, const std::string& where) {
  const auto prob = [&](const char* field, double p) -> Status {
    if (badProbability(p)) return Error{where + ": " + field + " " + num(p) + " is outside [0, 1]"};
    return {};
  };
  const auto nonneg = [&](const char* field, std::int64_t v) -> Status {
    if (v < 0) return Error{where + ": " + field + " " + std::to_string(v) + " is negative"};
    return {};
  };
  for (const Status& s : {prob("loss_probability", m.loss_probability),
                          prob("duplicate_probability", m.duplicate_probability),
                          prob("reorder_probability", m.reorder_probability),
                          prob("corrupt_probability", m.corrupt_probability),
                          prob("truncate_probability", m.truncate_probability),
                          nonneg("latency_us", m.latency_us),
                          nonneg("jitter_us", m.jitter.jitter_us),
                          nonneg("jitter_max_us", m.jitter.jitter_max_us),
                          nonneg("reorder_extra_delay_us", m.reorder_extra_delay_us)}) {
    if (!s.ok()) return s;
  }
  if (m.burst_loss.enabled) {
    for (const Status& s : {prob("burst_loss.p_good_to_bad", m.burst_loss.p_good_to_bad),
                            prob("burst_loss.r_bad_to_good", m.burst_loss.r_bad_to_good),
                            prob("burst_loss.bad_loss_probability", m.burst_loss.bad_loss_probability),
                            prob("burst_loss.good_loss_probability", m.burst_loss.good_loss_probability)}) {
      if (!s.ok()) return s;
    }
    if (m.burst_loss.r_bad_to_good == 0.0) {
      return Error{where + ": burst_loss.r_bad_to_good 0 means a burst never ends"};
    }
  }
  if (m.jitter.kind == JitterModel::Kind::kPareto && !(m.jitter.pareto_shape > 0.0)) {
    return Error{where + ": jitter.pareto_shape " + num(m.jitter.pareto_shape) + " must be > 0"};
  }
  if (m.mtu_bytes == 0 || m.mtu_bytes > 65535) {
    return Error{where + ": mtu_bytes " + std::to_string(m.mtu_bytes) + " is outside [1, 65535]"};
  }
  if (m.duplicate_copies == 0 || m.duplicate_copies > kMaxDuplicateCopies) {
    return Error{where + ": duplicate_copies " + std::to_string(m.duplicate_copies) +
                 " is outside [1, " + std::to_string(kMaxDuplicateCopies) + "]"};
  }
  if (m.corrupt_bit_flips == 0) return Error{where + ": corrupt_bit_flips 0 flips nothing"};
  if (m.corrupt_bit_flips > kMaxCorruptBitFlips) {
    return Error{where + ": corrupt_bit_flips " + std::to_string(m.corrupt_bit_flips) + " is above " +
                 std::to_string(kMaxCorruptBitFlips)};
  }
  if (m.bandwidth_bytes_per_second > 0 && m.queue_capacity_bytes == 0) {
    return Error{where + ": queue_capacity_bytes 0 drops every datagram at bandwidth " +
                 std::to_string(m.bandwidth_bytes_per_second)};
  }
  return {};
}

}  // namespace simnet
