// Reading files a scenario refers to.

#include "file_access.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace scenarios::loader {
namespace {

constexpr std::uintmax_t kMaxReferencedFileBytes = 16u << 20;

std::string absolutePath(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

}  // namespace

std::string describeFile(const LoadedScenario& loaded, const std::string& relative) {
  return "'" + relative + "' (resolved to " + absolutePath(loaded.resolvePath(relative)) + ")";
}

bool readReferencedFile(const LoadedScenario& loaded, const std::string& field_path,
                        const std::string& relative, std::string* content, std::string* error) {
  const std::string resolved = loaded.resolvePath(relative);
  auto fail = [&](const std::string& why) {
    if (error != nullptr) {
      *error = loaded.errorAt(field_path, "cannot read " + describeFile(loaded, relative) + ": " + why);
    }
    return false;
  };
  if (relative.empty()) return fail("empty file name");
  struct stat st {};
  if (::stat(resolved.c_str(), &st) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail(std::strerror(EISDIR));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxReferencedFileBytes) {
    return fail("larger than " + std::to_string(kMaxReferencedFileBytes) + " bytes");
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return fail(std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("read error");
  *content = std::move(bytes);
  return true;
}

}  // namespace scenarios::loader
