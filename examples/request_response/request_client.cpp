#include "request_client.h"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

namespace reqresp {

std::string encodeRequest(std::uint64_t id, const std::string& body) {
  return "REQ " + std::to_string(id) + " " + body;
}

bool decodeRequest(const dtls::ByteArray& datagram, std::uint64_t* id, std::string* body) {
  if (datagram.rfind("REQ ", 0) != 0) return false;
  const std::size_t space = datagram.find(' ', 4);
  if (space == std::string::npos || space == 4) return false;
  const char* first = datagram.data() + 4;
  const char* last = datagram.data() + space;
  const auto [end, ec] = std::from_chars(first, last, *id);
  if (ec != std::errc() || end != last) return false;
  *body = datagram.substr(space + 1);
  return true;
}

RequestClient::RequestClient(dtls::DatagramSocket& socket, dtls::TimerService& timers,
                             ClientOptions options)
    : socket_(socket), timers_(timers), options_(std::move(options)) {}

RequestClient::~RequestClient() {
  for (auto& [id, r] : requests_) timers_.cancel(r.timer);
  timers_.cancel(connect_timer_);
  timers_.cancel(reconnect_timer_);
}

void RequestClient::request(const std::string& body, Done done) {
  const std::uint64_t id = next_id_++;
  Request& r = requests_[id];
  r.body = body;
  r.done = std::move(done);
  r.next_wait = options_.retry_first;
  if (connected()) {
    send(id);
  } else if (!conn_ && reconnect_timer_ == dtls::TimerService::kInvalidTimerId) {
    connect();
  }
}

void RequestClient::connect() {
  reconnect_timer_ = dtls::TimerService::kInvalidTimerId;
  if (connects_ >= options_.max_connects) {
    const int tried = connects_;
    connects_ = 0;  // a later request starts a new series
    failAll("no connection after " + std::to_string(tried) + " handshakes");
    return;
  }
  ++connects_;
  ++stats_.handshakes_started;
  conn_ = std::make_unique<dtls::Connection>(dtls::SslMode::SslClientMode, &timers_,
                                             options_.backend);
  dtls::Connection* c = conn_.get();
  c->setDtlsConfiguration(options_.config);
  c->setPeer(options_.server, options_.port, options_.verification_name);
  if (key_log_) c->setKeyLogCallback(key_log_);
  c->setPskRequiredCallback([this](dtls::PreSharedKeyAuthenticator* auth) {
    auth->setIdentity(options_.psk_identity);
    auth->setPreSharedKey(options_.psk);
  });
  c->setHandshakeTimeoutCallback([this, c] {
    if (c != conn_.get()) return;  // a connection given up on stays silent
    if (!c->handleTimeout(&socket_) && c->dtlsError() != dtls::DtlsError::NoError)
      connectFailed("handshake gave up: " + c->dtlsErrorString());
  });
  log("handshake " + std::to_string(connects_) + " starts");
  timers_.cancel(connect_timer_);
  connect_timer_ = timers_.schedule(options_.connect_timeout, [this] {
    connect_timer_ = dtls::TimerService::kInvalidTimerId;
    if (!connected()) connectFailed("no handshake within the connect timeout");
  });
  if (!c->doHandshake(&socket_)) connectFailed("handshake failed: " + c->dtlsErrorString());
}

void RequestClient::connectFailed(const std::string& why) {
  log(why);
  timers_.cancel(connect_timer_);
  connect_timer_ = dtls::TimerService::kInvalidTimerId;
  // The connection may be the caller of this function: keep it alive until the next failure.
  retired_ = std::move(conn_);
  if (requests_.empty()) return;  // the next request() connects again
  reconnect_timer_ = timers_.schedule(options_.reconnect_delay, [this] { connect(); });
}

void RequestClient::onConnected() {
  ++stats_.handshakes_completed;
  connects_ = 0;  // max_connects bounds the handshakes in a row that fail
  timers_.cancel(connect_timer_);
  connect_timer_ = dtls::TimerService::kInvalidTimerId;
  log("connected, " + conn_->sessionCipher().name());
  // Unanswered requests go out again at once on the new connection, in id order.
  std::vector<std::uint64_t> ids;
  for (const auto& [id, r] : requests_) ids.push_back(id);
  for (const std::uint64_t id : ids) {
    Request& r = requests_.at(id);
    timers_.cancel(r.timer);
    r.timer = dtls::TimerService::kInvalidTimerId;
    r.next_wait = options_.retry_first;
    send(id);
  }
  for (const auto& early : conn_->takePendingDatagrams()) onPlaintext(early);
}

void RequestClient::send(std::uint64_t id) {
  Request& r = requests_.at(id);
  ++r.attempts;
  ++stats_.sends;
  if (conn_->writeDatagramEncrypted(&socket_, encodeRequest(id, r.body)) < 0)
    log("request " + std::to_string(id) + " not sent: " + conn_->dtlsErrorString());
  r.timer = timers_.schedule(r.next_wait, [this, id] { onRetryTimer(id); });
  r.next_wait = std::min(r.next_wait * 2, options_.retry_max);
}

void RequestClient::onRetryTimer(std::uint64_t id) {
  const auto it = requests_.find(id);
  if (it == requests_.end()) return;
  it->second.timer = dtls::TimerService::kInvalidTimerId;
  if (it->second.attempts >= options_.max_attempts) {
    finish(id, false, "no answer after " + std::to_string(it->second.attempts) + " attempts");
    return;
  }
  if (!connected()) return;  // sent again when the next handshake completes
  log("request " + std::to_string(id) + " unanswered, sending it again");
  send(id);
}

void RequestClient::onDatagram(const dtls::ByteArray& datagram, const dtls::HostAddress& from,
                               std::uint16_t port) {
  if (!conn_ || from != options_.server || port != options_.port) return;
  if (!conn_->isConnectionEncrypted()) {
    if (!conn_->doHandshake(&socket_, datagram)) {
      connectFailed("handshake failed: " + conn_->dtlsErrorString());
      return;
    }
    if (conn_->isConnectionEncrypted()) onConnected();
    return;
  }
  const dtls::ByteArray plaintext = conn_->decryptDatagram(&socket_, datagram);
  switch (conn_->dtlsError()) {
    case dtls::DtlsError::NoError:
      if (!plaintext.empty()) onPlaintext(plaintext);
      return;
    case dtls::DtlsError::TlsNonFatalError:  // a damaged record: the retry timer covers it
      return;
    default:
      connectFailed("connection lost: " + conn_->dtlsErrorString());
      return;
  }
}

void RequestClient::onPlaintext(const dtls::ByteArray& plaintext) {
  std::uint64_t id = 0;
  std::string body;
  if (!decodeRequest(plaintext, &id, &body)) {
    log("dropped an answer that is not one: " + std::to_string(plaintext.size()) + " bytes");
    return;
  }
  const auto it = requests_.find(id);
  if (it == requests_.end()) {
    if (id < next_id_) ++stats_.duplicates;
    return;
  }
  if (body != it->second.body) {
    log("dropped an answer to request " + std::to_string(id) + " with another body");
    return;
  }
  finish(id, true, body);
}

void RequestClient::finish(std::uint64_t id, bool ok, const std::string& text) {
  auto node = requests_.extract(id);
  timers_.cancel(node.mapped().timer);
  // Last: the callback may queue the next request or destroy nothing else of ours.
  node.mapped().done(ok, text);
}

void RequestClient::failAll(const std::string& why) {
  // Only the requests queued now: a callback may queue new ones, which get their own chance.
  std::vector<std::uint64_t> ids;
  for (const auto& [id, r] : requests_) ids.push_back(id);
  for (const std::uint64_t id : ids)
    if (requests_.contains(id)) finish(id, false, why);
}

void RequestClient::close() {
  timers_.cancel(connect_timer_);
  timers_.cancel(reconnect_timer_);
  connect_timer_ = reconnect_timer_ = dtls::TimerService::kInvalidTimerId;
  if (connected()) conn_->shutdown(&socket_);
  conn_.reset();
  failAll("closed");
}

}  // namespace reqresp
