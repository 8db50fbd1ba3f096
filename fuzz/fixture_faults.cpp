#include "fixture_faults.h"

#include <map>
#include <string>

#include "dtls/backend.h"
#include "fixture.h"

namespace dtlsim_fuzz {

namespace {

constexpr char kScenario[] = R"pb(
name: "fuzz-faults"
description: "PSK handshake and pings; the fuzzer decides every datagram's fate."
seed: 1
max_virtual_time_ms: 600000
network { default_link { latency_us: 10000 } }
endpoints {
  name: "server" role: SERVER address: "10.0.0.1" port: 5684
  dtls {
    ciphers: "PSK-AES128-GCM-SHA256"
    psk { identity_hint: "dtlsim-gateway" key_hex: "000102030405060708090a0b0c0d0e0f" }
  }
}
endpoints {
  name: "client" role: CLIENT address: "10.0.0.2" server: "server"
  dtls {
    ciphers: "PSK-AES128-GCM-SHA256"
    psk { identity: "sensor-17" key_hex: "000102030405060708090a0b0c0d0e0f" }
  }
}
actions { at_ms: 2000 endpoint: "client" send { payload: "ping" count: 3 interval_ms: 1000 } }
)pb";

}  // namespace

simnet::DatagramDecision decisionFromByte(std::uint8_t byte) {
  const unsigned n = byte >> 3;
  simnet::DatagramDecision d;
  simnet::CopyDecision base;
  base.delay_us = 10'000;  // the link's latency_us
  switch (byte & 7) {
    case 1:
      d.dropped = simnet::DropReason::kLoss;
      return d;
    case 2:
      for (unsigned k = 0; k < n % 4 + 2; ++k) {
        simnet::CopyDecision c = base;
        c.delay_us += static_cast<simnet::DurationUs>(k) * (n + 1) * 1000;
        d.copies.push_back(c);
      }
      return d;
    case 3:
      base.delay_us += static_cast<simnet::DurationUs>(n + 1) * 10'000;
      break;
    case 4:
      base.delay_us += static_cast<simnet::DurationUs>(n + 1) * 100'000;
      break;
    case 5:
      base.flipped_bits.push_back(n * 37);
      break;
    case 6:
      base.truncate_to_bytes = n * 8;
      break;
    default:
      break;
  }
  d.copies.push_back(base);
  return d;
}

simnet::DecisionLog decisionsFromBytes(const std::uint8_t* data, std::size_t size) {
  simnet::DecisionLog log;
  for (std::size_t i = 0; i < size; ++i) {
    if ((data[i] & 7) == 0 || (data[i] & 7) == 7) continue;  // a clean delivery: no entry
    log.emplace(i + 1, decisionFromByte(data[i]));
  }
  return log;
}

const scenarios::LoadedScenario& faultScenario() {
  static std::map<std::string, scenarios::LoadedScenario> built;
  auto it = built.find(backend());
  if (it != built.end()) return it->second;
  scenarios::LoadedScenario s;
  std::string error;
  if (!scenarios::parseScenarioText(kScenario, "fuzz_faults", ".", &s, &error) ||
      !scenarios::applyDefaultBackend(&s, backend(), &error))
    fail("the fuzz_faults scenario does not load: " + error);
  for (auto& endpoint : *s.scenario.mutable_endpoints())
    endpoint.mutable_dtls()->set_ciphers(pskCipher());
  // mbedTLS 2.28 cannot send a hint; a server configured with one fails every handshake there.
  if (!dtls::isFeatureSupported(dtls::SupportedFeature::PskIdentityHint, backend()))
    for (auto& endpoint : *s.scenario.mutable_endpoints())
      endpoint.mutable_dtls()->mutable_psk()->clear_identity_hint();
  return built.emplace(backend(), std::move(s)).first->second;
}

}  // namespace dtlsim_fuzz
