// TextSink: builds a label from many short pieces through a stack buffer. describe() runs for
// every datagram a trace records and every fuzz input; each std::string::append would be a
// capacity check of its own (and, in fuzz builds, instrumented branches).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace dtls::wire {

class TextSink {
 public:
  explicit TextSink(std::string* out) : out_(out) {}
  ~TextSink() { flush(); }
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  // A literal: its length is known when compiling, so the copy is a few moves, not a call.
  template <std::size_t N>
  TextSink& operator<<(const char (&literal)[N]) {
    constexpr std::size_t length = N - 1;
    static_assert(length <= kCapacity);
    if (length > kCapacity - used_) flush();
    std::memcpy(buffer_ + used_, literal, length);
    used_ += length;
    return *this;
  }

  TextSink& operator<<(std::string_view text) {
    if (text.size() > kCapacity - used_) {
      flush();
      if (text.size() > kCapacity) {
        out_->append(text);
        return *this;
      }
    }
    std::memcpy(buffer_ + used_, text.data(), text.size());
    used_ += text.size();
    return *this;
  }

  TextSink& operator<<(char c) {
    if (used_ == kCapacity) flush();
    buffer_[used_++] = c;
    return *this;
  }

  // Decimal digits of `value`.
  TextSink& number(std::uint64_t value) {
    char digits[20];
    const char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    return *this << std::string_view(digits, static_cast<std::size_t>(end - digits));
  }

  // The text's length so far, including what the string held before.
  std::size_t size() const { return out_->size() + used_; }

  // Moves the buffered text into the string (before someone else appends to it directly).
  void flush() {
    out_->append(buffer_, used_);
    used_ = 0;
  }

 private:
  static constexpr std::size_t kCapacity = 480;
  std::string* out_;
  char buffer_[kCapacity];
  std::size_t used_ = 0;
};

}  // namespace dtls::wire
