// libwolfssl 5.5.4 exports a few OpenSSL names (nm -D --defined-only: ERR_load_SSL_strings,
// SSL_COMP_get_compression_methods, SSL_SESSION_set1_id, SSL_SESSION_set1_id_context, ...). An
// unversioned definition satisfies a versioned reference, so the first library in the search
// order answers: dtls links libssl before libwolfssl (dtls/CMakeLists.txt). These tests prove
// that libssl answers the OpenSSL names this executable calls.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

namespace {

std::string libraryOf(const void* address) {
  Dl_info info{};
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "?";
  return info.dli_fname;
}

TEST(SymbolOriginTest, OpensslNamesThatLibwolfsslAlsoExportsResolveToLibssl) {
  for (const void* symbol : {reinterpret_cast<const void*>(&SSL_SESSION_set1_id),
                             reinterpret_cast<const void*>(&SSL_SESSION_set1_id_context),
                             reinterpret_cast<const void*>(&SSL_COMP_get_compression_methods),
                             reinterpret_cast<const void*>(&SSL_SESSION_get0_id_context)}) {
    const std::string library = libraryOf(symbol);
    EXPECT_NE(library.find("libssl.so"), std::string::npos) << library;
    EXPECT_EQ(library.find("wolfssl"), std::string::npos) << library;
  }
}

// libwolfssl's SSL_SESSION_set1_id works on a WOLFSSL_SESSION: on OpenSSL's SSL_SESSION it would
// write elsewhere, and the id would not read back through libssl's getter.
TEST(SymbolOriginTest, SslSessionSet1IdBehavesAsLibssl) {
  SSL_SESSION* session = SSL_SESSION_new();
  ASSERT_NE(session, nullptr);
  const unsigned char id[4] = {1, 2, 3, 4};
  ASSERT_EQ(SSL_SESSION_set1_id(session, id, sizeof id), 1);
  unsigned int length = 0;
  const unsigned char* read = SSL_SESSION_get_id(session, &length);
  ASSERT_EQ(length, sizeof id);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(read), length),
            std::string(reinterpret_cast<const char*>(id), sizeof id));
  SSL_SESSION_free(session);
}

}  // namespace
