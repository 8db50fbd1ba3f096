// dtls-echo-client: connects to a DTLS server, sends one message, prints the reply and shuts the
// connection down, written the way Qt's "DTLS client" example is (QUdpSocket + QDtls, the
// handshakeTimeout signal answered with handleTimeout()).
//
// Exit status: 0 when the reply equals --expect (default: the message itself), 1 otherwise
// with a one-line reason on stderr, 2 for bad arguments.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "dtls/configuration.h"
#include "dtls/backend.h"
#include "dtls/connection.h"
#include "dtls/host_address.h"
#include "dtls/posix/event_loop.h"
#include "dtls/posix/udp_socket.h"
#include "example_args.h"

namespace {

constexpr char kUsage[] =
    "usage: dtls-echo-client --host H --port P --message M [--expect TEXT] [--ca FILE] "
    "[--name NAME] [--psk-identity I --psk HEX] [--cert FILE --key FILE] [--timeout-ms T] "
    "[--backend openssl|mbedtls|gnutls|wolfssl]";

struct Options {
  dtls::HostAddress host;
  std::uint16_t port = 0;
  std::string verification_name;
  dtls::Configuration config;
  dtls::ByteArray psk_identity;
  dtls::ByteArray psk;  // empty: certificates
  std::string message;
  std::string expect;
  long timeout_ms = 5000;
};

// The first address `name` resolves to (an IP literal resolves to itself); null if none.
dtls::HostAddress resolve(const std::string& name) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* result = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &result) != 0 || result == nullptr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  const void* bytes = result->ai_family == AF_INET
                          ? static_cast<const void*>(
                                &reinterpret_cast<sockaddr_in*>(result->ai_addr)->sin_addr)
                          : static_cast<const void*>(
                                &reinterpret_cast<sockaddr_in6*>(result->ai_addr)->sin6_addr);
  const bool ok = inet_ntop(result->ai_family, bytes, text, sizeof text) != nullptr;
  freeaddrinfo(result);
  return ok ? dtls::HostAddress(std::string(text)) : dtls::HostAddress();
}

class EchoClient {
 public:
  EchoClient(dtls::posix::EventLoop* loop, dtls::posix::UdpSocket* socket, const Options& options)
      : loop_(loop), socket_(socket), options_(options),
        conn_(dtls::SslMode::SslClientMode, loop) {}

  // Runs the whole exchange; returns the exit status.
  int run() {
    conn_.setDtlsConfiguration(options_.config);
    conn_.setPeer(options_.host, options_.port, options_.verification_name);
    conn_.setHandshakeTimeoutCallback([this] {
      std::fprintf(stderr, "dtls-echo-client: handshake timeout, retransmitting\n");
      if (!conn_.handleTimeout(socket_) && conn_.dtlsError() != dtls::DtlsError::NoError) {
        finish("handshake failed: " + conn_.dtlsErrorString());
      }
    });
    conn_.setPskRequiredCallback([this](dtls::PreSharedKeyAuthenticator* auth) {
      std::fprintf(stderr, "dtls-echo-client: PSK requested (hint '%s')\n",
                   auth->identityHint().c_str());
      auth->setIdentity(options_.psk_identity);
      auth->setPreSharedKey(options_.psk);
    });
    loop_->watch(socket_->fd(), [this] { onReadable(); });
    if (!conn_.doHandshake(socket_)) {
      finish("handshake failed: " + conn_.dtlsErrorString());
    } else {
      const bool finished = loop_->runUntil([this] { return result_ >= 0; },
                                            std::chrono::milliseconds(options_.timeout_ms));
      if (!finished) {
        finish(conn_.isConnectionEncrypted()
                   ? "no echo within " + std::to_string(options_.timeout_ms) + " ms"
                   : "handshake failed: no handshake within " +
                         std::to_string(options_.timeout_ms) + " ms");
      }
    }
    loop_->unwatch(socket_->fd());
    return result_;
  }

 private:
  void onReadable() {
    dtls::ByteArray datagram;
    dtls::HostAddress from;
    std::uint16_t port = 0;
    while (result_ < 0 && socket_->readDatagram(&datagram, &from, &port)) {
      if (from != options_.host || port != options_.port) continue;  // not our server
      if (conn_.isConnectionEncrypted()) {
        onEncryptedDatagram(datagram);
      } else if (!conn_.doHandshake(socket_, datagram)) {
        finish("handshake failed: " + conn_.dtlsErrorString());
        // Tell the server at once instead of leaving it to time out (sends an alert).
        if (conn_.handshakeState() == dtls::Connection::PeerVerificationFailed) {
          conn_.abortHandshake(socket_);
        }
      } else if (conn_.isConnectionEncrypted()) {
        std::fprintf(stderr, "dtls-echo-client: handshake complete, %s\n",
                     conn_.sessionCipher().name().c_str());
        if (conn_.writeDatagramEncrypted(socket_, options_.message) < 0) {
          finish("send failed: " + conn_.dtlsErrorString());
        }
        // A server that writes first may have overtaken its own Finished.
        for (const auto& early : conn_.takePendingDatagrams()) onPlaintext(early);
      }
    }
  }

  void onEncryptedDatagram(const dtls::ByteArray& datagram) {
    const dtls::ByteArray reply = conn_.decryptDatagram(socket_, datagram);
    if (conn_.dtlsError() == dtls::DtlsError::TlsNonFatalError) {
      std::fprintf(stderr, "dtls-echo-client: dropped a bad record: %s\n",
                   conn_.dtlsErrorString().c_str());
      return;
    }
    if (conn_.dtlsError() != dtls::DtlsError::NoError) {
      finish("connection failed: " + conn_.dtlsErrorString());
      return;
    }
    if (reply.empty()) return;  // a retransmitted flight or a replay
    onPlaintext(reply);
  }

  void onPlaintext(const dtls::ByteArray& reply) {
    if (result_ >= 0) return;  // already finished
    std::fwrite(reply.data(), 1, reply.size(), stdout);
    if (reply.back() != '\n') std::fputc('\n', stdout);
    std::fflush(stdout);
    if (!conn_.shutdown(socket_)) {
      std::fprintf(stderr, "dtls-echo-client: shutdown: %s\n", conn_.dtlsErrorString().c_str());
    }
    finish(reply == options_.expect ? "" : "echo mismatch");
  }

  // Records the outcome: success for an empty `failure`, else prints it.
  void finish(const std::string& failure) {
    if (result_ >= 0) return;
    result_ = failure.empty() ? 0 : 1;
    if (!failure.empty()) std::fprintf(stderr, "dtls-echo-client: %s\n", failure.c_str());
  }

  dtls::posix::EventLoop* loop_;
  dtls::posix::UdpSocket* socket_;
  const Options& options_;
  dtls::Connection conn_;
  int result_ = -1;  // the exit status once known
};

// Fills `*options` from the command line; returns an error message naming the bad argument.
std::string parseOptions(int argc, char** argv, Options* options) {
  std::string bad;
  const auto args = dtls_examples::Args::parse(
      argc, argv,
      {"--host", "--port", "--ca", "--name", "--psk-identity", "--psk", "--cert", "--key",
       "--message", "--expect", "--timeout-ms", "--backend"},
      {}, &bad);
  if (!args) return "bad argument " + bad;
  // The process default (dtls/backend.h): every Connection and ClientVerifier built afterwards
  // runs on it.
  if (args->has("--backend") && !dtls::setActiveBackend(args->get("--backend")))
    return "bad argument --backend '" + args->get("--backend") +
           "' (valid: openssl, mbedtls, gnutls, wolfssl)";
  if (!args->has("--host")) return "bad argument: --host is required";
  options->host = resolve(args->get("--host"));
  if (options->host.isNull()) return "bad argument --host '" + args->get("--host") + "'";
  const auto port = dtls_examples::parseInteger(args->get("--port"), 1, 65535);
  if (!port) return "bad argument --port '" + args->get("--port") + "'";
  options->port = static_cast<std::uint16_t>(*port);
  if (args->get("--message").empty()) return "bad argument: --message must not be empty";
  options->message = args->get("--message");
  options->expect = args->get("--expect", options->message);
  if (args->has("--timeout-ms")) {
    const auto ms = dtls_examples::parseInteger(args->get("--timeout-ms"), 1, 3600000);
    if (!ms) return "bad argument --timeout-ms '" + args->get("--timeout-ms") + "'";
    options->timeout_ms = *ms;
  }
  options->verification_name = args->get("--name");

  dtls::Configuration config = dtls::Configuration::defaultDtlsConfiguration();
  if (args->has("--ca")) {
    const std::string error = dtls_examples::setCaFile(&config, args->get("--ca"));
    if (!error.empty()) return "bad argument " + error;
  }
  if (args->has("--cert") != args->has("--key")) return "bad argument: --cert needs --key";
  if (args->has("--cert")) {
    const std::string error =
        dtls_examples::setLocalIdentity(&config, args->get("--cert"), args->get("--key"));
    if (!error.empty()) return "bad argument " + error;
  }
  if (args->has("--psk") != args->has("--psk-identity")) {
    return "bad argument: --psk and --psk-identity go together";
  }
  if (args->has("--psk")) {
    const auto key = dtls_examples::hexDecode(args->get("--psk"));
    if (!key) return "bad argument --psk (expected an even number of hex digits)";
    options->psk = *key;
    options->psk_identity = args->get("--psk-identity");
    dtls_examples::usePskCiphersOnly(&config);
    config.setPeerVerifyMode(dtls::PeerVerifyMode::VerifyNone);
  }
  options->config = config;
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const std::string error = parseOptions(argc, argv, &options);
  if (!error.empty()) {
    std::fprintf(stderr, "dtls-echo-client: %s\n%s\n", error.c_str(), kUsage);
    return dtls_examples::kExitUsage;
  }

  // A loopback server gets a loopback-only client socket; anything else an ephemeral port on
  // every interface of the server's address family.
  dtls::HostAddress local;
  if (options.host.isLoopback()) {
    local = options.host;
  } else {
    local = options.host.protocol() == dtls::NetworkLayerProtocol::IPv6Protocol
                ? dtls::HostAddress(dtls::HostAddress::AnyIPv6)
                : dtls::HostAddress(dtls::HostAddress::AnyIPv4);
  }
  dtls::posix::UdpSocket socket;
  if (!socket.bind(local, 0)) {
    std::fprintf(stderr, "dtls-echo-client: %s\n", socket.errorString().c_str());
    return 1;
  }
  dtls::posix::EventLoop loop;
  EchoClient client(&loop, &socket, options);
  return client.run();
}
