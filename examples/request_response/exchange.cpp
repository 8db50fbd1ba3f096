#include "exchange.h"

#include <algorithm>
#include <map>
#include <vector>

#include "dtls/backend.h"
#include "example_args.h"
#include "request_client.h"
#include "request_server.h"

namespace reqresp {

namespace {

constexpr char kServerAddress[] = "10.0.0.1";
constexpr std::uint16_t kServerPort = 4433;

}  // namespace

std::string runExchange(scenarios::Simulation& sim, const ExchangeOptions& options) {
  std::string error;
  scenarios::Simulation::Host* server_host =
      sim.addHost("server", dtls::HostAddress(kServerAddress), &error);
  scenarios::Simulation::Host* client_host =
      server_host ? sim.addHost("client", dtls::HostAddress("10.0.0.2"), &error) : nullptr;
  scenarios::Simulation::Socket* server_socket =
      client_host ? server_host->bind(kServerPort, &error) : nullptr;
  scenarios::Simulation::Socket* client_socket =
      server_socket ? client_host->bind(0, &error) : nullptr;
  if (client_socket == nullptr) return "setup: " + error;

  // dtls objects are built in the simulation's context: its seeded randomness, its clock.
  scenarios::Simulation::Scope scope(sim);
  dtls::Configuration server_config = dtls::Configuration::defaultDtlsConfiguration();
  error = dtls_examples::setLocalIdentity(&server_config,
                                          options.certs_dir + "/server-chain.pem",
                                          options.certs_dir + "/server.key.pem");
  if (!error.empty()) return "setup: " + error;
  ClientOptions client_options;
  client_options.server = dtls::HostAddress(kServerAddress);
  client_options.port = kServerPort;
  client_options.verification_name = "server.dtlsim.test";
  error = dtls_examples::setCaFile(&client_options.config, options.certs_dir + "/ca.pem");
  if (!error.empty()) return "setup: " + error;

  const std::vector<std::string> backends = dtls::availableBackends();
  if (!options.backend.empty() &&
      std::find(backends.begin(), backends.end(), options.backend) == backends.end())
    return "setup: no backend '" + options.backend + "'";
  client_options.backend = options.backend;
  ResponseServer server(*server_socket, sim.timers(), server_config, options.backend);
  RequestClient client(*client_socket, sim.timers(), client_options);

  server.setKeyLogCallback(sim.keyLogger());
  client.setKeyLogCallback(sim.keyLogger());
  server.setLog([&sim](const std::string& line) { sim.note("server", line); });
  client.setLog([&sim](const std::string& line) { sim.note("client", line); });
  server_socket->setReceiveCallback(
      [&server](const dtls::ByteArray& d, const dtls::HostAddress& from, std::uint16_t port) {
        server.onDatagram(d, from, port);
      });
  client_socket->setReceiveCallback(
      [&client](const dtls::ByteArray& d, const dtls::HostAddress& from, std::uint16_t port) {
        client.onDatagram(d, from, port);
      });

  std::map<int, int> answers;  // request number -> callbacks seen
  std::vector<std::string> failures;
  int answered = 0;
  std::int64_t last_answer_us = 0;
  for (int i = 1; i <= options.requests; ++i) {
    const std::string body = "request-" + std::to_string(i);
    client.request(body, [&, i, body](bool ok, const std::string& text) {
      if (!ok) {
        failures.push_back("request " + std::to_string(i) + ": " + text);
      } else if (text != body) {
        failures.push_back("request " + std::to_string(i) + " answered with '" + text + "'");
      } else {
        ++answered;
      }
      ++answers[i];
      last_answer_us = sim.now().count();
    });
  }
  sim.addInvariant("answered at most once", [&answers]() -> std::string {
    for (const auto& [i, n] : answers)
      if (n > 1) return "request " + std::to_string(i) + " answered " + std::to_string(n) + " times";
    return "";
  });
  const scenarios::SimulationRun run = sim.runFor(options.run_for);
  if (!run.ok) return run.error;
  if (ExchangeStats* st = options.stats) {
    ++st->runs;
    st->handshakes_started += static_cast<std::uint64_t>(client.stats().handshakes_started);
    st->handshakes_completed += static_cast<std::uint64_t>(client.stats().handshakes_completed);
    st->sends += static_cast<std::uint64_t>(client.stats().sends);
    st->duplicates += static_cast<std::uint64_t>(client.stats().duplicates);
    st->datagrams_dropped += sim.trace().outcome().datagrams_dropped();
    st->slowest_last_answer_us = std::max(st->slowest_last_answer_us, last_answer_us);
  }

  std::string verdict;
  for (const std::string& f : failures) verdict += (verdict.empty() ? "" : "; ") + f;
  if (answered != options.requests)
    verdict += (verdict.empty() ? "" : "; ") + std::string("answered ") +
               std::to_string(answered) + " of " + std::to_string(options.requests) + " in " +
               std::to_string(options.run_for.count()) + " virtual minutes";
  return verdict;
}

}  // namespace reqresp
