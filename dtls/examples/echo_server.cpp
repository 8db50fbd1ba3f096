// dtls-echo-server: a DTLS echo server on one UDP socket, written the way Qt's "DTLS server"
// example is (QUdpSocket + QDtlsClientVerifier + one QDtls per peer):
//
//  * one socket, datagrams demultiplexed by the peer's address:port;
//  * a datagram from an unknown peer goes through a ClientVerifier (cookie exchange,
//    RFC 6347 §4.2.1); only a verified ClientHello creates a Connection, which starts from
//    verifiedHello() with the verifier's cookie parameters;
//  * handshake datagrams go to doHandshake(), later ones to decryptDatagram(), and every
//    decrypted datagram is echoed with writeDatagramEncrypted();
//  * a peer that sends close_notify (or fails) is forgotten.
//
// Usage: see kUsage. Prints "listening on ADDR:PORT" on stdout once bound; logs one line per
// event on stderr.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "dtls/backend.h"
#include "dtls/client_verifier.h"
#include "dtls/configuration.h"
#include "dtls/connection.h"
#include "dtls/host_address.h"
#include "dtls/posix/event_loop.h"
#include "dtls/posix/udp_socket.h"
#include "example_args.h"

namespace {

constexpr char kUsage[] =
    "usage: dtls-echo-server --port P (--cert FILE --key FILE | --psk HEX) [--ca FILE] "
    "[--psk-hint H] [--bind ADDR] [--max-clients N] [--once] "
    "[--backend openssl|mbedtls|gnutls|wolfssl]";

struct Options {
  dtls::HostAddress bind_address{dtls::HostAddress::LocalHost};
  std::uint16_t port = 0;
  dtls::Configuration config;
  dtls::ByteArray psk;  // empty: no PSK
  std::size_t max_clients = 64;
  bool once = false;
};

using PeerKey = std::pair<dtls::HostAddress, std::uint16_t>;

std::string peerName(const PeerKey& peer) {
  return peer.first.toString() + ":" + std::to_string(peer.second);
}

void log(const PeerKey& peer, const std::string& what) {
  std::fprintf(stderr, "dtls-echo-server: %s: %s\n", peerName(peer).c_str(), what.c_str());
}

class EchoServer {
 public:
  EchoServer(dtls::posix::EventLoop* loop, dtls::posix::UdpSocket* socket, Options options)
      : loop_(loop), socket_(socket), options_(std::move(options)) {}

  // Reads and serves every pending datagram (the socket's readyRead).
  void onReadable() {
    dtls::ByteArray datagram;
    dtls::HostAddress from;
    std::uint16_t port = 0;
    while (socket_->readDatagram(&datagram, &from, &port)) {
      if (datagram.empty()) continue;
      const PeerKey peer{from, port};
      const auto it = peers_.find(peer);
      if (it == peers_.end()) {
        handleNewPeer(peer, datagram);
      } else if (it->second->isConnectionEncrypted()) {
        decryptAndEcho(peer, *it->second, datagram);
      } else {
        continueHandshake(peer, *it->second, datagram);
      }
    }
  }

 private:
  void handleNewPeer(const PeerKey& peer, const dtls::ByteArray& datagram) {
    if (peers_.size() >= options_.max_clients) {
      log(peer, "dropped: already serving " + std::to_string(peers_.size()) + " clients");
      return;
    }
    if (!verifier_.verifyClient(socket_, datagram, peer.first, peer.second)) {
      if (verifier_.dtlsError() != dtls::DtlsError::NoError) {
        log(peer, "verifyClient failed: " + verifier_.dtlsErrorString());
      } else {
        log(peer, "HelloVerifyRequest sent (or datagram dropped)");
      }
      return;
    }
    log(peer, "cookie verified, starting handshake");
    auto connection = std::make_unique<dtls::Connection>(dtls::SslMode::SslServerMode, loop_);
    dtls::Connection* conn = connection.get();
    conn->setDtlsConfiguration(options_.config);
    conn->setCookieGeneratorParameters(verifier_.cookieGeneratorParameters());
    conn->setPeer(peer.first, peer.second);
    conn->setHandshakeTimeoutCallback([this, peer, conn] {
      log(peer, "handshake timeout, retransmitting");
      if (!conn->handleTimeout(socket_) && conn->dtlsError() != dtls::DtlsError::NoError) {
        log(peer, "handshake failed: " + conn->dtlsErrorString());
        forgetLater(peer);
      }
    });
    conn->setPskRequiredCallback([this, peer](dtls::PreSharedKeyAuthenticator* auth) {
      log(peer, "PSK identity '" + auth->identity() + "'");
      auth->setPreSharedKey(options_.psk);
    });
    peers_.emplace(peer, std::move(connection));
    continueHandshake(peer, *conn, verifier_.verifiedHello());
  }

  void continueHandshake(const PeerKey& peer, dtls::Connection& conn,
                         const dtls::ByteArray& datagram) {
    if (!conn.doHandshake(socket_, datagram)) {
      log(peer, "handshake failed: " + conn.dtlsErrorString());
      forgetLater(peer);
      return;
    }
    if (conn.isConnectionEncrypted()) {
      log(peer, "handshake complete, " + conn.sessionCipher().name());
      // Datagrams the client sent right after its Finished may have arrived before it.
      for (const auto& plaintext : conn.takePendingDatagrams()) echo(peer, conn, plaintext);
    }
  }

  void decryptAndEcho(const PeerKey& peer, dtls::Connection& conn,
                      const dtls::ByteArray& datagram) {
    const dtls::ByteArray plaintext = conn.decryptDatagram(socket_, datagram);
    switch (conn.dtlsError()) {
      case dtls::DtlsError::NoError:
        break;
      case dtls::DtlsError::RemoteClosedConnectionError:
        log(peer, "closed by peer (close_notify)");
        forgetLater(peer);
        if (options_.once) loop_->quit();
        return;
      case dtls::DtlsError::TlsNonFatalError:
        log(peer, "dropped a bad record: " + conn.dtlsErrorString());
        return;
      default:
        log(peer, "connection failed: " + conn.dtlsErrorString());
        forgetLater(peer);
        return;
    }
    if (plaintext.empty()) return;  // a retransmission or a replay
    echo(peer, conn, plaintext);
  }

  void echo(const PeerKey& peer, dtls::Connection& conn, const dtls::ByteArray& plaintext) {
    log(peer, "echoing " + std::to_string(plaintext.size()) + " bytes");
    if (conn.writeDatagramEncrypted(socket_, plaintext) < 0) {
      log(peer, "echo failed: " + conn.dtlsErrorString());
    }
  }

  // Destroys a peer's connection from the loop, never from inside one of its own callbacks.
  void forgetLater(const PeerKey& peer) {
    loop_->schedule(dtls::TimerService::Duration::zero(), [this, peer] { peers_.erase(peer); });
  }

  dtls::posix::EventLoop* loop_;
  dtls::posix::UdpSocket* socket_;
  const Options options_;
  dtls::ClientVerifier verifier_;
  std::map<PeerKey, std::unique_ptr<dtls::Connection>> peers_;
};

// Fills `*options` from the command line; returns an error message naming the bad argument.
std::string parseOptions(int argc, char** argv, Options* options) {
  std::string bad;
  const auto args = dtls_examples::Args::parse(
      argc, argv,
      {"--port", "--cert", "--key", "--ca", "--psk-hint", "--psk", "--bind", "--max-clients",
       "--backend"},
      {"--once"}, &bad);
  if (!args) return "bad argument " + bad;
  // The process default (dtls/backend.h): every Connection and ClientVerifier built afterwards
  // runs on it.
  if (args->has("--backend") && !dtls::setActiveBackend(args->get("--backend")))
    return "bad argument --backend '" + args->get("--backend") +
           "' (valid: openssl, mbedtls, gnutls, wolfssl)";
  const auto port = dtls_examples::parseInteger(args->get("--port"), 0, 65535);
  if (!port) return "bad argument --port '" + args->get("--port") + "'";
  options->port = static_cast<std::uint16_t>(*port);
  if (args->has("--bind")) {
    options->bind_address = dtls::HostAddress(args->get("--bind"));
    if (options->bind_address.isNull()) return "bad argument --bind '" + args->get("--bind") + "'";
  }
  if (args->has("--max-clients")) {
    const auto n = dtls_examples::parseInteger(args->get("--max-clients"), 1, 100000);
    if (!n) return "bad argument --max-clients '" + args->get("--max-clients") + "'";
    options->max_clients = static_cast<std::size_t>(*n);
  }
  options->once = args->has("--once");

  dtls::Configuration config = dtls::Configuration::defaultDtlsConfiguration();
  if (args->has("--cert") != args->has("--key")) return "bad argument: --cert needs --key";
  if (!args->has("--cert") && !args->has("--psk")) return "bad argument: need --cert or --psk";
  if (args->has("--cert")) {
    const std::string error =
        dtls_examples::setLocalIdentity(&config, args->get("--cert"), args->get("--key"));
    if (!error.empty()) return "bad argument " + error;
  }
  if (args->has("--ca")) {
    const std::string error = dtls_examples::setCaFile(&config, args->get("--ca"));
    if (!error.empty()) return "bad argument " + error;
  }
  if (args->has("--psk")) {
    const auto key = dtls_examples::hexDecode(args->get("--psk"));
    if (!key) return "bad argument --psk (expected an even number of hex digits)";
    options->psk = *key;
    config.setPreSharedKeyIdentityHint(args->get("--psk-hint"));
    dtls_examples::usePskCiphersOnly(&config);
  } else if (args->has("--psk-hint")) {
    return "bad argument --psk-hint (needs --psk)";
  }
  options->config = config;
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const std::string error = parseOptions(argc, argv, &options);
  if (!error.empty()) {
    std::fprintf(stderr, "dtls-echo-server: %s\n%s\n", error.c_str(), kUsage);
    return dtls_examples::kExitUsage;
  }

  dtls::posix::EventLoop loop;
  dtls::posix::UdpSocket socket;
  if (!socket.bind(options.bind_address, options.port)) {
    std::fprintf(stderr, "dtls-echo-server: %s\n", socket.errorString().c_str());
    return 1;
  }
  std::printf("listening on %s:%u\n", socket.localAddress().toString().c_str(),
              static_cast<unsigned>(socket.localPort()));
  std::fflush(stdout);

  EchoServer server(&loop, &socket, std::move(options));
  loop.watch(socket.fd(), [&server] { server.onReadable(); });
  loop.run();
  loop.unwatch(socket.fd());
  return 0;  // only --once ends the loop
}
