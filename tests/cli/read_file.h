// The whole of a file as bytes (empty if it cannot be read): what the CLI tests compare.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace dtlsim_test {

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace dtlsim_test
