// Test helper: a DatagramSocket that keeps what is written, so a test moves, drops, reorders
// or corrupts datagrams by hand.
#pragma once

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtls/datagram_socket.h"

namespace dtls::test {

class RecordingSocket : public DatagramSocket {
 public:
  struct Sent {
    ByteArray data;
    HostAddress to;
    std::uint16_t port = 0;
  };

  std::int64_t writeDatagram(std::string_view datagram, const HostAddress& address,
                             std::uint16_t port) override {
    if (fail_writes_) {
      error_ = EHOSTUNREACH;
      return -1;
    }
    error_ = 0;
    sent_.push_back({ByteArray(datagram), address, port});
    return static_cast<std::int64_t>(datagram.size());
  }
  int error() const override { return error_; }
  std::string errorString() const override {
    return error_ ? "writeDatagram: " + std::string(std::strerror(error_)) : std::string();
  }
  std::optional<std::uint16_t> pathMtuBytes() const override { return path_mtu_; }

  // Everything written since the last take(), oldest first.
  std::vector<ByteArray> take() {
    std::vector<ByteArray> out;
    for (auto& s : sent_) out.push_back(std::move(s.data));
    sent_.clear();
    return out;
  }
  const std::vector<Sent>& sent() const { return sent_; }
  void setFailWrites(bool fail) { fail_writes_ = fail; }
  void setPathMtu(std::optional<std::uint16_t> mtu) { path_mtu_ = mtu; }

 private:
  std::vector<Sent> sent_;
  bool fail_writes_ = false;
  int error_ = 0;
  std::optional<std::uint16_t> path_mtu_;
};

}  // namespace dtls::test
