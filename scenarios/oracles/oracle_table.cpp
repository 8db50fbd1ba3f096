// The oracle table: many runs' checks folded per property and library.
#include <algorithm>
#include <cstdio>

#include "scenarios/oracles.h"

namespace scenarios {

namespace {

// "OpenSSL 3.0.22" -> "OpenSSL"; "mbed TLS 2.28.3" -> "mbed TLS".
std::string libraryName(const std::string& library) {
  const std::size_t space = library.rfind(' ');
  return space == std::string::npos ? library : library.substr(0, space);
}

std::string msValue(std::uint64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%g ms", static_cast<double>(us) / 1000.0);
  return text;
}

std::string padded(std::string text, std::size_t width) {
  text.resize(std::max(text.size(), width), ' ');
  return text;
}

}  // namespace

void OracleTable::add(const std::vector<dtlsim::OracleCheck>& checks) {
  for (const dtlsim::OracleCheck& c : checks) {
    const std::string library = libraryName(c.library());
    if (library.empty()) continue;
    libraries_.insert(library);
    Cell& cell = cells_[{c.property(), library}];
    cell.checks += c.checks();
    cell.violations += c.violations();
    if (c.violations() > 0 && c.excused_by().empty()) cell.unexcused += c.violations();
    if (!c.excused_by().empty() && cell.excused_by.empty())
      cell.excused_by = c.excused_by().substr(0, c.excused_by().find(':'));
    if (c.initial_min_us() > 0)
      cell.initial_min_us = cell.initial_min_us == 0 ? c.initial_min_us()
                                                     : std::min(cell.initial_min_us, c.initial_min_us());
    cell.initial_max_us = std::max(cell.initial_max_us, c.initial_max_us());
    cell.longest_us = std::max(cell.longest_us, c.longest_us());
  }
}

std::uint64_t OracleTable::unexplained() const {
  std::uint64_t n = 0;
  for (const auto& [key, cell] : cells_) n += cell.unexcused;
  return n;
}

std::string OracleTable::text() const {
  constexpr std::size_t kWidth = 34;
  std::string out = padded("property", 22) + padded("section", 19);
  for (const std::string& library : libraries_) out += "  " + padded(library, kWidth);
  out.erase(out.find_last_not_of(' ') + 1);
  out += "\n";
  for (const OracleProperty& p : oracleProperties()) {
    std::string line = padded(std::string(p.name), 22) + padded(std::string(p.section), 19);
    for (const std::string& library : libraries_) {
      const auto it = cells_.find({std::string(p.name), library});
      std::string cell = "-";
      if (it != cells_.end()) {
        const Cell& c = it->second;
        const std::string ratio = std::to_string(c.violations) + "/" + std::to_string(c.checks);
        if (c.violations == 0) {
          cell = "holds (" + std::to_string(c.checks) + ")";
        } else if (c.unexcused == 0) {
          cell = "deviates " + ratio + " (" + c.excused_by + ")";
        } else {
          cell = "VIOLATED " + ratio;
        }
      }
      line += "  " + padded(cell, kWidth);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  out += "\nretransmission timer seen (first interval after a new flight; longest interval):\n";
  for (const std::string& library : libraries_) {
    const auto it = cells_.find({"timer-backoff", library});
    if (it == cells_.end() || it->second.longest_us == 0) continue;
    const Cell& c = it->second;
    out += "  " + padded(library, 10) + " first " + msValue(c.initial_min_us);
    if (c.initial_max_us != c.initial_min_us) out += " .. " + msValue(c.initial_max_us);
    out += ", longest " + msValue(c.longest_us) + "\n";
  }
  return out;
}

}  // namespace scenarios
