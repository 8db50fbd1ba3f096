// scenarios/sim_rand.h — a seeded OpenSSL library context: every random byte libssl and
// libcrypto draw in it (client/server randoms, ECDHE keys, cookie secrets, ticket keys, IVs),
// and every byte another backend draws through randomSource(), comes from a simnet::Prng
// stream of the world's seed (DESIGN.md §3 "Randomness").
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dtls/random_source.h"

namespace scenarios {

// Owns an OSSL_LIB_CTX whose DRBG type is "simrand": a small built-in provider whose GENERATE
// draws from the world's stream. Replacing the DRBG type (not just its seed source) matters:
// OpenSSL's child DRBGs mix their heap address and a time/pid nonce into their state, so only
// a DRBG of our own makes the bytes reproducible. The default provider is loaded too, for the
// ciphers and digests.
//
// Draws happen in program order; a world is single-threaded, so the same seed gives the same
// bytes. Not thread-safe; one SeededLibraryContext per world.
//
// Building a library context costs about 5 ms (two providers, then a cold method store), more
// than a whole lossless simulated handshake. So a destroyed SeededLibraryContext keeps its
// OpenSSL context on an idle list of its thread (at most kMaxIdlePerThread), and create() on
// that thread takes it back and restarts its stream with the new seed. That is invisible in
// the bytes: everything random in the context comes from the stream, and what else a library
// context keeps (fetched algorithms, name maps) changes speed, not results. Nothing outside the
// context may hold on to it after its SeededLibraryContext is gone (the rule of any context).
class SeededLibraryContext {
 public:
  static constexpr std::size_t kMaxIdlePerThread = 2;

  // Null context on failure, with `error` saying which OpenSSL step failed.
  static std::unique_ptr<SeededLibraryContext> create(std::uint64_t seed, std::string* error);
  ~SeededLibraryContext();
  SeededLibraryContext(const SeededLibraryContext&) = delete;
  SeededLibraryContext& operator=(const SeededLibraryContext&) = delete;

  OSSL_LIB_CTX* get() const;
  // Restarts the stream: the next draw returns the same bytes as the first draw after create().
  // Fuzzers keep one context per process and rewind it per input.
  void rewind();
  // The same stream for backends that draw through a callback (mbedTLS's f_rng): install it
  // with dtls::RandomSourceScope. Lives as long as this context.
  dtls::RandomSource* randomSource() const;
  // How many bytes the DRBG handed out (observability, and a test that randomness is used).
  std::uint64_t bytesGenerated() const;
  // Idle contexts kept by the calling thread (for tests).
  static std::size_t idleOnThisThread();


  struct Stream;  // the provider's view of the seeded stream (sim_rand.cpp)
  struct Core;    // the OpenSSL context, its providers and its stream

 private:
  explicit SeededLibraryContext(std::unique_ptr<Core> core);
  std::unique_ptr<Core> core_;
};

}  // namespace scenarios
