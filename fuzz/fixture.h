// fuzz/fixture.h — the shared fixture of the libFuzzer harnesses (issue 6).
//
// Backends: every Connection and ClientVerifier of the fixture is on one DTLS backend
// (dtls/backend.h), which the harness executable selects before its first input
// (backend_select.cpp; fuzz_server_hello_mbedtls runs on mbedTLS). Each backend draws its
// randomness from the same seeded streams: OpenSSL from the library context, mbedTLS and GnuTLS
// through the context's RandomSource (as a simulated World does), and reads the same manual clock.
//
// Determinism: every input starts from the same state — seeded contexts whose randomness is a
// stream rewound to its start for each input (scenarios::SeededLibraryContext,
// one per side for the whole process, warmed up by a throwaway handshake on the backend before
// the first input so lazily initialised state of the stack — OpenSSL's fetches and caches,
// GnuTLS's global init — is the same for the first input and every later one), a
// fresh manual clock that is also the wall clock the stacks read (dtls_clock_interpose: libssl's
// and mbedTLS's time(), GnuTLS's timers through the connection's TimerService), fresh
// connections. So a crash reproduces from its input alone,
// and a datagram recorded by make_corpus in the same sandbox (same seeds, same calls in the same
// order) is byte-identical to what the harness produces: recorded flights continue a handshake.
//
// On OpenSSL the SSL_CTXs are shared (dtls/tls_context_pin.h): the fixture pins one per configuration, mode
// and seeded context during the warm-up, before the first input, so no input builds one and
// every input finds the same, unchanging contexts (a context holds settings only; what a
// handshake changes lives in the SSL).
//
// Client and server draw from two different seeded contexts, so the client's bytes do not
// depend on whether the server runs in the same process (fuzz_client_handshake has no server,
// make_corpus has one).
//
// Multi-datagram inputs are length-prefixed: repeated [2-byte big-endian length][bytes]; a
// length running past the end takes what remains. See fuzz/README.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/certificate.h"
#include "dtls/client_verifier.h"
#include "dtls/configuration.h"
#include "dtls/connection.h"
#include "dtls/key.h"
#include "dtls/openssl_context.h"
#include "dtls/random_source.h"
#include "scenarios/sim_rand.h"
#include "support/manual_clock.h"
#include "support/recording_socket.h"

namespace dtlsim_fuzz {

using dtls::ByteArray;

// Bounds (libFuzzer's -max_len in the .options files keeps inputs near these anyway).
inline constexpr std::size_t kMaxDatagrams = 16;
inline constexpr std::uint64_t kClientSeed = 0xC11E;
inline constexpr std::uint64_t kServerSeed = 0x5E4E;
inline constexpr std::uint16_t kClientPort = 50000;
inline constexpr std::uint16_t kServerPort = 4433;

// The length-prefixed format: at most `max` datagrams (the rest of the input is ignored), as
// views of the input.
std::vector<std::string_view> splitDatagrams(const std::uint8_t* data, std::size_t size,
                                             std::size_t max = kMaxDatagrams);
ByteArray frameDatagrams(const std::vector<ByteArray>& datagrams);

// The outcome of every delivery of the current input (side, state, error code, plaintext), when
// the regression driver asked for it: it runs each input twice, in two orders, and compares, so
// a harness that keeps state across inputs (fuzz_decrypt) is checked to give every input the
// same behaviour whatever ran before it. Costs nothing while disabled (libFuzzer runs).
void setFingerprintEnabled(bool on);
void noteFingerprint(const std::string& what);
bool fingerprintEnabled();

// abort()s with `what` on stderr: the oracle's way to make libFuzzer report a finding.
[[noreturn]] void fail(const std::string& what);

// The backend the fixture builds its objects on: dtls::availableBackends()'s first until
// selectBackend() names another (fails for a name dtls does not implement). A harness selects
// its own once, before its first input; make_corpus switches between inputs' worth of work.
void selectBackend(const std::string& name);
const std::string& backend();

// Makes a seeded context current while it lives, for every backend: its OpenSSL library
// context and its stream as the thread's dtls::RandomSource (which mbedTLS and GnuTLS objects
// keep from their construction on).
class ContextScope {
 public:
  explicit ContextScope(scenarios::SeededLibraryContext* context);

 private:
  dtls::LibraryContextScope library_;
  dtls::RandomSourceScope random_;
};

// The process-wide context of `seed`, rewound, made current for the object's lifetime.
class SeededScope {
 public:
  explicit SeededScope(std::uint64_t seed);

 private:
  scenarios::SeededLibraryContext* context_;
  ContextScope scope_;
};

// The configurations the harnesses use, for the selected backend. Kind::kCertificate:
// ECDHE-ECDSA with the test PKI (the client verifies server.dtlsim.test); Kind::kPsk:
// PSK-AES128-GCM-SHA256 (cheap: no public-key operation, no session ticket), with an identity
// hint where the backend can send one.
enum class Kind { kCertificate, kPsk };
// kPsk's suite on the selected backend: PSK-AES128-GCM-SHA256, or PSK-CHACHA20-POLY1305 on
// wolfSSL (Debian's 5.5.4 has no AES PSK suite: no WOLFSSL_STATIC_PSK).
const char* pskCipher();
dtls::Configuration serverConfig(Kind kind, bool cookies);
dtls::Configuration clientConfig(Kind kind);
inline Kind kindFromByte(std::uint8_t b) { return (b & 1) ? Kind::kPsk : Kind::kCertificate; }

// The cookie parameters every verifier and server of the harnesses share (a fixed secret, so a
// recorded ClientHello with a cookie verifies in the harness too).
dtls::GeneratorParameters cookieParameters();

// One endpoint: its own seeded context, a connection and the socket it writes to.
struct Side {
  Side(bool server, Kind kind, bool cookies, dtls::test::ManualClock* clock);
  // The side's seeded context, rewound when the side was built. It is current only while the
  // connection is constructed (which keeps it), so sides may be built and destroyed in any order.
  scenarios::SeededLibraryContext* seeded;
  dtls::test::RecordingSocket socket;
  dtls::Connection connection;
  // The datagram (handshake or encrypted) goes to doHandshake or decryptDatagram depending on
  // the state; returns the plaintext, if any.
  ByteArray deliver(const ByteArray& datagram);
  // This side's end of a handshake without its peer: a client starts it, then each side takes
  // `received`, what it received in a recorded handshake (Pair::handshake's log), in order.
  // Randomness is rewound and time stands still, so the side sends what it sent then and ends in
  // the same state. Handshakes without cookies only (the verifier is not replayed). Returns
  // what the side sent; fails the input if the side does not end encrypted.
  std::vector<ByteArray> replay(const std::vector<ByteArray>& received);
};

// What each side of a Pair received during a handshake, in order (see Side::replay).
struct Transcript {
  std::vector<ByteArray> to_server;
  std::vector<ByteArray> to_client;
};

// A real client and a real server (with a ClientVerifier when `cookies`), carried by hand.
struct Pair {
  Pair(Kind kind, bool cookies);
  dtls::test::ManualClock clock;
  Side client;
  Side server;
  SeededScope verifier_seeded;
  dtls::ClientVerifier verifier;
  bool cookies;

  // Starts the client (ClientHello) if needed and runs the cookie exchange until the server
  // got a verified ClientHello (or, without cookies, the first ClientHello). Returns false if
  // the exchange did not get there.
  bool startServer(Transcript* log = nullptr);
  // Carries datagrams both ways until none is left (bounded). `to_server_log`/`to_client_log`
  // receive copies of what was carried, when not null.
  void pump(std::vector<ByteArray>* to_server_log = nullptr,
            std::vector<ByteArray>* to_client_log = nullptr);
  // startServer() + pump(): true when both sides are encrypted. `log`, when not null, receives
  // what each side received.
  bool handshake(Transcript* log = nullptr);
  bool bothEncrypted() const {
    return client.connection.isConnectionEncrypted() && server.connection.isConnectionEncrypted();
  }
  void deliverToServer(const ByteArray& datagram);
};

}  // namespace dtlsim_fuzz
