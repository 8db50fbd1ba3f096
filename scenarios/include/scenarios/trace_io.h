// scenarios/trace_io.h — trace files (trace.proto) on disk and in memory.
//
// Format: the 8 bytes "DTLSIMT1" (magic and format version) followed by one binary-serialized
// dtlsim.Trace whose last 13 bytes are an end marker: protobuf field 536870911 (fixed64; an
// unknown field to every reader, so any protobuf parser still reads the body) holding
// FNV-1a-32(body before the marker) << 32 | size of that body. A protobuf message cut at a
// field boundary still parses, so without the marker a truncated trace would load silently.
// Readers never crash on bad input: a missing file, another file type, a truncated or corrupt
// body all give an error message (fuzzed by fuzz/).
#pragma once

#include <cstddef>
#include <string>

#include "dtlsim/trace.pb.h"

namespace scenarios {

inline constexpr char kTraceMagic[] = "DTLSIMT1";
inline constexpr std::size_t kTraceMagicBytes = 8;
static_assert(sizeof(kTraceMagic) == kTraceMagicBytes + 1);
// Bound on a trace's size (files and memory): protobuf's own limit is 2 GiB; a larger trace
// would not fit in one message anyway.
inline constexpr std::size_t kMaxTraceBytes = std::size_t{1} << 30;

// Magic + serialized trace into *bytes. Errors: the trace does not serialize (larger than
// kMaxTraceBytes).
bool serializeTrace(const dtlsim::Trace& trace, std::string* bytes, std::string* error);

// Parses what serializeTrace wrote. `display_name` prefixes errors. Errors:
//  - "<name>: not a dtlsim trace (bad magic)": shorter than 8 bytes or another magic;
//  - "<name>: truncated or corrupt trace (no end marker after 8 bytes)": too short;
//  - "<name>: truncated or corrupt trace (end marker missing or checksum mismatch after N
//    bytes)": cut or damaged;
//  - "<name>: truncated or corrupt trace (protobuf parse failed after 8 bytes)";
//  - "<name>: trace larger than 1073741824 bytes".
// *out is cleared first; on failure it holds no data from the input.
bool parseTrace(const std::string& bytes, dtlsim::Trace* out, std::string* error,
                const std::string& display_name = "trace");

// Writes the trace to `path` through "<path>.tmp" and a rename, so a failed write never
// leaves a half-written trace under `path`. Errors: "<path>: cannot write trace (<strerror>)"
// and serializeTrace's.
bool writeTraceFile(const dtlsim::Trace& trace, const std::string& path, std::string* error);

// Reads a trace file. Errors: "<path>: cannot read trace (<strerror>)" (missing, unreadable,
// a directory) and parseTrace's with display name `path`.
bool readTraceFile(const std::string& path, dtlsim::Trace* out, std::string* error);

}  // namespace scenarios
