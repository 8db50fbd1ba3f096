// Test helper: runs a suite once per DTLS backend (dtls/backend.h). SetUp makes the row's
// backend the active one, so every Connection and ClientVerifier the test builds without naming
// a backend is on it; TearDown restores the previous one. A case that needs a feature the
// backend lacks skips, naming it: DTLSIM_REQUIRE_FEATURE(SupportedFeature::Psk), or
// DTLSIM_SKIP_ON("mbedtls", "ephemeral server key") for what the feature query does not cover.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "dtls/backend.h"

namespace dtls::test {

inline std::vector<std::string> backendsUnderTest() { return availableBackends(); }

// A plain-PSK suite the active backend implements: Debian's wolfSSL 5.5.4 is built without
// WOLFSSL_STATIC_PSK, so of the suites without (EC)DHE it has PSK-CHACHA20-POLY1305 only.
inline std::string pskCipherName() {
  return activeBackend() == "wolfssl" ? "PSK-CHACHA20-POLY1305" : "PSK-AES128-GCM-SHA256";
}

// A suite whose only parameter is the backend.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    previous_ = activeBackend();
    ASSERT_TRUE(setActiveBackend(GetParam())) << GetParam();
  }
  void TearDown() override { setActiveBackend(previous_); }

 private:
  std::string previous_;
};

// A suite with rows of its own, run for every backend: row() is the row.
template <typename Row>
class BackendRowTest : public ::testing::TestWithParam<std::tuple<std::string, Row>> {
 protected:
  void SetUp() override {
    previous_ = activeBackend();
    ASSERT_TRUE(setActiveBackend(std::get<0>(this->GetParam())));
  }
  void TearDown() override { setActiveBackend(previous_); }
  const Row& row() const { return std::get<1>(this->GetParam()); }

 private:
  std::string previous_;
};

inline std::string backendRowName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace dtls::test

#define DTLSIM_REQUIRE_FEATURE(feature)                                                       \
  do {                                                                                        \
    if (!::dtls::isFeatureSupported(feature))                                                 \
      GTEST_SKIP() << ::dtls::activeBackend() << " lacks " << ::dtls::toString(feature);      \
  } while (0)

#define DTLSIM_SKIP_ON(backend, what)                                                         \
  do {                                                                                        \
    if (::dtls::activeBackend() == (backend))                                                 \
      GTEST_SKIP() << (backend) << " lacks " << (what);                                       \
  } while (0)

#define DTLSIM_INSTANTIATE_FOR_BACKENDS(suite)                                                \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                   \
                           ::testing::ValuesIn(::dtls::test::backendsUnderTest()),            \
                           ::dtls::test::backendRowName)
