#include "endpoint.h"

namespace scenarios::detail {

namespace {

constexpr std::uint32_t kDefaultNoiseMaxSizeBytes = 200;

}  // namespace

NoiseEndpoint::NoiseEndpoint(WorldContext& ctx, const dtlsim::Endpoint& spec,
                             dtls::HostAddress server_address, std::uint16_t server_port,
                             std::uint64_t seed)
    : Endpoint(ctx, spec, dtls::Configuration()),
      server_address_(std::move(server_address)),
      server_port_(server_port),
      // Its own named stream: adding a noise sender shifts no other draw of the world.
      prng_(simnet::Prng::forStream(seed, "noise:" + spec.name())) {}

void NoiseEndpoint::start() {
  note(dtlsim::TraceEvent::ACTION, "start noise: " + std::to_string(spec_.noise().count()) +
                                       " datagrams");
  const std::uint32_t count = spec_.noise().count();
  const auto interval_us = static_cast<simnet::DurationUs>(spec_.noise().interval_ms()) * 1000;
  for (std::uint32_t i = 0; i < count; ++i)
    ctx_.net.scheduleTimer(interval_us * i, [this, i] { sendOne(i); },
                           timerOwner(index_, TimerKind::kNoise));
}

// Cycles through three shapes so both the verifier (epoch 0, "handshake") and the demultiplexed
// connections (epoch 1, from an address that has none) see forged input.
void NoiseEndpoint::sendOne(std::uint32_t index) {
  const std::uint32_t max_size =
      spec_.noise().max_size_bytes() == 0 ? kDefaultNoiseMaxSizeBytes : spec_.noise().max_size_bytes();
  const auto size = static_cast<std::size_t>(1 + prng_.below(max_size));
  dtls::ByteArray bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(prng_.next() & 0xff);
  const std::uint32_t shape = index % 3;
  if (shape != 0 && size >= 13) {
    const std::size_t body = size - 13;
    bytes[0] = static_cast<char>(shape == 1 ? 22 : 23);  // handshake, application data
    bytes[1] = static_cast<char>(0xfe);                    // DTLS 1.2
    bytes[2] = static_cast<char>(0xfd);
    bytes[3] = 0;
    bytes[4] = static_cast<char>(shape == 1 ? 0 : 1);  // epoch
    bytes[11] = static_cast<char>((body >> 8) & 0xff);
    bytes[12] = static_cast<char>(body & 0xff);
    if (shape == 1 && body > 0) bytes[13] = 1;  // "client_hello"
  }
  if (socket_->writeDatagram(bytes, server_address_, server_port_) > 0) ++sent_;
}

void NoiseEndpoint::fillOutcome(dtlsim::EndpointOutcome* out) const {
  out->set_name(name());
  out->set_final_state("HandshakeNotStarted");
}

}  // namespace scenarios::detail
