// tests/interop/process.h — a child process with piped stdin, stdout and stderr, for the
// interop tests: spawn a real peer (openssl, gnutls-*, the echo examples), feed its stdin,
// wait with a deadline for text in its output or for its exit, and kill it if the test ends
// first. Every wait is bounded; nothing blocks.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace interop {

// A free UDP port on 127.0.0.1 (bound and released; the peer binds it right after); 0 if
// none could be had.
std::uint16_t freeUdpPort();

using Clock = std::chrono::steady_clock;

class Process {
 public:
  // Starts argv[0] (looked up in PATH) with argv. Returns null and sets `*error` when it
  // cannot be started (e.g. "openssl: not found in PATH").
  static std::unique_ptr<Process> spawn(const std::vector<std::string>& argv,
                                        std::string* error);

  ~Process();  // closes the pipes; SIGKILLs and reaps the child if it still runs
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Writes `text` to the child's stdin. False if the pipe is closed or the child is gone.
  bool writeStdin(const std::string& text);
  void closeStdin();

  enum class Stream { kStdout, kStderr, kEither };

  // Reads output until `stream` contains `needle`, the child's output ends, or `timeout`
  // passes. Returns whether the needle was found.
  bool waitForOutput(const std::string& needle, std::chrono::milliseconds timeout,
                     Stream stream = Stream::kStdout);

  // Waits for the child to exit, reading its output meanwhile. Returns its exit status (128+N
  // for a signal N), or nullopt if it still runs after `timeout`.
  std::optional<int> waitExit(std::chrono::milliseconds timeout);

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  // The command line and both outputs, for failure messages.
  std::string describe() const;

 private:
  Process() = default;
  // Waits at most `wait` for output, then appends what is readable. False when both pipes
  // are at end of file.
  bool pump(std::chrono::milliseconds wait);
  bool reap(bool block);
  bool contains(const std::string& needle, Stream stream) const;

  pid_t pid_ = -1;
  std::optional<int> status_;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string command_;
  std::string out_;
  std::string err_;
};

}  // namespace interop
