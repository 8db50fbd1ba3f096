// scenarios/sim_rand.h — a seeded OpenSSL library context: every random byte libssl and
// libcrypto draw in it (client/server randoms, ECDHE keys, cookie secrets, ticket keys, IVs)
// comes from a simnet::Prng stream of the world's seed (DESIGN.md §3 "Randomness").
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace scenarios {

// Owns an OSSL_LIB_CTX whose DRBG type is "simrand": a small built-in provider whose GENERATE
// draws from the world's stream. Replacing the DRBG type (not just its seed source) matters:
// OpenSSL's child DRBGs mix their heap address and a time/pid nonce into their state, so only
// a DRBG of our own makes the bytes reproducible. The default provider is loaded too, for the
// ciphers and digests.
//
// Draws happen in program order; a world is single-threaded, so the same seed gives the same
// bytes. Not thread-safe; one SeededLibraryContext per world.
class SeededLibraryContext {
 public:
  // Null context on failure, with `error` saying which OpenSSL step failed.
  static std::unique_ptr<SeededLibraryContext> create(std::uint64_t seed, std::string* error);
  ~SeededLibraryContext();
  SeededLibraryContext(const SeededLibraryContext&) = delete;
  SeededLibraryContext& operator=(const SeededLibraryContext&) = delete;

  OSSL_LIB_CTX* get() const { return libctx_; }
  // Restarts the stream: the next draw returns the same bytes as the first draw after create().
  // Fuzzers keep one context per process and rewind it per input (creating one costs ~5 ms).
  void rewind();
  // How many bytes the DRBG handed out (observability, and a test that randomness is used).
  std::uint64_t bytesGenerated() const;

  struct Stream;  // the provider's view of the seeded stream (sim_rand.cpp)

 private:
  SeededLibraryContext() = default;
  OSSL_LIB_CTX* libctx_ = nullptr;
  OSSL_PROVIDER* default_provider_ = nullptr;
  OSSL_PROVIDER* rand_provider_ = nullptr;
  std::unique_ptr<Stream> stream_;
};

}  // namespace scenarios
