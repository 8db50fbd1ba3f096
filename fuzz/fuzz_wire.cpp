// fuzz_wire: the dtls/wire decoder — records, handshake fragments, alerts, labels, ClientHello
// and HelloVerifyRequest bodies. Input: one datagram (not length-prefixed).
#include <string>
#include <string_view>

#include "dtls/wire/client_hello.h"
#include "dtls/wire/describe.h"
#include "dtls/wire/record.h"
#include <cstdio>
#include <cstdlib>

namespace {
// fuzz_wire stands alone (no OpenSSL, no fixture): a broken promise of record.h aborts.
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "dtlsim fuzz oracle failed: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = dtls::wire;
  const std::string_view bytes =
      size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
  // The reusing overloads, as the trace recorder calls them: buffers carry capacity from one
  // input to the next, never content (each call clears what it fills).
  static wire::DecodedDatagram decoded;
  static std::string description;
  static wire::Classification c;
  wire::decodeDatagram(bytes, &decoded);
  if (size == 0 && decoded.ok()) fail("an empty datagram decoded without error");
  wire::describe(decoded, &description);
  wire::classify(decoded, &c);
  if (c.labels.size() < decoded.records.size())
    fail("classify() gave fewer labels than there are records");
  (void)wire::findClientHello(decoded);
  // The raw bytes as bodies too: the body parsers are reachable from other callers.
  (void)wire::parseClientHello(bytes);
  for (const auto& record : decoded.records) {
    if (record.offset + wire::kRecordHeaderBytes + record.length() > size)
      fail("a record reaches past the datagram");
    for (const auto& m : record.handshake_messages) {
      if (m.body.size() != m.fragment_length) fail("body size != fragment_length");
      if (m.isFragmented()) continue;
      if (m.msg_type == 1) (void)wire::parseClientHello(m.body);
      if (m.msg_type == 3) (void)wire::parseHelloVerifyRequest(m.body);
    }
  }
  return 0;
}
