// scenarios/keylog.h — the trace's TLS secrets as an SSLKEYLOGFILE (NSS key log format:
// "CLIENT_RANDOM <64 hex> <96 hex>" lines, one per line), for Wireshark's
// tls.keylog_file preference or any other tool that reads that format.
#pragma once

#include <string>

#include "dtlsim/trace.pb.h"

namespace scenarios {

// trace.keylog_lines, each followed by "\n" (empty string when there are none). Lines that
// already end in "\n" do not get a second one.
std::string keylogText(const dtlsim::Trace& trace);

// Writes keylogText(trace) to `path` (created or truncated). Returns false and sets *error (if
// non-null) to "cannot write <path>: <strerror>" when the file cannot be written.
bool writeKeylog(const dtlsim::Trace& trace, const std::string& path, std::string* error);

}  // namespace scenarios
