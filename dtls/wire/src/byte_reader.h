// A bounds-checked big-endian reader over a string_view: every read says whether it fitted, so
// decoders never index past the end (the property the fuzzers check).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace dtls::wire {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return data_.size() - position_; }

  // Reads an unsigned big-endian integer of `bytes` (1..8) bytes; false (nothing consumed) if
  // fewer remain.
  bool readUint(std::size_t bytes, std::uint64_t* value) {
    if (bytes == 0 || bytes > 8 || remaining() < bytes) return false;
    std::uint64_t result = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      result = (result << 8) | static_cast<std::uint8_t>(data_[position_ + i]);
    }
    position_ += bytes;
    *value = result;
    return true;
  }

  // The same with the width fixed at compile time: one bounds check and straight-line loads,
  // for the header fields every datagram has (the runtime loop above costs a comparison per
  // byte, and fuzzers instrument every comparison).
  template <std::size_t kBytes, typename T>
  bool read(T* value) {
    static_assert(kBytes >= 1 && kBytes <= 8);
    if (remaining() < kBytes) return false;
    const char* p = data_.data() + position_;
    std::uint64_t result = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((result = (result << 8) | static_cast<std::uint8_t>(p[I])), ...);
    }(std::make_index_sequence<kBytes>());
    position_ += kBytes;
    *value = static_cast<T>(result);
    return true;
  }

  // The next `count` bytes as a view; false (nothing consumed) if fewer remain.
  bool readBytes(std::size_t count, std::string_view* bytes) {
    if (remaining() < count) return false;
    *bytes = data_.substr(position_, count);
    position_ += count;
    return true;
  }

  // A TLS vector <floor..ceiling> with a `length_bytes`-byte length prefix (RFC 5246 §4.3).
  bool readVector(std::size_t length_bytes, std::string_view* bytes) {
    const std::size_t start = position_;
    std::uint64_t length = 0;
    if (!readUint(length_bytes, &length) || !readBytes(length, bytes)) {
      position_ = start;
      return false;
    }
    return true;
  }

 private:
  std::string_view data_;
  std::size_t position_ = 0;
};

}  // namespace dtls::wire
