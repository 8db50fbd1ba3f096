// Errors as values (DESIGN.md §2): configuration calls return a Status or a Result<T> whose
// message names the field and the offending value. No exception crosses the simnet API.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace simnet {

// An error: one human-readable sentence naming what was wrong and with which input, e.g.
// "link 10.0.0.1->10.0.0.2: loss_probability 1.5 is outside [0, 1]".
struct Error {
  std::string message;
};

// Success or an Error. Cheap to return; check ok() before trusting the operation's effect.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e.message)), ok_(false) {}  // NOLINT: implicit by design

  static Status okStatus() { return {}; }

  bool ok() const { return ok_; }
  // Empty when ok().
  const std::string& message() const { return error_; }

 private:
  std::string error_;
  bool ok_ = true;
};

// A value or an Error (std::expected is C++23; this is the small subset simnet needs).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error e) : v_(std::move(e)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  // Precondition: ok().
  const T& value() const { return std::get<T>(v_); }
  T& value() { return std::get<T>(v_); }
  // Empty when ok().
  std::string message() const { return ok() ? std::string() : std::get<Error>(v_).message; }
  Status status() const { return ok() ? Status() : Status(std::get<Error>(v_)); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace simnet
