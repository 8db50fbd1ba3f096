// Trace files: "DTLSIMT1" + binary dtlsim.Trace.

#include "scenarios/trace_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <cstdint>
#include <fstream>

namespace scenarios {
namespace {

// The end marker (see trace_io.h): protobuf field 536870911 (the largest field number), wire
// type 1 (fixed64), tag varint F9 FF FF FF 0F, value = FNV-1a-32(body) << 32 | body size.
constexpr unsigned char kEndTag[] = {0xF9, 0xFF, 0xFF, 0xFF, 0x0F};
constexpr std::size_t kEndTagBytes = sizeof kEndTag;
constexpr std::size_t kEndMarkerBytes = kEndTagBytes + 8;

std::uint32_t fnv1a32(const char* data, std::size_t size) {
  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 16777619u;
  }
  return h;
}

std::string endMarker(const char* body, std::size_t size) {
  const std::uint64_t value = (std::uint64_t{fnv1a32(body, size)} << 32) | static_cast<std::uint32_t>(size);
  std::string out(reinterpret_cast<const char*>(kEndTag), kEndTagBytes);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

}  // namespace

bool serializeTrace(const dtlsim::Trace& trace, std::string* bytes, std::string* error) {
  const std::size_t size = trace.ByteSizeLong();
  if (size > kMaxTraceBytes) {
    if (error != nullptr) *error = "trace larger than " + std::to_string(kMaxTraceBytes) + " bytes";
    return false;
  }
  std::string body;
  if (!trace.SerializeToString(&body)) {
    if (error != nullptr) *error = "trace does not serialize";
    return false;
  }
  bytes->assign(kTraceMagic, kTraceMagicBytes);
  bytes->append(body);
  bytes->append(endMarker(body.data(), body.size()));
  return true;
}

bool parseTrace(const std::string& bytes, dtlsim::Trace* out, std::string* error,
                const std::string& display_name) {
  out->Clear();
  if (bytes.size() < kTraceMagicBytes || bytes.compare(0, kTraceMagicBytes, kTraceMagic) != 0) {
    if (error != nullptr) *error = display_name + ": not a dtlsim trace (bad magic)";
    return false;
  }
  if (bytes.size() > kMaxTraceBytes + kTraceMagicBytes) {
    if (error != nullptr) {
      *error = display_name + ": trace larger than " + std::to_string(kMaxTraceBytes) + " bytes";
    }
    return false;
  }
  auto corrupt = [&](const std::string& why) {
    if (error != nullptr) *error = display_name + ": truncated or corrupt trace (" + why + ")";
    return false;
  };
  const std::size_t after_magic = bytes.size() - kTraceMagicBytes;
  if (after_magic < kEndMarkerBytes) {
    return corrupt("no end marker after " + std::to_string(kTraceMagicBytes) + " bytes");
  }
  const char* body = bytes.data() + kTraceMagicBytes;
  const std::size_t body_size = after_magic - kEndMarkerBytes;
  if (bytes.compare(bytes.size() - kEndMarkerBytes, kEndMarkerBytes, endMarker(body, body_size)) != 0) {
    return corrupt("end marker missing or checksum mismatch after " +
                   std::to_string(kTraceMagicBytes + body_size) + " bytes");
  }
  if (!out->ParseFromArray(body, static_cast<int>(body_size))) {
    out->Clear();
    if (error != nullptr) {
      *error = display_name + ": truncated or corrupt trace (protobuf parse failed after " +
               std::to_string(kTraceMagicBytes) + " bytes)";
    }
    return false;
  }
  return true;
}

bool writeTraceFile(const dtlsim::Trace& trace, const std::string& path, std::string* error) {
  std::string bytes;
  std::string why;
  if (!serializeTrace(trace, &bytes, &why)) {
    if (error != nullptr) *error = path + ": " + why;
    return false;
  }
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    if (error != nullptr) *error = path + ": cannot write trace (" + std::strerror(errno) + ")";
    return false;
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    const int e = !written ? write_errno : errno;
    std::remove(tmp.c_str());
    if (error != nullptr) *error = path + ": cannot write trace (" + std::strerror(e) + ")";
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::remove(tmp.c_str());
    if (error != nullptr) *error = path + ": cannot write trace (" + std::strerror(e) + ")";
    return false;
  }
  return true;
}

bool readTraceFile(const std::string& path, dtlsim::Trace* out, std::string* error) {
  out->Clear();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (error != nullptr) *error = path + ": cannot read trace (" + std::strerror(EISDIR) + ")";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error != nullptr) *error = path + ": cannot read trace (" + std::strerror(errno) + ")";
    return false;
  }
  std::string bytes;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxTraceBytes + kTraceMagicBytes) {
      if (error != nullptr) *error = path + ": trace larger than " + std::to_string(kMaxTraceBytes) + " bytes";
      return false;
    }
  }
  if (in.bad()) {
    if (error != nullptr) *error = path + ": cannot read trace (read error)";
    return false;
  }
  return parseTrace(bytes, out, error, path);
}

}  // namespace scenarios
