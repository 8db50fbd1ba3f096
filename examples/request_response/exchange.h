// examples/request_response/exchange.h — one run of the protocol in a Simulation: a server
// host, a client host, N requests; what the simulation tests sweep over seeds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "scenarios/simulation.h"

namespace reqresp {

// What the runs of a sweep did, summed (for the test's report line).
struct ExchangeStats {
  std::uint64_t runs = 0;
  std::uint64_t handshakes_started = 0;
  std::uint64_t handshakes_completed = 0;
  std::uint64_t sends = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t datagrams_dropped = 0;
  std::int64_t slowest_last_answer_us = 0;  // virtual time of the last answer, worst run
};

struct ExchangeOptions {
  int requests = 5;
  std::string backend;  // empty: the active backend (OpenSSL); else "mbedtls", "gnutls", ...
  std::chrono::minutes run_for{30};
  std::string certs_dir;  // ca.pem, server-chain.pem, server.key.pem
  ExchangeStats* stats = nullptr;  // not null: each run adds its figures
};

// Runs the exchange on `sim`; "" when every request was answered exactly once with its own
// body, else what went wrong. The invariant "answered at most once" is checked after every
// event of the run.
std::string runExchange(scenarios::Simulation& sim, const ExchangeOptions& options);

}  // namespace reqresp
