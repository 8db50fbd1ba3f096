// Expectations restricted to a DTLS library build (Expectation.library): checked where the
// endpoint ran a build in the range, skipped elsewhere, versions compared number by number.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../../scenarios/runner/judge.h"
#include "scenarios/library_range.h"

namespace scenarios {
namespace {

// One client that ran `library` and was handed `delivered` payloads, and one expectation of
// 16 payloads on builds from 3.0.22 on.
std::vector<std::string> judge(const std::string& library, int delivered,
                               const std::string& min_version = "3.0.22",
                               const std::string& below_version = "") {
  dtlsim::Scenario scenario;
  dtlsim::Expectation* x = scenario.add_expectations();
  x->set_endpoint("client");
  x->set_delivered_count(16);
  x->mutable_library()->set_name("OpenSSL");
  x->mutable_library()->set_min_version(min_version);
  x->mutable_library()->set_below_version(below_version);
  dtlsim::Outcome outcome;
  dtlsim::EndpointOutcome* o = outcome.add_endpoints();
  o->set_name("client");
  o->set_library(library);
  for (int i = 0; i < delivered; ++i) o->add_delivered("p");
  return detail::checkExpectations(scenario, outcome);
}

TEST(ExpectationsTest, ALibraryRangeAppliesOnlyToBuildsInIt) {
  EXPECT_TRUE(judge("OpenSSL 3.0.22", 16).empty());
  EXPECT_EQ(judge("OpenSSL 3.0.22", 80).size(), 1u);
  EXPECT_EQ(judge("OpenSSL 3.1.0", 80).size(), 1u);
  EXPECT_TRUE(judge("OpenSSL 3.0.20", 80).empty()) << "below the range: not checked";
  EXPECT_TRUE(judge("OpenSSL 3.0.9", 80).empty()) << "9 < 22 as numbers, not as text";
  EXPECT_TRUE(judge("GnuTLS 3.7.9", 80).empty()) << "another library";
  EXPECT_TRUE(judge("", 80).empty()) << "no library (a noise sender)";
}

// An excluded range is checked everywhere else: the RFC's expectation, waived for one stack.
TEST(ExpectationsTest, AnExcludedLibraryIsTheOnlyOneNotChecked) {
  dtlsim::Scenario scenario;
  dtlsim::Expectation* x = scenario.add_expectations();
  x->set_endpoint("client");
  x->set_min_retransmissions(1);
  x->mutable_library()->set_name("GnuTLS");
  x->mutable_library()->set_excluded(true);
  x->mutable_library()->set_finding("002-gnutls-forgets-its-flight");
  const auto failures = [&](const std::string& library) {
    dtlsim::Outcome outcome;
    dtlsim::EndpointOutcome* o = outcome.add_endpoints();
    o->set_name("client");
    o->set_library(library);
    return detail::checkExpectations(scenario, outcome).size();
  };
  EXPECT_EQ(failures("OpenSSL 3.0.22"), 1u);
  EXPECT_EQ(failures("mbed TLS 2.28.3"), 1u);
  EXPECT_EQ(failures("GnuTLS 3.7.9"), 0u);
}

TEST(ExpectationsTest, BelowVersionIsExclusive) {
  EXPECT_EQ(judge("OpenSSL 3.0.20", 80, "", "3.0.22").size(), 1u);
  EXPECT_TRUE(judge("OpenSSL 3.0.22", 80, "", "3.0.22").empty());
  EXPECT_EQ(judge("OpenSSL 3.0.17", 80, "3.0.17", "3.0.22").size(), 1u);
}

TEST(ExpectationsTest, ANameAloneCoversEveryVersionOfThatLibraryOnly) {
  EXPECT_EQ(judge("OpenSSL 3.0.9", 80, "", "").size(), 1u);
  EXPECT_EQ(judge("OpenSSL 3.0.22", 80, "", "").size(), 1u);
  EXPECT_TRUE(judge("mbed TLS 2.28.3", 80, "", "").empty()) << "another library";
}

// library.endpoint keys the expectation on another endpoint's stack: the client's expectation
// applies where the server runs OpenSSL, whatever the client runs.
TEST(ExpectationsTest, ALibraryRangeCanNameWhoseLibraryDecides) {
  const auto run = [](const std::string& client_library, const std::string& server_library) {
    dtlsim::Scenario scenario;
    dtlsim::Expectation* x = scenario.add_expectations();
    x->set_endpoint("client");
    x->set_delivered_count(16);
    x->mutable_library()->set_name("OpenSSL");
    x->mutable_library()->set_endpoint("server");
    dtlsim::Outcome outcome;
    for (const auto& [name, library] : {std::pair{"client", client_library},
                                        std::pair{"server", server_library}}) {
      dtlsim::EndpointOutcome* o = outcome.add_endpoints();
      o->set_name(name);
      o->set_library(library);
    }
    return detail::checkExpectations(scenario, outcome);
  };
  EXPECT_EQ(run("mbed TLS 2.28.3", "OpenSSL 3.0.22").size(), 1u);
  EXPECT_EQ(run("OpenSSL 3.0.22", "OpenSSL 3.0.22").size(), 1u);
  EXPECT_TRUE(run("OpenSSL 3.0.22", "mbed TLS 2.28.3").empty());
}

TEST(ExpectationsTest, VersionsCompareNumberByNumber) {
  EXPECT_LT(compareVersions("3.0.9", "3.0.22"), 0);
  EXPECT_GT(compareVersions("3.1", "3.0.22"), 0);
  EXPECT_EQ(compareVersions("3", "3.0.0"), 0);
  EXPECT_LT(compareVersions("2.28.3", "3"), 0);
}

}  // namespace
}  // namespace scenarios
