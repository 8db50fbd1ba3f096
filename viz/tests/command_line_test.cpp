// Tests of viz/model/command_line.h: a table of argument lists and their results.
#include "model/command_line.h"

#include <gtest/gtest.h>

namespace viz {
namespace {

struct Case {
  std::vector<std::string> args;
  std::string error;  // "" when it parses
};

TEST(CommandLineTest, Table) {
  const Case cases[] = {
      {{}, ""},
      {{"run.trace"}, ""},
      {{"s.textproto", "--seed", "9"}, ""},
      {{"--screenshot", "a.png", "--size", "1024x768", "run.trace"}, ""},
      {{"--seed"}, "--seed: needs a value"},
      {{"s.textproto", "--seed", "x"}, "--seed: 'x' is not an unsigned integer"},
      {{"s.textproto", "--seed", "-1"}, "--seed: '-1' is not an unsigned integer"},
      {{"--seed", "3"}, "--seed needs a scenario file"},
      {{"--screenshot", "a.png"}, "--screenshot needs a trace or scenario file"},
      {{"--screenshot", "a.jpg", "x"}, "--screenshot: 'a.jpg' does not end in .png"},
      {{"--size", "10x10", "x"}, "--size: '10x10' is not WxH within 320x200..8192x8192"},
      {{"--bogus"}, "unknown option '--bogus'"},
      {{"a", "b"}, "one input only: got 'a' and 'b'"},
      {{"--compare", "a.trace", "b.trace"}, ""},
      {{"--compare", "s.textproto", "s.textproto", "--seed", "1", "--seed-b", "2"}, ""},
      {{"--compare", "a.trace"}, "--compare: needs two files (A B)"},
      {{"x", "--compare", "a", "b"}, "--compare takes the inputs: no other input"},
      {{"--compare", "a", "b", "c"}, "--compare takes the inputs: no other input ('c')"},
      {{"s.textproto", "--seed-b", "2"}, "--seed-b needs --compare"},
      {{"--compare", "a", "b", "--seed-b", "z"}, "--seed-b: 'z' is not an unsigned integer"},
  };
  for (const Case& c : cases) {
    CommandLine cl;
    std::string error;
    const bool ok = parseCommandLine(c.args, &cl, &error);
    EXPECT_EQ(ok, c.error.empty()) << ::testing::PrintToString(c.args);
    EXPECT_EQ(error, c.error) << ::testing::PrintToString(c.args);
  }
}

TEST(CommandLineTest, Values) {
  CommandLine cl;
  std::string error;
  ASSERT_TRUE(parseCommandLine({"--screenshot", "o.png", "s.textproto", "--seed", "42",
                                "--size", "800x600"}, &cl, &error));
  EXPECT_EQ(cl.input, "s.textproto");
  EXPECT_EQ(cl.seed, 42u);
  EXPECT_EQ(cl.screenshot, "o.png");
  EXPECT_EQ(cl.width_px, 800);
  EXPECT_EQ(cl.height_px, 600);
  ASSERT_TRUE(parseCommandLine({"--compare", "a.textproto", "b.trace", "--seed", "3", "--seed-b", "4"},
                               &cl, &error));
  EXPECT_EQ(cl.input, "a.textproto");
  EXPECT_EQ(cl.compare_b, "b.trace");
  EXPECT_EQ(cl.seed, 3u);
  EXPECT_EQ(cl.seed_b, 4u);
}

}  // namespace
}  // namespace viz
