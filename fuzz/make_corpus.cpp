// make_corpus: writes the seed corpora of the harnesses from simulated handshakes in the same
// sandboxes the harnesses use (fixture.h), on every backend, so recorded flights continue the
// harness's handshake on its backend: fuzz/corpus/<harness>/ on the default backend (and for the
// backend-free harnesses), fuzz/corpus/<harness>_<backend>/ on the others (the executables'
// names, fuzz/fuzz_targets.cmake).
//   make_corpus <fuzz/corpus directory>
//   make_corpus --list-backends      # dtls::availableBackends(), for a test against CMake's list
// Files are named after what they hold; rerunning rewrites them with the same bytes.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dtls/backend.h"
#include "fixture.h"
#include "fixture_faults.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_file.h"
#include "scenarios/trace_io.h"

namespace {

using namespace dtlsim_fuzz;
namespace fs = std::filesystem;

fs::path g_root;
int g_files = 0;
// "" on the default backend, else "_<backend>".
std::string g_suffix;

// The corpus folder of a harness on the current backend.
std::string on(const std::string& harness) { return harness + g_suffix; }

void put(const std::string& folder, const std::string& name, const ByteArray& bytes) {
  const fs::path dir = g_root / folder;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) fail("cannot write " + (dir / name).string());
  ++g_files;
}

const char* kindName(Kind kind) { return kind == Kind::kPsk ? "psk" : "cert"; }
ByteArray kindByte(Kind kind) { return ByteArray(1, kind == Kind::kPsk ? '\x01' : '\x00'); }

// The server's view: ClientHellos (first and with cookie), and the client's later flights.
void handshakeCorpora(Kind kind) {
  Pair pair(kind, /*cookies=*/true);
  if (!pair.client.connection.doHandshake(&pair.client.socket)) fail("client start");
  const auto first = pair.client.socket.sent().front().data;
  put(on("server_hello"), std::string("client_hello_") + kindName(kind), first);
  // fuzz_wire's corpus is one for all backends: each adds its ClientHellos, the default one its
  // whole handshake too.
  put("wire", std::string("client_hello_") + kindName(kind) + g_suffix, first);
  if (!pair.startServer()) fail("cookie exchange");
  std::vector<ByteArray> to_server;
  std::vector<ByteArray> to_client;
  pair.pump(&to_server, &to_client);
  if (!pair.bothEncrypted()) fail(std::string("handshake ") + kindName(kind));
  put(on("server_handshake"), std::string("client_flights_") + kindName(kind),
      kindByte(kind) + frameDatagrams(to_server));
  if (!g_suffix.empty()) return;
  for (std::size_t i = 0; i < to_client.size(); ++i)
    put("wire", std::string("server_flight_") + kindName(kind) + "_" + std::to_string(i),
        to_client[i]);
  for (std::size_t i = 0; i < to_server.size(); ++i)
    put("wire", std::string("client_flight_") + kindName(kind) + "_" + std::to_string(i),
        to_server[i]);
}

// The verified ClientHello (with its cookie) and the server's flights as the client sees them.
void clientCorpora(Kind kind) {
  Pair pair(kind, /*cookies=*/true);
  if (!pair.client.connection.doHandshake(&pair.client.socket)) fail("client start");
  std::vector<ByteArray> to_server;
  std::vector<ByteArray> to_client;
  pair.pump(&to_server, &to_client);
  if (!pair.bothEncrypted()) fail(std::string("handshake ") + kindName(kind));
  if (to_server.size() >= 2)
    put(on("server_hello"), std::string("client_hello_cookie_") + kindName(kind), to_server[1]);
  put(on("client_handshake"), std::string("server_flights_") + kindName(kind),
      kindByte(kind) + frameDatagrams(to_client));
  if (!to_client.empty())
    put(on("client_handshake"), std::string("hello_verify_request_") + kindName(kind),
        kindByte(kind) + frameDatagrams({to_client.front()}));
}

// fuzz_decrypt's items: genuine records are asked for (the harness makes them), raw datagrams
// carry epoch-1 sequence numbers relative to the receiver's highest accepted record.
void decryptCorpus() {
  Pair pair(Kind::kPsk, /*cookies=*/false);
  if (!pair.handshake()) fail("PSK handshake");
  auto item = [](char what, const ByteArray& d) { return ByteArray(1, what) + d; };
  // A record's sequence number: bytes 5..10 of its header.
  auto numbered = [](ByteArray record, std::uint64_t seq) {
    for (int b = 0; b < 6; ++b) record[5 + b] = static_cast<char>(seq >> (8 * (5 - b)));
    return record;
  };
  pair.client.connection.writeDatagramEncrypted(&pair.client.socket, "hello");
  const ByteArray to_server = pair.client.socket.take().at(0);
  put(on("decrypt"), "appdata_both_ways",
      frameDatagrams({item('\x02', "hello"), item('\x03', "hi")}));
  put(on("decrypt"), "replayed_appdata",
      frameDatagrams({item('\x02', "hello"), item('\0', numbered(to_server, 0))}));
  ByteArray flipped = numbered(to_server, 1);
  flipped.back() = static_cast<char>(flipped.back() ^ 1);
  put(on("decrypt"), "bad_mac", frameDatagrams({item('\0', flipped)}));
  put(on("decrypt"), "forged_then_genuine",
      frameDatagrams({item('\1', numbered(to_server, 2)), item('\x03', "after")}));
  put(on("decrypt"), "genuine_then_replay_in_one_datagram",
      frameDatagrams({item('\x05', numbered(to_server, 1))}));
  if (!g_suffix.empty()) return;
  put("wire", "appdata", to_server);
  pair.client.connection.shutdown(&pair.client.socket);
  put("wire", "encrypted_alert", pair.client.socket.take().at(0));
}

// Catalog scenarios that exist (the catalog changes; missing names are skipped) and the trace
// of fuzz_faults' in-code scenario.
void scenarioCorpus() {
  for (const char* name : {"lossless", "mtu-fragmentation", "reorder-and-duplicate", "alpn"}) {
    const fs::path path = fs::path(DTLSIM_CATALOG_DIR) / (std::string(name) + ".textproto");
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!text.empty()) put("scenario", std::string(name) + ".textproto", text);
  }
  dtlsim::Trace trace;
  std::string error;
  if (!scenarios::runScenario(faultScenario(), {}, &trace, &error)) fail(error);
  std::string bytes;
  if (!scenarios::serializeTrace(trace, &bytes, &error)) fail(error);
  put("scenario", "fuzz-faults.trace", bytes);
}

// Decisions, not datagrams: the same bytes serve every backend.
void faultsCorpus() {
  put(on("faults"), "clean", ByteArray(24, '\0'));
  put(on("faults"), "drop_first_flights", ByteArray("\x01\x01\x00\x01\x00\x00", 6));
  put(on("faults"), "duplicate_all", ByteArray(24, '\x0a'));
  put(on("faults"), "reorder_and_corrupt", ByteArray("\x04\x00\x2d\x04\x15\x00\x0c\x1e", 8));
  put(on("faults"), "truncate_and_delay", ByteArray("\x06\x0b\x1e\x33\x00\x16", 6));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fuzz/corpus directory> | --list-backends\n", argv[0]);
    return 2;
  }
  const std::vector<std::string> backends = dtls::availableBackends();
  if (std::string(argv[1]) == "--list-backends") {
    for (std::size_t i = 0; i < backends.size(); ++i)
      std::printf("%s%s", i ? " " : "", backends[i].c_str());
    std::printf("\n");
    return 0;
  }
  g_root = argv[1];
  for (const auto& name : backends) {
    selectBackend(name);
    g_suffix = name == backends.front() ? "" : "_" + name;
    for (Kind kind : {Kind::kCertificate, Kind::kPsk}) {
      handshakeCorpora(kind);
      clientCorpora(kind);
    }
    decryptCorpus();
    faultsCorpus();
  }
  selectBackend(backends.front());
  g_suffix.clear();
  scenarioCorpus();
  std::printf("make_corpus: wrote %d files under %s\n", g_files, g_root.c_str());
  return 0;
}
