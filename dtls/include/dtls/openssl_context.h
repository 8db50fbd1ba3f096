// dtls/openssl_context.h — which OpenSSL library context (OSSL_LIB_CTX) dtls objects use.
//
// Every SSL_CTX and every random byte of a Connection or ClientVerifier comes from the library
// context that was current on the constructing thread. A simulated world installs its own
// context (with a seeded randomness provider) for the lifetime of the world, so two worlds on
// two threads never share randomness. Without a scope, OpenSSL's default context is used.
#pragma once

#include <openssl/types.h>

namespace dtls {

// The library context current on this thread; nullptr means OpenSSL's default context.
OSSL_LIB_CTX* currentLibraryContext();

// Makes `context` current on this thread until the scope ends, then restores the previous one.
// Scopes nest. `context` must outlive every dtls object created while it was current.
class LibraryContextScope {
 public:
  explicit LibraryContextScope(OSSL_LIB_CTX* context);
  ~LibraryContextScope();
  LibraryContextScope(const LibraryContextScope&) = delete;
  LibraryContextScope& operator=(const LibraryContextScope&) = delete;

 private:
  OSSL_LIB_CTX* previous_;
};

}  // namespace dtls
