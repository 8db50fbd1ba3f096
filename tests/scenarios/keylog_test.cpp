#include "scenarios/keylog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace scenarios {
namespace {

TEST(KeylogTest, OneLinePerSecretEachNewlineTerminated) {
  dtlsim::Trace t;
  EXPECT_EQ(keylogText(t), "");
  t.add_keylog_lines("CLIENT_RANDOM 01 02");
  t.add_keylog_lines("CLIENT_RANDOM 03 04\n");  // already terminated: no blank line
  EXPECT_EQ(keylogText(t), "CLIENT_RANDOM 01 02\nCLIENT_RANDOM 03 04\n");
}

TEST(KeylogTest, WritesTheFileOrSaysWhyNot) {
  dtlsim::Trace t;
  t.add_keylog_lines("CLIENT_RANDOM 01 02");
  const auto path = std::filesystem::temp_directory_path() / "dtlsim-keylog-test.txt";
  std::string error;
  ASSERT_TRUE(writeKeylog(t, path.string(), &error)) << error;
  std::ifstream in(path);
  const std::string written((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove(path);
  EXPECT_EQ(written, "CLIENT_RANDOM 01 02\n");
  EXPECT_FALSE(writeKeylog(t, "/nonexistent-dir/keys.txt", &error));
  EXPECT_EQ(error, "cannot write /nonexistent-dir/keys.txt: No such file or directory");
}

}  // namespace
}  // namespace scenarios
