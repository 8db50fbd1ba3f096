#include "leftovers.h"

namespace scenarios::detail {

namespace {

// Per thread: a world and its OpenSSL objects are single-threaded.
std::unique_ptr<Leftovers>& slot() {
  // A freed Leftovers' seeded context goes back to the per-thread idle list of sim_rand.cpp, so
  // that list must outlive this one: thread_locals are destroyed in reverse order of
  // construction, and asking for its size constructs it first.
  thread_local const std::size_t idle_list_first = SeededLibraryContext::idleOnThisThread();
  (void)idle_list_first;
  thread_local std::unique_ptr<Leftovers> leftovers;
  return leftovers;
}

}  // namespace

bool keepable(const dtls::Configuration& configuration) {
  return configuration.localCertificateChain().empty() && configuration.privateKey().isNull() &&
         configuration.caCertificates().empty();
}

std::unique_ptr<Leftovers> takeLeftovers(std::uint64_t seed) {
  std::unique_ptr<Leftovers> taken = std::move(slot());
  if (!taken || !taken->openssl || taken->seed != seed) return nullptr;
  taken->openssl->rewind();
  return taken;
}

void leaveLeftovers(std::unique_ptr<Leftovers> leftovers) { slot() = std::move(leftovers); }

}  // namespace scenarios::detail
