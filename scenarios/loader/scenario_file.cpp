// Loading a scenario file: read, parse with positions, then validate (validate.cpp).

#include "scenarios/scenario_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

namespace scenarios {
namespace {

namespace pb = google::protobuf;

// Keeps the first parse error; protobuf gives 0-based lines and columns.
class FirstErrorCollector final : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (has_error_) return;
    has_error_ = true;
    line_ = line + 1;
    column_ = column + 1;
    message_ = message;
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}

  bool hasError() const { return has_error_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  bool has_error_ = false;
  int line_ = 1;
  int column_ = 1;
  std::string message_;
};

// Rewrites protobuf's two most common messages into the project's wording; others pass
// through unchanged (they already name the field and the value).
std::string rewordParseError(const std::string& message) {
  static const std::regex unknown_field(
      R"re(^Message type "([^"]+)" has no field named "([^"]+)"\.?$)re");
  static const std::regex unknown_enum(
      R"re(^Unknown enumeration value of "([^"]+)" for field "([^"]+)"\.?$)re");
  std::smatch m;
  if (std::regex_match(message, m, unknown_field)) {
    return "unknown field '" + m[2].str() + "' in " + m[1].str();
  }
  if (std::regex_match(message, m, unknown_enum)) {
    return "unknown value '" + m[1].str() + "' for field '" + m[2].str() + "'";
  }
  return message;
}

// protobuf reports an unknown name at the token after it (the parser had to read on to know).
// Moves the position back to the name itself: its last occurrence before the reported spot.
void pointAtName(const std::string& text, const std::string& name, int* line, int* column) {
  if (name.empty()) return;
  std::size_t offset = 0;
  for (int l = 1; l < *line && offset != std::string::npos; ++l) {
    offset = text.find('\n', offset);
    if (offset != std::string::npos) ++offset;
  }
  if (offset == std::string::npos) return;
  offset = std::min(text.size(), offset + static_cast<std::size_t>(*column - 1));
  const std::size_t at = text.rfind(name, offset);
  if (at == std::string::npos) return;
  *line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  *column = static_cast<int>(at - (line_start == std::string::npos || at == 0 ? 0 : line_start + 1)) + 1;
}

// The name an unknown-field, unknown-enum or field-given-twice message is about; empty for
// other messages.
std::string unknownName(const std::string& message) {
  static const std::regex unknown_field(R"re(^Message type "[^"]+" has no field named "([^"]+)"\.?$)re");
  static const std::regex unknown_enum(R"re(^Unknown enumeration value of "([^"]+)" for field "[^"]+"\.?$)re");
  static const std::regex repeated(R"re(^(?:Non-repeated field|Field) "([^"]+)" is specified .*$)re");
  std::smatch m;
  if (std::regex_match(message, m, unknown_field) || std::regex_match(message, m, unknown_enum) ||
      std::regex_match(message, m, repeated)) {
    return m[1].str();
  }
  return {};
}

std::string indexed(const std::string& path, int index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string joinPath(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

// Records the position of every field written in the text, recursively.
void collectLocations(const pb::Message& message, const pb::TextFormat::ParseInfoTree& tree,
                      const std::string& prefix, SourceLocations* out) {
  const pb::Descriptor* descriptor = message.GetDescriptor();
  const pb::Reflection* reflection = message.GetReflection();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const pb::FieldDescriptor* field = descriptor->field(f);
    const std::string path = joinPath(prefix, field->name());
    const bool is_message = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        const auto location = tree.GetLocation(field, i);
        if (location.line >= 0) out->set(indexed(path, i), location.line + 1, location.column + 1);
        if (!is_message) continue;
        const pb::TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(field, i);
        if (nested != nullptr) {
          collectLocations(reflection->GetRepeatedMessage(message, field, i), *nested,
                           indexed(path, i), out);
        }
      }
      continue;
    }
    const auto location = tree.GetLocation(field, -1);
    if (location.line < 0) continue;
    out->set(path, location.line + 1, location.column + 1);
    if (!is_message) continue;
    const pb::TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(field, -1);
    if (nested != nullptr) collectLocations(reflection->GetMessage(message, field), *nested, path, out);
  }
}

std::string directoryOf(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? std::string(".") : parent;
}

}  // namespace

// ---- SourceLocations ------------------------------------------------------------------------

void SourceLocations::set(const std::string& field_path, int line, int column) {
  positions_[field_path] = Position{line, column};
}

namespace {

// "a" is `prefix` itself or a field inside it: "a.b", "a[3]".
bool insideOrAt(const std::string& path, const std::string& prefix) {
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

}  // namespace

void SourceLocations::copyUnder(const SourceLocations& from, const std::string& from_prefix,
                                const std::string& to_prefix) {
  for (auto it = from.positions_.lower_bound(from_prefix);
       it != from.positions_.end() && it->first.compare(0, from_prefix.size(), from_prefix) == 0;
       ++it) {
    if (insideOrAt(it->first, from_prefix))
      positions_[to_prefix + it->first.substr(from_prefix.size())] = it->second;
  }
}

void SourceLocations::forget(const std::string& name) {
  for (auto it = positions_.lower_bound(name);
       it != positions_.end() && it->first.compare(0, name.size(), name) == 0;) {
    it = insideOrAt(it->first, name) ? positions_.erase(it) : std::next(it);
  }
}

bool SourceLocations::contains(const std::string& field_path) const {
  return positions_.count(field_path) != 0;
}

SourceLocations::Position SourceLocations::find(const std::string& field_path) const {
  std::string path = field_path;
  while (!path.empty()) {
    const auto it = positions_.find(path);
    if (it != positions_.end()) return it->second;
    // Parent: drop a trailing "[i]" or ".name".
    const std::size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  return Position{};
}

std::string SourceLocations::at(const std::string& field_path) const {
  const Position p = find(field_path);
  return display_name_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

std::string SourceLocations::error(const std::string& field_path,
                                   const std::string& message) const {
  return at(field_path) + ": " + field_path + ": " + message;
}

// ---- LoadedScenario -------------------------------------------------------------------------

std::string LoadedScenario::resolvePath(const std::string& relative) const {
  const std::filesystem::path p(relative);
  if (p.is_absolute()) return relative;
  return (std::filesystem::path(base_dir.empty() ? std::string(".") : base_dir) / p).string();
}

int LoadedScenario::findEndpoint(const std::string& name) const {
  for (int i = 0; i < scenario.endpoints_size(); ++i) {
    if (scenario.endpoints(i).name() == name) return i;
  }
  return -1;
}

// ---- Loading --------------------------------------------------------------------------------

bool parseScenarioText(const std::string& text, const std::string& display_name,
                       const std::string& base_dir, LoadedScenario* out, std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  out->scenario.Clear();
  out->path = display_name;
  out->base_dir = base_dir.empty() ? std::string(".") : base_dir;
  out->locations = SourceLocations(display_name);

  FirstErrorCollector errors;
  pb::TextFormat::ParseInfoTree tree;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  const bool parsed = parser.ParseFromString(text, &out->scenario);
  if (!parsed || errors.hasError()) {
    if (errors.hasError()) {
      int line = errors.line();
      int column = errors.column();
      pointAtName(text, unknownName(errors.message()), &line, &column);
      *error = display_name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
               rewordParseError(errors.message());
    } else {
      *error = display_name + ":1:1: cannot parse scenario";
    }
    out->scenario.Clear();
    return false;
  }
  collectLocations(out->scenario, tree, "", &out->locations);
  return expandEndpointGroups(out, error) && validateScenario(*out, error);
}

bool parseNetworkText(const std::string& text, const std::string& display_name,
                      dtlsim::Network* out, SourceLocations* locations, std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  out->Clear();
  *locations = SourceLocations(display_name);
  FirstErrorCollector errors;
  pb::TextFormat::ParseInfoTree tree;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, out) || errors.hasError()) {
    int line = 1;
    int column = 1;
    std::string message = "cannot parse network";
    if (errors.hasError()) {
      line = errors.line();
      column = errors.column();
      pointAtName(text, unknownName(errors.message()), &line, &column);
      message = rewordParseError(errors.message());
    }
    *error = display_name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
             message;
    out->Clear();
    return false;
  }
  collectLocations(*out, tree, "network", locations);
  return true;
}

bool loadScenarioFile(const std::string& path, LoadedScenario* out, std::string* error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (error != nullptr) *error = path + ": cannot read scenario file (" + std::strerror(EISDIR) + ")";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error != nullptr) *error = path + ": cannot read scenario file (" + std::strerror(errno) + ")";
    return false;
  }
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioFileBytes) {
      if (error != nullptr) {
        *error = path + ": cannot read scenario file (larger than " +
                 std::to_string(kMaxScenarioFileBytes) + " bytes)";
      }
      return false;
    }
  }
  if (in.bad()) {
    if (error != nullptr) *error = path + ": cannot read scenario file (read error)";
    return false;
  }
  return parseScenarioText(text, path, directoryOf(path), out, error);
}

// ---- Defaults -------------------------------------------------------------------------------

std::uint64_t livenessBoundMs(const dtlsim::Liveness& liveness) {
  return liveness.bound_ms() == 0 ? kDefaultLivenessBoundMs : liveness.bound_ms();
}

std::int64_t maxVirtualTimeUs(const dtlsim::Scenario& scenario) {
  const std::uint64_t ms =
      scenario.max_virtual_time_ms() == 0 ? kDefaultMaxVirtualTimeMs : scenario.max_virtual_time_ms();
  // Unvalidated input is clamped rather than overflowing.
  return static_cast<std::int64_t>(std::min(ms, kMaxVirtualTimeMs)) * 1000;
}

std::uint64_t epochUnixS(const dtlsim::Scenario& scenario) {
  return scenario.epoch_unix_s() == 0 ? kDefaultEpochUnixS : scenario.epoch_unix_s();
}

}  // namespace scenarios
