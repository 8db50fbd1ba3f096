#include "fixture.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "dtls/backend.h"
#include "dtls/tls_context_pin.h"
#include "pki.h"

namespace dtlsim_fuzz {

std::vector<std::string_view> splitDatagrams(const std::uint8_t* data, std::size_t size,
                                             std::size_t max) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at + 2 <= size && out.size() < max) {
    const std::size_t length = (std::size_t{data[at]} << 8) | data[at + 1];
    at += 2;
    const std::size_t take = std::min(length, size - at);
    out.emplace_back(reinterpret_cast<const char*>(data) + at, take);
    at += take;
  }
  return out;
}

ByteArray frameDatagrams(const std::vector<ByteArray>& datagrams) {
  ByteArray out;
  for (const auto& d : datagrams) {
    const std::size_t length = std::min<std::size_t>(d.size(), 0xffff);
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(length & 0xff));
    out.append(d, 0, length);
  }
  return out;
}

void fail(const std::string& what) {
  std::fprintf(stderr, "dtlsim fuzz oracle failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

namespace {
bool g_fingerprint_on = false;
std::string g_fingerprint;
}  // namespace

void setFingerprintEnabled(bool on) { g_fingerprint_on = on; }
bool fingerprintEnabled() { return g_fingerprint_on; }
void noteFingerprint(const std::string& what) {
  if (g_fingerprint_on) g_fingerprint += what + "\n";
}

}  // namespace dtlsim_fuzz

// The regression driver (tests/fuzz_regression/main.cpp) reads and clears it after each input.
extern "C" const char* dtlsimFuzzFingerprint(int clear) {
  static std::string last;
  last = dtlsim_fuzz::g_fingerprint;
  if (clear) dtlsim_fuzz::g_fingerprint.clear();
  dtlsim_fuzz::setFingerprintEnabled(true);
  return last.c_str();
}

namespace dtlsim_fuzz {

namespace {

std::string& selectedBackend() {
  static std::string name = dtls::availableBackends().front();
  return name;
}

}  // namespace

void selectBackend(const std::string& name) {
  if (!dtls::isClassImplemented(dtls::ImplementedClass::Dtls, name))
    fail("no DTLS backend is named '" + name + "'");
  selectedBackend() = name;
}

const std::string& backend() { return selectedBackend(); }

ContextScope::ContextScope(scenarios::SeededLibraryContext* context)
    : library_(context->get()), random_(context->randomSource()) {}

namespace {

// The backends warmed up (and, on OpenSSL, whose contexts are pinned) in this process.
std::set<std::string> g_warm;

// The shared SSL_CTX of every configuration, mode and seeded context the harnesses use, built
// once (the cache holds contexts only while someone uses them; these pins do, for the process).
void pinContexts(scenarios::SeededLibraryContext* client, scenarios::SeededLibraryContext* server,
                 scenarios::SeededLibraryContext* verifier) {
  static std::vector<dtls::TlsContextPin> pins;
  auto pin = [](dtls::TlsContextPin p) {
    if (p.isNull()) fail("a fuzz configuration does not build: " + p.errorString());
    pins.push_back(std::move(p));
  };
  for (Kind kind : {Kind::kCertificate, Kind::kPsk}) {
    {
      dtls::LibraryContextScope scope(client->get());
      pin(dtls::TlsContextPin(clientConfig(kind), dtls::SslMode::SslClientMode));
    }
    dtls::LibraryContextScope scope(server->get());
    for (bool cookies : {false, true})
      pin(dtls::TlsContextPin(serverConfig(kind, cookies), dtls::SslMode::SslServerMode));
  }
  for (auto* context : {server, verifier}) {  // fuzz_server_hello verifies in the server's
    dtls::LibraryContextScope scope(context->get());
    pin(dtls::TlsContextPin::clientVerifierContext());
  }
}

// One throwaway handshake of each kind, so whatever the stack initialises lazily on first use
// (OpenSSL's algorithm fetches, EC tables and X.509 caches, GnuTLS's global state) is
// initialised before the first real input and the first input behaves like every later one
// (a crash input reproduces in a fresh process).
void warmUp() {
  g_warm.insert(backend());
  const bool fingerprint = fingerprintEnabled();
  setFingerprintEnabled(false);  // not part of the first input's behaviour
  for (Kind kind : {Kind::kCertificate, Kind::kPsk}) {
    Pair pair(kind, /*cookies=*/true);
    if (!pair.handshake()) fail("the warm-up handshake did not complete");
  }
  setFingerprintEnabled(fingerprint);
}

scenarios::SeededLibraryContext* rewoundContext(std::uint64_t seed) {
  // Never destroyed: at exit, OpenSSL's own cleanup may already have run (it registers itself
  // when first used, after this map), and freeing a library context after it is not supported.
  static auto& contexts =
      *new std::map<std::uint64_t, std::unique_ptr<scenarios::SeededLibraryContext>>;
  for (std::uint64_t s : {kClientSeed, kServerSeed, kServerSeed + 1}) {
    if (contexts.count(s)) continue;
    std::string error;
    auto context = scenarios::SeededLibraryContext::create(s, &error);
    if (!context) fail(error);  // a fuzzer without deterministic randomness is meaningless
    contexts.emplace(s, std::move(context));
  }
  if (!g_warm.count(backend())) {
    // The SSL_CTX cache is OpenSSL's alone; the other backends share nothing between
    // connections (dtls/src/mbedtls/mbed_context.h, dtls/src/gnutls/gnutls_context.h).
    if (backend() == "openssl")
      pinContexts(contexts[kClientSeed].get(), contexts[kServerSeed].get(),
                  contexts[kServerSeed + 1].get());
    warmUp();
  }
  const auto it = contexts.find(seed);
  if (it == contexts.end()) fail("no fuzz context for seed " + std::to_string(seed));
  it->second->rewind();
  return it->second.get();
}

const ByteArray kPskKey("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16);

}  // namespace

const char* pskCipher() {
  return backend() == "wolfssl" ? "PSK-CHACHA20-POLY1305" : "PSK-AES128-GCM-SHA256";
}

SeededScope::SeededScope(std::uint64_t seed)
    : context_(rewoundContext(seed)), scope_(context_) {}

namespace {

dtls::Configuration makeServerConfig(Kind kind, bool cookies, bool hint) {
  dtls::Configuration c = dtls::Configuration::defaultDtlsConfiguration();
  // No system CA store: a server does not ask for client certificates here, and loading ~150
  // roots into every SSL_CTX would dominate the cost of an input.
  c.setCaCertificates({});
  c.setDtlsCookieVerificationEnabled(cookies);
  if (kind == Kind::kPsk) {
    if (!c.setCiphers(pskCipher())) fail("setCiphers");
    if (hint) c.setPreSharedKeyIdentityHint("dtlsim-gateway");
    // The cheap kind issues no session ticket (the certificate kind does, so the handshake
    // harnesses still reach NewSessionTicket): fuzz_decrypt rebuilds ends by replaying this
    // handshake, and the ticket (key derivation, encryption, the client's copy of the session)
    // was about a quarter of a replay's instructions.
    c.setSslOption(dtls::SslOption::SslOptionDisableSessionTickets, true);
  } else {
    // Loaded once per process: parsing PEM is not what is fuzzed.
    static const auto chain = dtls::Certificate::fromData(kServerChainPem);
    static const dtls::Key key(kServerKeyPem, dtls::KeyAlgorithm::Ec);
    if (chain.empty() || key.isNull()) fail("the compiled-in test PKI does not load");
    c.setLocalCertificateChain(chain);
    c.setPrivateKey(key);
  }
  return c;
}

dtls::Configuration makeClientConfig(Kind kind) {
  dtls::Configuration c = dtls::Configuration::defaultDtlsConfiguration();
  if (kind == Kind::kPsk) {
    c.setCaCertificates({});
    if (!c.setCiphers(pskCipher())) fail("setCiphers");
    c.setSslOption(dtls::SslOption::SslOptionDisableSessionTickets, true);  // as the server
  } else {
    static const dtls::Certificate ca(kCaPem);
    if (ca.isNull()) fail("the compiled-in test CA does not load");
    c.setCaCertificates({ca});
    c.setPeerVerifyMode(dtls::PeerVerifyMode::VerifyPeer);
  }
  return c;
}

}  // namespace

namespace {

struct Configurations {
  dtls::Configuration server[2][2];  // [kind == kPsk][cookies]
  dtls::Configuration client[2];     // [kind == kPsk]
};

// Built once per backend: Configuration is a shared value type, and building one (default
// ciphers, system CA list) costs more than a short input.
const Configurations& configurations() {
  static std::map<std::string, Configurations> built;
  auto it = built.find(backend());
  if (it != built.end()) return it->second;
  // mbedTLS 2.28 cannot send a hint; a configuration naming one fails its handshake there.
  const bool hint = dtls::isFeatureSupported(dtls::SupportedFeature::PskIdentityHint, backend());
  Configurations c;
  for (Kind kind : {Kind::kCertificate, Kind::kPsk}) {
    for (bool cookies : {false, true})
      c.server[kind == Kind::kPsk][cookies] = makeServerConfig(kind, cookies, hint);
    c.client[kind == Kind::kPsk] = makeClientConfig(kind);
  }
  return built.emplace(backend(), std::move(c)).first->second;
}

}  // namespace

dtls::Configuration serverConfig(Kind kind, bool cookies) {
  return configurations().server[kind == Kind::kPsk][cookies];
}

dtls::Configuration clientConfig(Kind kind) { return configurations().client[kind == Kind::kPsk]; }

dtls::GeneratorParameters cookieParameters() {
  return {dtls::DigestAlgorithm::Sha256, ByteArray("dtlsim-fuzz-cookie-secret")};
}

namespace {
dtls::Connection connectionIn(scenarios::SeededLibraryContext* seeded, dtls::SslMode mode,
                              dtls::test::ManualClock* clock) {
  const ContextScope scope(seeded);
  return dtls::Connection(mode, clock, backend());
}
}  // namespace

Side::Side(bool server, Kind kind, bool cookies, dtls::test::ManualClock* clock)
    : seeded(rewoundContext(server ? kServerSeed : kClientSeed)),
      connection(connectionIn(seeded,
                              server ? dtls::SslMode::SslServerMode : dtls::SslMode::SslClientMode,
                              clock)) {
  connection.setDtlsConfiguration(server ? serverConfig(kind, cookies) : clientConfig(kind));
  if (server) {
    connection.setPeer(dtls::HostAddress("127.0.0.1"), kClientPort);
    connection.setCookieGeneratorParameters(cookieParameters());
  } else {
    connection.setPeer(dtls::HostAddress("127.0.0.1"), kServerPort, "server.dtlsim.test");
  }
  connection.setPskRequiredCallback([server](dtls::PreSharedKeyAuthenticator* auth) {
    if (!server) auth->setIdentity("sensor-17");
    auth->setPreSharedKey(kPskKey);
  });
  connection.setHandshakeTimeoutCallback([this] { connection.handleTimeout(&socket); });
}

ByteArray Side::deliver(const ByteArray& datagram) {
  ByteArray plain;
  if (connection.isConnectionEncrypted()) {
    plain = connection.decryptDatagram(&socket, datagram);
  } else if (connection.handshakeState() == dtls::Connection::HandshakeInProgress ||
             connection.sslMode() == dtls::SslMode::SslServerMode) {
    // A server starts from a ClientHello (HandshakeNotStarted), later flights continue it.
    connection.doHandshake(&socket, datagram);
    // Records that overtook the peer's Finished come out at completion, one per record; the
    // oracles and the fingerprint see them as one concatenated payload.
    if (connection.isConnectionEncrypted())
      for (const auto& early : connection.takePendingDatagrams()) plain += early;
  }
  if (fingerprintEnabled())
    noteFingerprint(std::string(connection.sslMode() == dtls::SslMode::SslServerMode ? "S" : "C") +
                    " state=" + std::to_string(connection.handshakeState()) +
                    " error=" + std::to_string(static_cast<int>(connection.dtlsError())) +
                    " plain=" + plain);
  return plain;
}

std::vector<ByteArray> Side::replay(const std::vector<ByteArray>& received) {
  std::vector<ByteArray> sent;
  if (connection.sslMode() == dtls::SslMode::SslClientMode && !connection.doHandshake(&socket))
    fail("a replayed client does not start: " + connection.dtlsErrorString());
  for (const auto& datagram : received) {
    for (auto& d : socket.take()) sent.push_back(std::move(d));
    deliver(datagram);
  }
  for (auto& d : socket.take()) sent.push_back(std::move(d));
  if (!connection.isConnectionEncrypted())
    fail("a replayed handshake does not end encrypted: " + connection.dtlsErrorString());
  return sent;
}

Pair::Pair(Kind kind, bool cookies_on)
    : client(false, kind, false, &clock),
      server(true, kind, cookies_on, &clock),
      verifier_seeded(kServerSeed + 1),
      verifier(backend()),
      cookies(cookies_on) {
  verifier.setCookieGeneratorParameters(cookieParameters());
}

void Pair::deliverToServer(const ByteArray& datagram) {
  if (cookies && server.connection.handshakeState() == dtls::Connection::HandshakeNotStarted) {
    if (verifier.verifyClient(&server.socket, datagram, dtls::HostAddress("127.0.0.1"),
                              kClientPort))
      server.connection.doHandshake(&server.socket, verifier.verifiedHello());
    return;
  }
  server.deliver(datagram);
}

bool Pair::startServer(Transcript* log) {
  if (client.connection.handshakeState() == dtls::Connection::HandshakeNotStarted &&
      !client.connection.doHandshake(&client.socket))
    return false;
  // ClientHello -> (HelloVerifyRequest -> ClientHello with cookie) -> server started.
  for (int round = 0; round < 2; ++round) {
    for (const auto& d : client.socket.take()) {
      if (log) log->to_server.push_back(d);
      deliverToServer(d);
    }
    if (server.connection.handshakeState() != dtls::Connection::HandshakeNotStarted) return true;
    for (const auto& d : server.socket.take()) {
      if (log) log->to_client.push_back(d);
      client.deliver(d);
    }
  }
  return false;
}

void Pair::pump(std::vector<ByteArray>* to_server_log, std::vector<ByteArray>* to_client_log) {
  for (int round = 0; round < 32; ++round) {
    auto to_server = client.socket.take();
    auto to_client = server.socket.take();
    if (to_server.empty() && to_client.empty()) return;
    for (const auto& d : to_server) {
      if (to_server_log) to_server_log->push_back(d);
      deliverToServer(d);
    }
    for (const auto& d : to_client) {
      if (to_client_log) to_client_log->push_back(d);
      client.deliver(d);
    }
  }
}

bool Pair::handshake(Transcript* log) {
  if (!startServer(log)) return false;
  if (log)
    pump(&log->to_server, &log->to_client);
  else
    pump();
  return bothEncrypted();
}

}  // namespace dtlsim_fuzz
