// Private: the dtls ports (TimerService, WallClockSource, DatagramSocket) over one simnet
// network. These adapters are why neither dtls nor simnet knows the other (DESIGN.md §1).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dtls/datagram_socket.h"
#include "dtls/timer_service.h"
#include "dtls/wall_clock.h"
#include "simnet/network.h"

namespace scenarios::detail {

dtls::HostAddress toHostAddress(const simnet::Address& address);
simnet::Address toSimAddress(const dtls::HostAddress& address);

// Virtual time: TimerService and the wall clock libssl reads are both the network's clock, the
// latter offset by the scenario's epoch.
class SimClock : public dtls::TimerService, public dtls::WallClockSource {
 public:
  SimClock(simnet::Network& network, std::int64_t epoch_us) : net_(network), epoch_us_(epoch_us) {}
  Duration now() const override { return Duration(net_.now_us()); }
  TimerId schedule(Duration delay, std::function<void()> callback) override {
    return net_.scheduleTimer(delay.count(), std::move(callback));
  }
  void cancel(TimerId id) override { net_.cancelTimer(id); }
  std::chrono::microseconds wallClockNow() const override {
    return std::chrono::microseconds(epoch_us_ + net_.now_us());
  }

 private:
  simnet::Network& net_;
  std::int64_t epoch_us_;
};

// One bound simnet UDP socket. `before_send` sees every datagram just before the network does,
// so the recorder can attach the bytes to the SEND event the network emits.
class SimSocket : public dtls::DatagramSocket {
 public:
  using SendHook = std::function<void(std::string_view, const dtls::HostAddress&,
                                      std::uint16_t)>;
  SimSocket(simnet::Network& network, simnet::SocketId id, SendHook before_send)
      : net_(network), id_(id), before_send_(std::move(before_send)) {}

  std::int64_t writeDatagram(std::string_view datagram, const dtls::HostAddress& address,
                             std::uint16_t port) override;
  int error() const override { return error_; }
  std::string errorString() const override { return error_string_; }
  std::optional<std::uint16_t> pathMtuBytes() const override { return path_mtu_; }

  simnet::SocketId id() const { return id_; }
  // Sends each DTLS record of a written datagram as a datagram of its own (a datagram that does
  // not decode as DTLS records is sent as it is).
  void setOneRecordPerDatagram(bool on) { one_record_per_datagram_ = on; }
  // Bytes of every datagram the network accepted from this socket.
  std::uint64_t bytesWritten() const { return bytes_written_; }

 private:
  simnet::Network& net_;
  simnet::SocketId id_;
  SendHook before_send_;
  int error_ = 0;
  std::string error_string_;
  std::optional<std::uint16_t> path_mtu_;
  std::uint64_t bytes_written_ = 0;
  bool one_record_per_datagram_ = false;

  std::int64_t sendOne(std::string_view datagram, const dtls::HostAddress& address,
                       std::uint16_t port);
};

}  // namespace scenarios::detail
