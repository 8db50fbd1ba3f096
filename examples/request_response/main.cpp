// dtls-request-client: the request/response client (request_client.h) over real UDP, with the
// poll() event loop of dtls/posix: the same RequestClient the simulation tests run.
//
// Usage: see kUsage. Sends --requests requests at once, prints "answer N: BODY" for each answer
// and "answered A of N" at the end; exits 0 when every request was answered, 1 when not, 2 for
// bad arguments.
#include <cstdio>
#include <string>

#include "dtls/backend.h"
#include "dtls/posix/event_loop.h"
#include "dtls/posix/udp_socket.h"
#include "example_args.h"
#include "request_client.h"

namespace {

constexpr char kUsage[] =
    "usage: dtls-request-client --host ADDR --port P (--ca FILE [--name NAME] | --psk HEX "
    "--psk-identity ID) [--requests N] [--timeout-ms MS] [--retry-ms MS] "
    "[--backend openssl|mbedtls|gnutls|wolfssl]";

struct Options {
  reqresp::ClientOptions client;
  long requests = 5;
  long timeout_ms = 30000;
};

std::string parseOptions(int argc, char** argv, Options* o) {
  std::string bad;
  const auto args = dtls_examples::Args::parse(
      argc, argv,
      {"--host", "--port", "--ca", "--name", "--psk", "--psk-identity", "--requests",
       "--timeout-ms", "--retry-ms", "--backend"},
      {}, &bad);
  if (!args) return "bad argument " + bad;
  if (args->has("--backend") && !dtls::setActiveBackend(args->get("--backend")))
    return "bad argument --backend '" + args->get("--backend") + "'";
  o->client.server = dtls::HostAddress(args->get("--host"));
  if (o->client.server.isNull()) return "bad argument --host '" + args->get("--host") + "'";
  const auto port = dtls_examples::parseInteger(args->get("--port"), 1, 65535);
  if (!port) return "bad argument --port '" + args->get("--port") + "'";
  o->client.port = static_cast<std::uint16_t>(*port);
  const auto number = [&](const char* name, long min, long max, long* out) -> std::string {
    if (!args->has(name)) return "";
    const auto v = dtls_examples::parseInteger(args->get(name), min, max);
    if (!v) return std::string("bad argument ") + name + " '" + args->get(name) + "'";
    *out = *v;
    return "";
  };
  long retry_ms = o->client.retry_first.count();
  for (const std::string& error : {number("--requests", 1, 10000, &o->requests),
                                   number("--timeout-ms", 1, 3600000, &o->timeout_ms),
                                   number("--retry-ms", 1, 60000, &retry_ms)})
    if (!error.empty()) return error;
  o->client.retry_first = std::chrono::milliseconds(retry_ms);
  o->client.verification_name = args->get("--name");
  if (args->has("--ca")) {
    const std::string error = dtls_examples::setCaFile(&o->client.config, args->get("--ca"));
    if (!error.empty()) return "bad argument " + error;
  }
  if (args->has("--psk") != args->has("--psk-identity"))
    return "bad argument: --psk and --psk-identity go together";
  if (args->has("--psk")) {
    const auto key = dtls_examples::hexDecode(args->get("--psk"));
    if (!key) return "bad argument --psk (not hex)";
    o->client.psk = *key;
    o->client.psk_identity = args->get("--psk-identity");
    dtls_examples::usePskCiphersOnly(&o->client.config);
  } else if (!args->has("--ca")) {
    return "bad argument: --ca or --psk is required";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const std::string error = parseOptions(argc, argv, &options); !error.empty()) {
    std::fprintf(stderr, "dtls-request-client: %s\n%s\n", error.c_str(), kUsage);
    return dtls_examples::kExitUsage;
  }
  dtls::posix::EventLoop loop;
  dtls::posix::UdpSocket socket;
  const bool v6 = options.client.server.protocol() == dtls::NetworkLayerProtocol::IPv6Protocol;
  if (!socket.bind(v6 ? dtls::HostAddress(dtls::HostAddress::AnyIPv6)
                      : dtls::HostAddress(dtls::HostAddress::AnyIPv4),
                   0)) {
    std::fprintf(stderr, "dtls-request-client: %s\n", socket.errorString().c_str());
    return 1;
  }
  reqresp::RequestClient client(socket, loop, options.client);
  client.setLog([](const std::string& line) {
    std::fprintf(stderr, "dtls-request-client: %s\n", line.c_str());
  });
  loop.watch(socket.fd(), [&] {
    dtls::ByteArray datagram;
    dtls::HostAddress from;
    std::uint16_t port = 0;
    while (socket.readDatagram(&datagram, &from, &port)) client.onDatagram(datagram, from, port);
  });
  long answered = 0;
  long done = 0;
  for (long i = 1; i <= options.requests; ++i) {
    client.request("request-" + std::to_string(i), [&, i](bool ok, const std::string& text) {
      ++done;
      if (ok) {
        ++answered;
        std::printf("answer %ld: %s\n", i, text.c_str());
      } else {
        std::fprintf(stderr, "dtls-request-client: request %ld: %s\n", i, text.c_str());
      }
      std::fflush(stdout);
    });
  }
  loop.runUntil([&] { return done == options.requests; },
                std::chrono::milliseconds(options.timeout_ms));
  client.close();
  loop.unwatch(socket.fd());
  std::printf("answered %ld of %ld\n", answered, options.requests);
  return answered == options.requests ? 0 : 1;
}
