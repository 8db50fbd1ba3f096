// Certificate::fromFile and Certificate::fromPath: reading certificates from the file system.
#include <dtls/certificate.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <optional>
#include <regex>
#include <system_error>

namespace dtls {
namespace {

namespace fs = std::filesystem;

// Bounds of a pattern search, so a pattern rooted at "/" cannot walk the whole disk.
constexpr int kMaxSearchDepth = 8;
constexpr size_t kMaxFilesVisited = 10000;
// No certificate file is this large; a bigger file is skipped rather than read.
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;

std::optional<ByteArray> readFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || ec) return std::nullopt;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  ByteArray data(static_cast<size_t>(size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));  // a file that shrank meanwhile
  if (in.bad()) return std::nullopt;
  return data;
}

// A shell glob as an ECMAScript regex: '*' and '?' stay within one path component, "[...]"
// is a class ("[!...]" negated). nullopt for an unterminated class.
std::optional<std::string> globToRegex(const std::string& glob) {
  std::string re;
  for (size_t i = 0; i < glob.size(); ++i) {
    const char c = glob[i];
    if (c == '*') {
      re += "[^/]*";
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      const size_t close = glob.find(']', i + 2);  // "[]...]" takes ']' as a member
      if (close == std::string::npos) return std::nullopt;
      std::string members = glob.substr(i + 1, close - i - 1);
      re += '[';
      size_t start = 0;
      if (members[0] == '!' || members[0] == '^') {
        re += '^';
        start = 1;
      }
      for (size_t k = start; k < members.size(); ++k) {
        if (members[k] == '\\' || members[k] == ']' || members[k] == '[') re += '\\';
        re += members[k];
      }
      re += ']';
      i = close;
    } else {
      if (std::string_view("\\^$.|+(){}").find(c) != std::string_view::npos) re += '\\';
      re += c;
    }
  }
  return re;
}

// The directory to search for `pattern`: everything before the first special character, cut
// at its last '/'. Empty when the pattern has no special character at all.
std::optional<std::string> searchRoot(const std::string& pattern, std::string_view specials) {
  const size_t pos = pattern.find_first_of(specials);
  if (pos == std::string::npos) return std::nullopt;
  const size_t slash = pattern.rfind('/', pos);
  if (slash == std::string::npos) return std::string();
  if (slash == 0) return std::string("/");
  return pattern.substr(0, slash);
}

}  // namespace

std::vector<Certificate> Certificate::fromFile(const std::string& filePath,
                                               EncodingFormat format) {
  const auto data = readFile(filePath);
  return data ? fromData(*data, format) : std::vector<Certificate>();
}

std::vector<Certificate> Certificate::fromPath(const std::string& path, EncodingFormat format,
                                               PatternSyntax syntax) {
  if (path.empty()) return {};
  if (syntax == PatternSyntax::FixedString) return fromFile(path, format);

  // The characters that make a path a pattern (Qt uses the same two sets).
  const std::string_view specials =
      syntax == PatternSyntax::Wildcard ? "*?[" : "$()*+.?[]^{}|\\";
  const std::optional<std::string> root = searchRoot(path, specials);
  if (!root) return fromFile(path, format);  // nothing special: the path names one file

  std::string expression = path;
  if (syntax == PatternSyntax::Wildcard) {
    auto converted = globToRegex(path);
    if (!converted) return {};
    expression = std::move(*converted);
  }
  std::regex matcher;
  try {
    matcher = std::regex(expression, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    return {};  // a malformed pattern matches nothing
  }

  // Paths are shown to the pattern in the form the caller wrote: "dir/name", or just "name"
  // when the pattern had no directory part.
  const fs::path dir = root->empty() ? fs::path(".") : fs::path(*root);
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) return {};
  std::vector<std::string> matches;
  size_t visited = 0;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec || ++visited > kMaxFilesVisited) break;
    if (it.depth() >= kMaxSearchDepth) it.disable_recursion_pending();
    if (!it->is_regular_file(ec) || ec) continue;
    const std::string relative = it->path().lexically_relative(dir).generic_string();
    std::string shown = root->empty() ? relative
                        : *root == "/" ? "/" + relative
                                       : *root + "/" + relative;
    try {
      if (std::regex_match(shown, matcher)) matches.push_back(std::move(shown));
    } catch (const std::regex_error&) {
      return {};  // e.g. error_complexity on a pathological expression
    }
  }
  std::sort(matches.begin(), matches.end());

  std::vector<Certificate> out;
  for (const std::string& file : matches) {
    auto certs = fromFile(file, format);
    out.insert(out.end(), std::make_move_iterator(certs.begin()),
               std::make_move_iterator(certs.end()));
  }
  return out;
}

}  // namespace dtls
