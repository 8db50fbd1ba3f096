// Expectations restricted to a DTLS library build (Expectation.library): checked where the
// endpoint ran a build in the range, skipped elsewhere, versions compared number by number.
#include <gmock/gmock.h>
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
  x->add_library()->set_name("OpenSSL");
  x->mutable_library(0)->set_min_version(min_version);
  x->mutable_library(0)->set_below_version(below_version);
  dtlsim::Outcome outcome;
  dtlsim::EndpointOutcome* o = outcome.add_endpoints();
  o->set_name("client");
  o->set_library(library);
  for (int i = 0; i < delivered; ++i) o->add_delivered("p");
  // The range's own verdict; that no expectation at all applied is its own check (below).
  std::vector<std::string> failures;
  for (std::string& f : detail::checkExpectations(scenario, outcome))
    if (f.find("no expectation applies") == std::string::npos) failures.push_back(std::move(f));
  return failures;
}

// A story whose expectations for an endpoint are all keyed on other stacks would pass without
// checking anything: that endpoint fails, naming its library.
TEST(ExpectationsTest, AnEndpointNoExpectationAppliesToFails) {
  dtlsim::Scenario scenario;
  dtlsim::Expectation* x = scenario.add_expectations();
  x->set_endpoint("client");
  x->set_delivered_count(1);
  x->add_library()->set_name("mbed TLS");
  dtlsim::Outcome outcome;
  dtlsim::EndpointOutcome* o = outcome.add_endpoints();
  o->set_name("client");
  o->set_library("wolfSSL 5.5.4");
  EXPECT_THAT(detail::checkExpectations(scenario, outcome),
              ::testing::ElementsAre("client: no expectation applies where it runs wolfSSL 5.5.4 "
                                     "(each stack needs its own, with the reason)"));
  o->set_library("mbed TLS 2.28.3");
  o->add_delivered("p");
  EXPECT_TRUE(detail::checkExpectations(scenario, outcome).empty());
}

// Ranges of one expectation must all hold: two stacks excluded, each with its finding.
TEST(ExpectationsTest, SeveralRangesMustAllHold) {
  dtlsim::Scenario scenario;
  dtlsim::Expectation* x = scenario.add_expectations();
  x->set_endpoint("client");
  x->set_delivered_count(1);
  for (const char* name : {"GnuTLS", "wolfSSL"}) {
    dtlsim::LibraryRange* r = x->add_library();
    r->set_name(name);
    r->set_excluded(true);
    r->set_finding("f");
  }
  dtlsim::Expectation* other = scenario.add_expectations();  // so every endpoint has one
  other->set_endpoint("client");
  dtlsim::Outcome outcome;
  dtlsim::EndpointOutcome* o = outcome.add_endpoints();
  o->set_name("client");
  for (const char* library : {"GnuTLS 3.7.9", "wolfSSL 5.5.4"}) {
    o->set_library(library);
    EXPECT_TRUE(detail::checkExpectations(scenario, outcome).empty()) << library;
  }
  o->set_library("OpenSSL 3.0.22");
  EXPECT_EQ(detail::checkExpectations(scenario, outcome).size(), 1u);
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
  x->add_library()->set_name("GnuTLS");
  x->mutable_library(0)->set_excluded(true);
  x->mutable_library(0)->set_finding("002-gnutls-forgets-its-flight");
  scenario.add_expectations()->set_endpoint("client");  // GnuTLS's own (nothing to check)
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
    x->add_library()->set_name("OpenSSL");
    x->mutable_library(0)->set_endpoint("server");
    scenario.add_expectations()->set_endpoint("client");  // for other servers: nothing
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
