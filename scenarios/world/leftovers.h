// Private: what a finished world leaves to the next world on its thread, so that a program
// running the same scenario again and again (a fuzzer, a sweep of one seed) does not rebuild
// OpenSSL contexts for each run, without changing a byte of any run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dtls/configuration.h"
#include "dtls/tls_context_pin.h"
#include "scenarios/sim_rand.h"

namespace scenarios::detail {

// A world's seeded library context, its configurations and the pinned contexts built from them.
// Reuse is invisible in the trace: the seeded context is rewound to where a new one would start
// (so only a world with the same seed takes it), a configuration is reused only where an
// equal one was built, and a pinned context is parked (dtls::TlsContextPin::park), so its first
// user draws the bytes its build drew.
struct Leftovers {
  struct Kept {
    // The endpoint's dtls block and role as World::createEndpoints keys them, and the default
    // configuration then: a keepable configuration is a function of both, so a world with the
    // same key and defaults takes it without building it again.
    std::string key;
    dtls::Configuration defaults;
    dtls::Configuration configuration;
    dtls::SslMode mode;
    dtls::TlsContextPin pin;
  };
  std::uint64_t seed = 0;
  std::unique_ptr<SeededLibraryContext> openssl;
  // Declared after the library context: destroyed before it.
  std::vector<Kept> kept;
  dtls::TlsContextPin verifier;  // the ClientVerifiers' context, if the world had one
};

// Whether a configuration may be kept for later worlds: not if it holds a private key or
// certificates, whose objects carry state that draws randomness (an RSA key's blinding), so a
// key reused by a later world would shift its random stream.
bool keepable(const dtls::Configuration& configuration);

// The leftovers of this thread's last world if it ran with `seed`, rewound; null otherwise (any
// others are freed).
std::unique_ptr<Leftovers> takeLeftovers(std::uint64_t seed);
// Keeps `leftovers` for the next world on this thread (replacing older ones).
void leaveLeftovers(std::unique_ptr<Leftovers> leftovers);

}  // namespace scenarios::detail
