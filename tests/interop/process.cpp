#include "interop/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace interop {

std::uint16_t freeUdpPort() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  return ok ? ntohs(addr.sin_port) : 0;
}
namespace {

void closeFd(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

}  // namespace

std::unique_ptr<Process> Process::spawn(const std::vector<std::string>& argv,
                                        std::string* error) {
  // A peer that exits while we write to its stdin must not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      ::pipe2(err, O_CLOEXEC) != 0) {
    *error = std::string("pipe2: ") + std::strerror(errno);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);  // dup2 clears FD_CLOEXEC
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  std::unique_ptr<Process> process(new Process);
  for (const std::string& arg : argv) process->command_ += arg + " ";
  const int rc = ::posix_spawnp(&process->pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  process->stdin_fd_ = in[1];
  process->stdout_fd_ = out[0];
  process->stderr_fd_ = err[0];
  if (rc != 0) {
    process->pid_ = -1;
    *error = argv[0] + ": cannot start (" + std::strerror(rc) +
             "); install the interop peers with scripts/install-deps.sh test";
    return nullptr;
  }
  ::fcntl(process->stdout_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(process->stderr_fd_, F_SETFL, O_NONBLOCK);
  return process;
}

Process::~Process() {
  closeStdin();
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    reap(/*block=*/true);
  }
  closeFd(&stdout_fd_);
  closeFd(&stderr_fd_);
}

bool Process::writeStdin(const std::string& text) {
  if (stdin_fd_ < 0) return false;
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(stdin_fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void Process::closeStdin() { closeFd(&stdin_fd_); }

bool Process::pump(std::chrono::milliseconds wait) {
  pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
  if (stdout_fd_ < 0 && stderr_fd_ < 0) return false;
  ::poll(fds, 2, static_cast<int>(wait.count()));
  int* const fd_of[2] = {&stdout_fd_, &stderr_fd_};
  std::string* const sink_of[2] = {&out_, &err_};
  for (int i = 0; i < 2; ++i) {
    if (*fd_of[i] < 0 || fds[i].revents == 0) continue;
    char buf[4096];
    const ssize_t n = ::read(*fd_of[i], buf, sizeof buf);
    if (n > 0) {
      sink_of[i]->append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      closeFd(fd_of[i]);
    }
  }
  return stdout_fd_ >= 0 || stderr_fd_ >= 0;
}

bool Process::reap(bool block) {
  if (status_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r != pid_) return false;
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool Process::contains(const std::string& needle, Stream stream) const {
  const bool in_out = out_.find(needle) != std::string::npos;
  const bool in_err = err_.find(needle) != std::string::npos;
  switch (stream) {
    case Stream::kStdout:
      return in_out;
    case Stream::kStderr:
      return in_err;
    case Stream::kEither:
      return in_out || in_err;
  }
  return false;
}

bool Process::waitForOutput(const std::string& needle, std::chrono::milliseconds timeout,
                            Stream stream) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!contains(needle, stream)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                            Clock::now());
    if (left.count() <= 0 || !pump(std::min(left, std::chrono::milliseconds(50)))) {
      return contains(needle, stream);
    }
  }
  return true;
}

std::optional<int> Process::waitExit(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!reap(/*block=*/false)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                            Clock::now());
    if (left.count() <= 0) return std::nullopt;
    // With both pipes at end of file poll returns at once: sleep through poll on nothing.
    if (!pump(std::min(left, std::chrono::milliseconds(20)))) ::poll(nullptr, 0, 10);
  }
  // The child is gone, so its pipes reach end of file at once; the bound covers a grandchild
  // that inherited them.
  for (int i = 0; i < 50 && pump(std::chrono::milliseconds(2)); ++i) {
  }
  return status_;
}

std::string Process::describe() const {
  return "$ " + command_ + "\n--- stdout ---\n" + out_ + "\n--- stderr ---\n" + err_ + "\n";
}

}  // namespace interop
