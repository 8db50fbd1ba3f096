// The fuzz regression driver: a main() for a libFuzzer harness in a build without libFuzzer
// (gcc). Runs LLVMFuzzerTestOneInput once per file; arguments are files or directories (their
// regular files, in name order). A crash or oracle failure aborts the process: ctest fails and
// the last "running <file>" line names the input. Missing directories are skipped (a harness
// may have no saved crash inputs yet).
//
// "The same crash input reproduces the same crash every time" (issue 6): a harness may keep
// state from one input to the next (fuzz_decrypt keeps its established pair), so the driver
// runs every input twice, first in name order and then in reverse order, and for harnesses on
// the fixture compares what each input did (the fixture's fingerprint: every delivery's state,
// error and plaintext, the oracle's probes): an input whose behaviour depends on what ran before
// it fails the test.
//
// Options before the paths: `--expect <prefix> <text>`: every input whose file name starts with
// <prefix> must have <text> in its fingerprint (a recorded flight must still complete the
// handshake), and at least one input must have that prefix (a renamed corpus file must not turn
// the check into nothing).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// fuzz/backend_select.cpp (absent in backend-free harnesses): selects the harness's backend, as
// libFuzzer calls it before the first input.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));
// fuzz/fixture.cpp: the fingerprint of the last input (and clears it); absent in fuzz_wire.
extern "C" const char* dtlsimFuzzFingerprint(int clear) __attribute__((weak));

namespace {

std::string runOne(const std::filesystem::path& file) {
  std::fprintf(stderr, "running %s\n", file.c_str());
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "FAIL: cannot read %s\n", file.c_str());
    std::exit(1);
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return dtlsimFuzzFingerprint ? dtlsimFuzzFingerprint(1) : "";
}

struct Expectation {
  std::string prefix;
  std::string text;
};

// Returns how many expectations failed, saying which on stderr.
int checkExpectations(const std::vector<Expectation>& expectations,
                      const std::vector<std::filesystem::path>& files,
                      const std::vector<std::string>& fingerprints) {
  int failed = 0;
  for (const auto& e : expectations) {
    int matched = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (files[i].filename().string().rfind(e.prefix, 0) != 0) continue;
      ++matched;
      if (fingerprints[i].find(e.text) != std::string::npos) continue;
      ++failed;
      std::fprintf(stderr, "FAIL: %s does not reach '%s':\n%s", files[i].c_str(), e.text.c_str(),
                   fingerprints[i].c_str());
    }
    if (matched == 0) {
      ++failed;
      std::fprintf(stderr, "FAIL: no input is named %s*\n", e.prefix.c_str());
    }
  }
  return failed;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<Expectation> expectations;
  int first = 1;
  while (first + 2 < argc && std::string(argv[first]) == "--expect") {
    expectations.push_back({argv[first + 1], argv[first + 2]});
    first += 3;
  }
  std::vector<fs::path> files;
  for (int i = first; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (fs::directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file()) files.push_back(it->path());
      if (ec) {
        std::fprintf(stderr, "FAIL: cannot list %s: %s\n", arg.c_str(), ec.message().c_str());
        return 1;
      }
    } else if (fs::is_regular_file(arg, ec)) {
      files.push_back(arg);
    } else {
      // A renamed corpus or regressions folder must not turn into a test that runs nothing.
      std::fprintf(stderr, "FAIL: %s is neither a file nor a directory\n", arg.c_str());
      return 1;
    }
  }
  std::sort(files.begin(), files.end());
  if (dtlsimFuzzFingerprint) dtlsimFuzzFingerprint(1);  // turns fingerprints on
  std::vector<std::string> forward;
  for (const auto& file : files) forward.push_back(runOne(file));
  int differ = 0;
  for (std::size_t i = files.size(); i-- > 0;) {
    const std::string again = runOne(files[i]);
    if (again == forward[i]) continue;
    ++differ;
    std::fprintf(stderr, "FAIL: %s behaves differently after other inputs:\n-- first run\n%s"
                 "-- second run (reverse order)\n%s", files[i].c_str(), forward[i].c_str(),
                 again.c_str());
  }
  if (differ) return 1;
  if (checkExpectations(expectations, files, forward) != 0) return 1;
  std::printf("%zu inputs ran twice (two orders) without a crash, each the same both times; "
              "%zu expectations held\n", files.size(), expectations.size());
  return files.empty() ? 1 : 0;  // an empty corpus means a wrong path, not a pass
}
