// scenarios/swarm.h — swarm testing: every seed of a sweep runs the story under its own draw of
// which faults are on, how strong, the MTU, when the actions happen and (given several
// backends) which stacks meet, instead of one fixed fault mix for all seeds. Bugs that one mix
// hides (a duplicate that only matters without loss, a reorder that a jitter would mask) show
// up in the draws where the mix is right (Groce et al., "Swarm testing", ISSTA 2012).
//
//   SwarmOptions swarm;
//   swarm.backends = {"openssl", "gnutls"};
//   RunOptions run;
//   run.seed = 17;
//   run.swarm = &swarm;             // runScenario applies the draw of seed 17
//   // or by hand: std::string draw; applySwarm(swarm, 17, &loaded, &draw, &error);
//
// A swarm run is judged by what holds under any faults: the invariants, the RFC 6347 oracles
// and a liveness phase (the faults stop at a drawn time and everything must then finish). The
// story's own expectations (timings, retransmission counts for its fixed faults) are dropped.
// The draw depends on the seed only (its own stream, apart from the network's), so
// `dtlsim run FILE --seed N --swarm` repeats any seed of `dtlsim sweep FILE --swarm` exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario_file.h"

namespace scenarios {

struct SwarmOptions {
  // When not empty, the client and the server backend are each drawn from these (every client
  // on one, every server on one). Empty: the scenario's own backends.
  std::vector<std::string> backends;
};

// Rewrites `loaded` with the draw of `seed`: the default link's faults, its MTU, the actions'
// times, the backends, a liveness phase, no expectations. Returns the draw as one line, e.g.
// "loss 0.231, duplicate 0.08 x2, jitter uniform 4.512 ms, mtu 1400, actions x1.37, faults stop
// at 20000 ms, pair gnutls/openssl". False (with `error`) only when a backend name is unknown.
bool applySwarm(const SwarmOptions& options, std::uint64_t seed, LoadedScenario* loaded,
                std::string* draw, std::string* error);

}  // namespace scenarios
