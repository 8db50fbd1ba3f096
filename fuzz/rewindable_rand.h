// fuzz/rewindable_rand.h — an OpenSSL library context whose randomness is a seeded stream that
// can be rewound to its start.
//
// Why not scenarios::SeededLibraryContext per input: a fresh OSSL_LIB_CTX loads the default
// provider and re-fetches every algorithm, which cost ~5 ms per input under ASan. Here one
// context lives for the whole process and each input rewinds its stream, so every input draws
// the same bytes in the same order (same DRBG design as sim_rand.cpp, DESIGN.md §3: a provider
// whose GENERATE reads the stream, installed with RAND_set_DRBG_type before any draw).
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>

namespace dtlsim_fuzz {

class RewindableLibraryContext {
 public:
  // Aborts (via fail()) if OpenSSL refuses a step: a fuzzer without it is meaningless.
  explicit RewindableLibraryContext(std::uint64_t seed);
  ~RewindableLibraryContext();
  RewindableLibraryContext(const RewindableLibraryContext&) = delete;
  RewindableLibraryContext& operator=(const RewindableLibraryContext&) = delete;

  OSSL_LIB_CTX* get() const { return libctx_; }
  // The next draw returns the stream's first bytes again.
  void rewind();

  struct Stream;

 private:
  std::unique_ptr<Stream> stream_;
  OSSL_LIB_CTX* libctx_ = nullptr;
  OSSL_PROVIDER* default_provider_ = nullptr;
  OSSL_PROVIDER* rand_provider_ = nullptr;
};

}  // namespace dtlsim_fuzz
