// scenarios/export/write_file.h — internal: write a whole file for the exporters.
#pragma once

#include <string>
#include <string_view>

namespace scenarios::detail {

// Creates or truncates `path` and writes `bytes`. On failure returns false and sets *error (if
// non-null) to "cannot write <path>: <strerror(errno)>".
bool writeWholeFile(const std::string& path, std::string_view bytes, std::string* error);

}  // namespace scenarios::detail
