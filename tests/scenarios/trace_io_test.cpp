// Tests of scenarios/loader/trace_io.cpp: trace files round trip; truncated, corrupt and
// foreign input gives an error, never a crash.

#include "scenarios/trace_io.h"

#include <gtest/gtest.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace scenarios {
namespace {

dtlsim::Trace sampleTrace() {
  dtlsim::Trace t;
  t.mutable_scenario()->set_name("sample");
  t.set_seed(301);
  t.set_build_id("dtlsim test");
  auto* e = t.add_endpoints();
  e->set_name("srv");
  e->set_role("server");
  e->set_address("10.0.0.1");
  e->set_port(4433);
  for (int i = 0; i < 5; ++i) {
    auto* ev = t.add_events();
    ev->set_time_us(1000u * static_cast<unsigned>(i));
    ev->set_kind(dtlsim::TraceEvent::SEND);
    ev->set_data(std::string(40, static_cast<char>('a' + i)));
    ev->add_records()->set_content_type(22);
  }
  t.mutable_outcome()->set_passed(true);
  t.add_keylog_lines("CLIENT_RANDOM 00 11");
  auto* d = t.add_decisions();
  d->set_datagram_id(3);
  d->set_dropped("loss");
  return t;
}

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("dtlsim_trace_io_test_" + name)).string();
}

bool same(const dtlsim::Trace& a, const dtlsim::Trace& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

TEST(TraceIoTest, MemoryRoundTrip) {
  std::string bytes;
  std::string error;
  ASSERT_TRUE(serializeTrace(sampleTrace(), &bytes, &error)) << error;
  EXPECT_EQ(bytes.substr(0, 8), "DTLSIMT1");
  dtlsim::Trace back;
  ASSERT_TRUE(parseTrace(bytes, &back, &error)) << error;
  EXPECT_TRUE(same(back, sampleTrace()));
  // The body after the magic is a plain protobuf any reader parses (the end marker is an
  // unknown field to it).
  dtlsim::Trace plain;
  ASSERT_TRUE(plain.ParseFromString(bytes.substr(8)));
  EXPECT_EQ(plain.seed(), 301u);
}

TEST(TraceIoTest, EmptyTraceRoundTrip) {
  std::string bytes;
  ASSERT_TRUE(serializeTrace(dtlsim::Trace(), &bytes, nullptr));
  dtlsim::Trace back;
  back.set_seed(9);
  std::string error;
  ASSERT_TRUE(parseTrace(bytes, &back, &error)) << error;
  EXPECT_EQ(back.seed(), 0u);
}

TEST(TraceIoTest, FileRoundTrip) {
  const std::string path = tempPath("roundtrip.bin");
  std::string error;
  ASSERT_TRUE(writeTraceFile(sampleTrace(), path, &error)) << error;
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  dtlsim::Trace back;
  ASSERT_TRUE(readTraceFile(path, &back, &error)) << error;
  EXPECT_TRUE(same(back, sampleTrace()));
  std::remove(path.c_str());
}

TEST(TraceIoTest, MissingFile) {
  dtlsim::Trace t;
  std::string error;
  EXPECT_FALSE(readTraceFile("/nonexistent/trace.bin", &t, &error));
  EXPECT_EQ(error, "/nonexistent/trace.bin: cannot read trace (No such file or directory)");
  EXPECT_FALSE(readTraceFile(std::filesystem::temp_directory_path().string(), &t, &error));
  EXPECT_NE(error.find("cannot read trace (Is a directory)"), std::string::npos) << error;
}

TEST(TraceIoTest, UnwritablePath) {
  std::string error;
  EXPECT_FALSE(writeTraceFile(sampleTrace(), "/nonexistent/dir/trace.bin", &error));
  EXPECT_EQ(error, "/nonexistent/dir/trace.bin: cannot write trace (No such file or directory)");
}

TEST(TraceIoTest, NotATrace) {
  const std::string path = tempPath("text.bin");
  std::ofstream(path) << "name: \"a scenario, not a trace\"\n";
  dtlsim::Trace t;
  std::string error;
  EXPECT_FALSE(readTraceFile(path, &t, &error));
  EXPECT_EQ(error, path + ": not a dtlsim trace (bad magic)");
  std::remove(path.c_str());
  EXPECT_FALSE(parseTrace("", &t, &error, "trace.bin"));
  EXPECT_EQ(error, "trace.bin: not a dtlsim trace (bad magic)");
  EXPECT_FALSE(parseTrace("DTLSIMT", &t, &error, "trace.bin"));
  EXPECT_EQ(error, "trace.bin: not a dtlsim trace (bad magic)");
  EXPECT_FALSE(parseTrace("DTLSIMT2", &t, &error, "trace.bin"));
  EXPECT_EQ(error, "trace.bin: not a dtlsim trace (bad magic)");
}

TEST(TraceIoTest, TruncatedAtEveryCutIsAnError) {
  std::string bytes;
  ASSERT_TRUE(serializeTrace(sampleTrace(), &bytes, nullptr));
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    dtlsim::Trace t;
    std::string error;
    ASSERT_FALSE(parseTrace(bytes.substr(0, cut), &t, &error, "trace.bin")) << "cut at " << cut;
    if (cut < 8) {
      EXPECT_EQ(error, "trace.bin: not a dtlsim trace (bad magic)");
    } else {
      EXPECT_EQ(error.rfind("trace.bin: truncated or corrupt trace (", 0), 0u) << error;
    }
    EXPECT_EQ(t.ByteSizeLong(), 0u) << "cut at " << cut;
  }
}

TEST(TraceIoTest, FlippedBitsAreErrors) {
  std::string bytes;
  ASSERT_TRUE(serializeTrace(sampleTrace(), &bytes, nullptr));
  for (std::size_t i = 8; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; bit += 3) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      dtlsim::Trace t;
      std::string error;
      EXPECT_FALSE(parseTrace(damaged, &t, &error, "trace.bin")) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(TraceIoTest, GarbageIsAnErrorNotACrash) {
  // Fixed seed (LevelDB Random(301) style): a small LCG, no std:: distributions.
  std::uint64_t state = 301;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<char>(state >> 56);
  };
  for (int round = 0; round < 200; ++round) {
    std::string bytes = "DTLSIMT1";
    for (int i = 0; i < round * 3; ++i) bytes.push_back(next());
    dtlsim::Trace t;
    std::string error;
    EXPECT_FALSE(parseTrace(bytes, &t, &error, "g"));
    EXPECT_EQ(error.rfind("g: truncated or corrupt trace (", 0), 0u) << error;
  }
}

TEST(TraceIoTest, ValidMarkerOverCorruptBodyIsAnError) {
  // A body that is not a protobuf (field number 0), with a correct end marker: the end
  // marker check passes and the protobuf parse fails.
  dtlsim::Trace t;
  const std::string body = std::string("\x00\x01", 2);
  std::uint32_t h = 2166136261u;
  for (char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  const std::uint64_t value = (std::uint64_t{h} << 32) | body.size();
  std::string marker = "\xF9\xFF\xFF\xFF\x0F";
  for (int i = 0; i < 8; ++i) marker.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  std::string error;
  EXPECT_FALSE(parseTrace("DTLSIMT1" + body + marker, &t, &error, "trace.bin"));
  EXPECT_EQ(error, "trace.bin: truncated or corrupt trace (protobuf parse failed after 8 bytes)");
}

}  // namespace
}  // namespace scenarios
