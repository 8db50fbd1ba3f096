#include "write_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace scenarios::detail {

bool writeWholeFile(const std::string& path, std::string_view bytes, std::string* error) {
  auto fail = [&](int err) {
    if (error) *error = "cannot write " + path + ": " + std::strerror(err);
    return false;
  };
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return fail(errno);
  const std::size_t written = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
  const int write_errno = errno;
  // fclose flushes: a full disk may only show here.
  if (std::fclose(f) != 0) return fail(errno);
  if (written != bytes.size()) return fail(write_errno ? write_errno : EIO);
  return true;
}

}  // namespace scenarios::detail
