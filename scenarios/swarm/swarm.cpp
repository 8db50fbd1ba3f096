#include "scenarios/swarm.h"

#include <algorithm>
#include <cstdio>

#include "scenarios/timeline.h"
#include "simnet/prng.h"

namespace scenarios {

namespace {

std::string msText(std::uint64_t us) { return formatMs(us) + " ms"; }

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// Each fault kind is on with its own probability and then gets a strength from its range, so
// a sweep covers single faults, pairs and the full mix. The ranges stay where a handshake can
// still finish within the liveness bound once the faults stop.
void drawFaults(simnet::Prng& rng, dtlsim::Link* link, std::string* draw) {
  auto on = [&](double p) { return rng.bernoulli(p); };
  auto in = [&](double lo, double hi) { return lo + (hi - lo) * rng.uniform01(); };
  auto add = [&](const std::string& what) { *draw += (draw->empty() ? "" : ", ") + what; };
  if (on(0.5)) {
    link->set_loss_probability(in(0.01, 0.4));
    add("loss " + number(link->loss_probability()));
  }
  if (on(0.25)) {
    dtlsim::GilbertElliott* ge = link->mutable_burst_loss();
    ge->set_p_good_to_bad(in(0.005, 0.05));
    ge->set_r_bad_to_good(in(0.1, 0.5));
    ge->set_bad_loss_probability(in(0.5, 1.0));
    add("burst p " + number(ge->p_good_to_bad()) + " r " + number(ge->r_bad_to_good()));
  }
  if (on(0.5)) {
    link->set_duplicate_probability(in(0.01, 0.3));
    link->set_duplicate_copies(static_cast<std::uint32_t>(rng.between(1, 3)));
    add("duplicate " + number(link->duplicate_probability()) + " x" +
        std::to_string(link->duplicate_copies()));
  }
  if (on(0.5)) {
    link->set_reorder_probability(in(0.01, 0.3));
    link->set_reorder_extra_delay_us(static_cast<std::uint64_t>(rng.between(1'000, 200'000)));
    add("reorder " + number(link->reorder_probability()) + " +" +
        msText(link->reorder_extra_delay_us()));
  }
  if (on(0.25)) {
    link->set_corrupt_probability(in(0.005, 0.1));
    link->set_corrupt_bit_flips(static_cast<std::uint32_t>(rng.between(1, 4)));
    add("corrupt " + number(link->corrupt_probability()) + " x" +
        std::to_string(link->corrupt_bit_flips()) + " bits");
  }
  if (on(0.25)) {
    link->set_truncate_probability(in(0.005, 0.05));
    add("truncate " + number(link->truncate_probability()));
  }
  if (on(0.5)) {
    link->mutable_jitter()->set_kind(dtlsim::Jitter::UNIFORM);
    link->mutable_jitter()->set_jitter_us(static_cast<std::uint64_t>(rng.between(100, 20'000)));
    add("jitter uniform " + msText(link->jitter().jitter_us()));
  }
}

}  // namespace

bool applySwarm(const SwarmOptions& options, std::uint64_t seed, LoadedScenario* loaded,
                std::string* draw, std::string* error) {
  simnet::Prng rng = simnet::Prng::forStream(seed, "swarm");
  dtlsim::Scenario& s = loaded->scenario;
  draw->clear();
  dtlsim::Link* link = s.mutable_network()->mutable_default_link();
  drawFaults(rng, link, draw);
  if (draw->empty()) *draw = "no faults";

  // The pair first: the MTU draw must not pick a limit the server's or client's stack cannot
  // keep to (Debian's wolfSSL always fits 1400-byte datagrams, feature MtuControl).
  RoleBackends pair;
  if (!options.backends.empty()) {
    pair.client = options.backends[rng.below(options.backends.size())];
    pair.server = options.backends[rng.below(options.backends.size())];
    if (!applyRoleBackends(loaded, pair, error)) return false;
  }
  bool wolfssl = false;
  for (const dtlsim::Endpoint& e : s.endpoints()) wolfssl = wolfssl || e.dtls().backend() == "wolfssl";
  if (rng.bernoulli(0.25)) {
    static constexpr std::uint32_t kMtus[] = {1200, 1400, 1500};
    const std::uint32_t mtu = kMtus[rng.below(wolfssl ? 2 : 3) + (wolfssl ? 1 : 0)];
    if (link->mtu_bytes() == 0 || mtu < link->mtu_bytes()) link->set_mtu_bytes(mtu);
    *draw += ", mtu " + std::to_string(link->mtu_bytes());
  }

  // The actions keep their order; their times stretch or shrink together.
  const double stretch = 0.5 + 1.5 * rng.uniform01();
  for (dtlsim::Action& a : *s.mutable_actions())
    a.set_at_ms(static_cast<std::uint64_t>(static_cast<double>(a.at_ms()) * stretch));
  if (s.actions_size() > 0) *draw += ", actions x" + number(stretch);

  static constexpr std::uint64_t kStops[] = {5'000, 10'000, 20'000, 40'000};
  const std::uint64_t stop = kStops[rng.below(std::size(kStops))];
  s.mutable_liveness()->set_faults_stop_ms(stop);
  const std::uint64_t end_ms = stop + livenessBoundMs(s.liveness()) + 1'000;
  if (static_cast<std::uint64_t>(maxVirtualTimeUs(s) / 1000) < end_ms) s.set_max_virtual_time_ms(end_ms);
  *draw += ", faults stop at " + std::to_string(stop) + " ms";
  if (!options.backends.empty()) *draw += ", pair " + pair.client + "/" + pair.server;
  s.clear_expectations();
  s.clear_explicit_faults();  // a recorded fault list would replace the draw
  return true;
}

}  // namespace scenarios
