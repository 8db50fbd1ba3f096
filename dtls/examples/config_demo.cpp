// dtls-config-demo: prints what this build of OpenSSL gives a DTLS configuration, and checks
// that a certificate directory (default: the test PKI) loads and verifies.
//
// Usage: dtls-config-demo [CERT_DIR]
#include <cstdio>
#include <ctime>
#include <string>

#include "dtls/configuration.h"
#include "dtls/ssl_error.h"

namespace {

std::string isoDate(std::chrono::sys_seconds t) {
  const std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

int fail(const std::string& why) {
  std::fprintf(stderr, "dtls-config-demo: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) return fail("usage: dtls-config-demo [CERT_DIR]");
  const std::string dir = argc == 2 ? argv[1] : "tests/data/certs";

  const dtls::Configuration config = dtls::Configuration::defaultDtlsConfiguration();
  std::printf("default DTLS configuration\n");
  std::printf("  protocol            %s\n", dtls::toString(config.protocol()));
  std::printf("  cookie verification %s\n", config.dtlsCookieVerificationEnabled() ? "on" : "off");
  std::printf("  peer verify mode    %s\n", dtls::toString(config.peerVerifyMode()));
  std::printf("  system CAs          %zu\n", config.caCertificates().size());
  std::printf("  ciphers             %zu of %zu supported\n", config.ciphers().size(),
              dtls::Configuration::supportedCiphers().size());
  constexpr size_t kShown = 8;
  const auto ciphers = config.ciphers();  // a copy: ciphers() returns by value
  for (size_t i = 0; i < ciphers.size() && i < kShown; ++i) {
    const auto& cipher = ciphers[i];
    std::printf("    %-40s %-6s Kx=%-6s Au=%-6s %d bits\n", cipher.name().c_str(),
                cipher.protocolString().c_str(), cipher.keyExchangeMethod().c_str(),
                cipher.authenticationMethod().c_str(), cipher.usedBits());
  }
  if (ciphers.size() > kShown) std::printf("    ... %zu more\n", ciphers.size() - kShown);
  std::printf("  elliptic curves     ");
  for (const auto& curve : dtls::Configuration::supportedEllipticCurves())
    std::printf("%s ", curve.shortName().c_str());
  std::printf("\n");

  const auto chain = dtls::Certificate::fromPath(dir + "/server-chain.pem");
  const auto roots = dtls::Certificate::fromPath(dir + "/ca.pem");
  if (chain.empty() || roots.empty())
    return fail("no certificates in " + dir + " (server-chain.pem, ca.pem)");
  std::printf("\ncertificates in %s\n", dir.c_str());
  std::printf("  server   %s, issued by %s, expires %s\n",
              chain.front().subjectDisplayName().c_str(),
              chain.front().issuerDisplayName().c_str(),
              isoDate(chain.front().expiryDate()).c_str());
  dtls::Configuration custom = config;
  custom.setCaCertificates(roots);
  custom.setLocalCertificateChain(chain);
  std::string error;
  if (!custom.setCiphers("ECDHE-ECDSA-AES128-GCM-SHA256:NO-SUCH-CIPHER", &error))
    std::printf("  refused  %s\n", error.c_str());
  std::printf("  chain    %zu certificates, leaf %s\n", custom.localCertificateChain().size(),
              custom.localCertificate().subjectDisplayName().c_str());
  return 0;
}
