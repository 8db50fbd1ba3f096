// Which DTLS library build an expectation applies to (scenario.proto LibraryRange): shared by
// the loader, which rejects a range no build can fall in, and the judge, which skips an
// expectation for endpoints outside it.
#pragma once

#include <string>

#include "dtlsim/scenario.pb.h"

namespace scenarios {

// Dotted decimal versions compared number by number: "3.0.9" < "3.0.22", "3" == "3.0".
// Negative, zero or positive as a is below, equal to or above b.
int compareVersions(const std::string& a, const std::string& b);

// Whether `library` (EndpointOutcome.library: "OpenSSL 3.0.22", "mbed TLS 2.28.3") is the
// range's library with a version inside it. A range with a name only takes every version.
bool libraryMatches(const dtlsim::LibraryRange& range, const std::string& library);

}  // namespace scenarios
