// fuzz_wire: the dtls/wire decoder — records, handshake fragments, alerts, labels, ClientHello
// and HelloVerifyRequest bodies. Input: one datagram (not length-prefixed).
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
  const wire::DecodedDatagram decoded = wire::decodeDatagram(data, size);
  if (size == 0 && decoded.ok()) fail("an empty datagram decoded without error");
  (void)wire::describe(decoded);
  const wire::Classification c = wire::classify(decoded);
  const wire::Classification again =
      wire::classify(std::string_view(reinterpret_cast<const char*>(data), size));
  if (c.label != again.label || c.epoch != again.epoch || c.labels != again.labels)
    fail("classify(decoded) and classify(bytes) disagree");
  (void)wire::findClientHello(decoded);
  // The raw bytes as bodies too: the body parsers are reachable from other callers.
  (void)wire::parseClientHello(std::string_view(reinterpret_cast<const char*>(data), size));
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
