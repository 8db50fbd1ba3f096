#include "scenarios/library_range.h"

#include <cstdint>

namespace scenarios {

int compareVersions(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    std::uint64_t x = 0, y = 0;
    for (; i < a.size() && a[i] != '.'; ++i) x = x * 10 + static_cast<std::uint64_t>(a[i] - '0');
    for (; j < b.size() && b[j] != '.'; ++j) y = y * 10 + static_cast<std::uint64_t>(b[j] - '0');
    if (x != y) return x < y ? -1 : 1;
    if (i < a.size()) ++i;
    if (j < b.size()) ++j;
  }
  return 0;
}

bool libraryMatches(const dtlsim::LibraryRange& range, const std::string& library) {
  const std::size_t space = library.rfind(' ');
  if (space == std::string::npos || library.substr(0, space) != range.name()) return false;
  const std::string version = library.substr(space + 1);
  if (!range.min_version().empty() && compareVersions(version, range.min_version()) < 0) return false;
  if (!range.below_version().empty() && compareVersions(version, range.below_version()) >= 0)
    return false;
  return true;
}

}  // namespace scenarios
