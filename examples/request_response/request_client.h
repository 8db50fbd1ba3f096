// examples/request_response/request_client.h — the client of a small request/response protocol
// over DTLS, with its own retry logic. It is what dtlsim's Simulation is for: application code
// written against the dtls ports alone (a DatagramSocket to write to, a TimerService for time,
// datagrams handed in by the caller), so it runs unchanged over real UDP (main.cpp) and in a
// seeded simulated network (request_response_test.cpp).
//
// The protocol: a request is one datagram "REQ <id> <body>"; the answer carries the same id and
// body. Any DTLS echo server is a server of it (dtls-echo-server, gnutls-serv --echo), and so is
// ResponseServer (request_server.h). Requests are answered in any order.
//
// Retries, on two levels:
//  * a request without an answer is sent again after retry_first, then after twice that, up to
//    retry_max, at most max_attempts times; then its callback gets a failure. An answer to an
//    earlier copy counts (ids, not copies, are answered); later answers to it are counted as
//    duplicates and dropped.
//  * DTLS retransmits the handshake on its own timer; when the handshake fails anyway (the
//    stack gave up, or connect_timeout passed), the client waits reconnect_delay and starts a
//    new handshake, at most max_connects failed ones in a row, keeping its unanswered requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "dtls/configuration.h"
#include "dtls/connection.h"
#include "dtls/datagram_socket.h"
#include "dtls/host_address.h"
#include "dtls/timer_service.h"

namespace reqresp {

struct ClientOptions {
  dtls::HostAddress server;
  std::uint16_t port = 0;
  std::string verification_name;  // the server certificate's name; empty: the address
  dtls::Configuration config = dtls::Configuration::defaultDtlsConfiguration();
  std::string backend;  // the DTLS stack of every connection (dtls/backend.h); empty: active
  std::string psk_identity;  // with psk: answer the server's PSK request
  dtls::ByteArray psk;
  std::chrono::milliseconds retry_first{500};
  std::chrono::milliseconds retry_max{8000};
  // At 30 % loss each way an attempt goes unanswered with p = 0.51; 30 attempts (about 3.5
  // minutes with the backoff) leave 2e-9 per request.
  int max_attempts = 30;
  std::chrono::milliseconds connect_timeout{120000};
  std::chrono::milliseconds reconnect_delay{2000};
  int max_connects = 8;
};

class RequestClient {
 public:
  // ok: `text` is the answer's body; not ok: `text` says why there is none.
  using Done = std::function<void(bool ok, const std::string& text)>;
  using Log = std::function<void(const std::string& line)>;

  struct Stats {
    int handshakes_started = 0;
    int handshakes_completed = 0;
    int sends = 0;        // request datagrams written, first copies and retries
    int duplicates = 0;   // answers to requests already answered
  };

  // Neither the socket nor the timers are owned; both must outlive the client.
  RequestClient(dtls::DatagramSocket& socket, dtls::TimerService& timers, ClientOptions options);
  ~RequestClient();
  RequestClient(const RequestClient&) = delete;
  RequestClient& operator=(const RequestClient&) = delete;

  // Queues a request (sent once connected; the first call starts connecting). `done` runs once.
  void request(const std::string& body, Done done);
  // Every datagram the socket receives.
  void onDatagram(const dtls::ByteArray& datagram, const dtls::HostAddress& from,
                  std::uint16_t port);
  // Sends close_notify (if connected) and fails what is still unanswered.
  void close();

  bool connected() const { return conn_ && conn_->isConnectionEncrypted(); }
  std::size_t pending() const { return requests_.size(); }
  const Stats& stats() const { return stats_; }
  void setLog(Log log) { log_ = std::move(log); }
  void setKeyLogCallback(dtls::Connection::KeyLogCallback callback) {
    key_log_ = std::move(callback);
  }

 private:
  struct Request {
    std::string body;
    Done done;
    int attempts = 0;
    std::chrono::milliseconds next_wait{0};
    dtls::TimerService::TimerId timer = dtls::TimerService::kInvalidTimerId;
  };

  void connect();
  void connectFailed(const std::string& why);
  void onConnected();
  void send(std::uint64_t id);
  void onRetryTimer(std::uint64_t id);
  void onPlaintext(const dtls::ByteArray& plaintext);
  void finish(std::uint64_t id, bool ok, const std::string& text);
  void failAll(const std::string& why);
  void log(const std::string& line) {
    if (log_) log_(line);
  }

  dtls::DatagramSocket& socket_;
  dtls::TimerService& timers_;
  ClientOptions options_;
  std::unique_ptr<dtls::Connection> conn_;
  // Connections that failed, destroyed outside the callbacks they failed in.
  std::unique_ptr<dtls::Connection> retired_;
  std::map<std::uint64_t, Request> requests_;  // unanswered, by id
  std::uint64_t next_id_ = 1;
  int connects_ = 0;
  dtls::TimerService::TimerId connect_timer_ = dtls::TimerService::kInvalidTimerId;
  dtls::TimerService::TimerId reconnect_timer_ = dtls::TimerService::kInvalidTimerId;
  Stats stats_;
  Log log_;
  dtls::Connection::KeyLogCallback key_log_;
};

// "REQ 7 hello" <-> id 7, body "hello"; false for anything else.
std::string encodeRequest(std::uint64_t id, const std::string& body);
bool decodeRequest(const dtls::ByteArray& datagram, std::uint64_t* id, std::string* body);

}  // namespace reqresp
