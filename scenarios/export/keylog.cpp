#include "scenarios/keylog.h"

#include "write_file.h"

namespace scenarios {

std::string keylogText(const dtlsim::Trace& trace) {
  std::string out;
  for (const std::string& line : trace.keylog_lines()) {
    out += line;
    if (line.empty() || line.back() != '\n') out += '\n';
  }
  return out;
}

bool writeKeylog(const dtlsim::Trace& trace, const std::string& path, std::string* error) {
  return detail::writeWholeFile(path, keylogText(trace), error);
}

}  // namespace scenarios
