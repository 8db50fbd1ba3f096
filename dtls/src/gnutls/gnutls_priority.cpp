#include "gnutls_priority.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "supported.h"

namespace dtls::detail {

namespace {

struct SuiteParts {
  gnutls_kx_algorithm_t kx;
  gnutls_cipher_algorithm_t cipher;
  gnutls_mac_algorithm_t mac;
};

// GnuTLS's table entry for IANA suite `id`, if it has one usable below TLS 1.3.
bool suiteParts(std::uint16_t id, SuiteParts* parts) {
  unsigned char cs[2];
  gnutls_kx_algorithm_t kx;
  gnutls_cipher_algorithm_t cipher;
  gnutls_mac_algorithm_t mac;
  gnutls_protocol_t min_version;
  for (std::size_t i = 0;
       gnutls_cipher_suite_info(i, cs, &kx, &cipher, &mac, &min_version) != nullptr; ++i) {
    if (((cs[0] << 8) | cs[1]) != id) continue;
    if (min_version == GNUTLS_TLS1_3) return false;  // DTLS 1.3 is not in 3.7
    *parts = {kx, cipher, mac};
    return true;
  }
  return false;
}

struct CurveName {
  std::string_view openssl;
  const char* gnutls;
};

constexpr std::array<CurveName, 5> kCurves{{
    {"prime256v1", "GROUP-SECP256R1"},
    {"secp384r1", "GROUP-SECP384R1"},
    {"secp521r1", "GROUP-SECP521R1"},
    {"X25519", "GROUP-X25519"},
    {"X448", "GROUP-X448"},
}};

void addOnce(std::vector<std::string>* tokens, const std::string& token) {
  if (std::find(tokens->begin(), tokens->end(), token) == tokens->end()) tokens->push_back(token);
}

bool versions(SslProtocol protocol, std::string* text, std::string* error) {
  switch (protocol) {
    case SslProtocol::DtlsV1_0: *text = ":+VERS-DTLS1.0"; return true;
    case SslProtocol::DtlsV1_0OrLater: *text = ":+VERS-DTLS1.2:+VERS-DTLS1.0"; return true;
    case SslProtocol::DtlsV1_2:
    case SslProtocol::DtlsV1_2OrLater: *text = ":+VERS-DTLS1.2"; return true;
    default:
      *error = std::string("protocol ") + toString(protocol) + " is not a DTLS protocol";
      return false;
  }
}

}  // namespace

bool gnutlsPriority(const Configuration& config, bool server, GnutlsPriority* out,
                    std::string* error) {
  std::string text = "NONE";
  std::string version_tokens;
  if (!versions(config.protocol(), &version_tokens, error)) return false;
  text += version_tokens;

  std::vector<std::string> kxs, ciphers, macs;
  out->suites.clear();
  for (const Cipher& cipher : config.ciphers()) {
    const std::uint16_t id = dtlsCipherSuiteId(cipher);
    SuiteParts parts{};
    if (id == 0 || !suiteParts(id, &parts)) continue;
    out->suites.push_back(id);
    addOnce(&kxs, gnutls_kx_get_name(parts.kx));
    addOnce(&ciphers, gnutls_cipher_get_name(parts.cipher));
    addOnce(&macs, gnutls_mac_get_name(parts.mac));
  }
  if (out->suites.empty()) {
    *error = "no cipher suite of the configuration is implemented by gnutls";
    return false;
  }
  for (const auto* list : {&ciphers, &macs, &kxs})
    for (const std::string& token : *list) text += ":+" + token;

  const auto curves = config.ellipticCurves();
  if (curves.empty()) {
    // A server with an RFC 7919 group in its list sends that group in every DHE
    // ServerKeyExchange, whatever the client offered, and never the credentials' own (seen with
    // 3.7.9); Qt's servers send the configured group (setDiffieHellmanParameters), so a server
    // lists its curves only. Clients offer all groups.
    text += server ? ":+GROUP-EC-ALL" : ":+GROUP-ALL";
  } else {
    for (const EllipticCurve& curve : curves) {
      const std::string name = curve.shortName();
      const auto found = std::find_if(kCurves.begin(), kCurves.end(),
                                      [&](const CurveName& c) { return c.openssl == name; });
      if (found == kCurves.end()) {
        *error = "gnutls does not implement the elliptic curve " + name;
        return false;
      }
      text += std::string(":+") + found->gnutls;
    }
  }
  text += ":+SIGN-ALL:+COMP-NULL:+CTYPE-X509";
  // Qt's servers choose by their own order unless told otherwise (SSL_OP_CIPHER_SERVER_PREFERENCE).
  if (server && !config.testSslOption(SslOption::SslOptionDisableServerCipherPreference))
    text += ":%SERVER_PRECEDENCE";
  out->text = text;
  return true;
}

std::uint16_t negotiatedSuiteId(gnutls_session_t session) {
  const gnutls_kx_algorithm_t kx = gnutls_kx_get(session);
  const gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(session);
  const gnutls_mac_algorithm_t mac = gnutls_mac_get(session);
  unsigned char cs[2];
  gnutls_kx_algorithm_t k;
  gnutls_cipher_algorithm_t c;
  gnutls_mac_algorithm_t m;
  gnutls_protocol_t min_version;
  for (std::size_t i = 0; gnutls_cipher_suite_info(i, cs, &k, &c, &m, &min_version) != nullptr;
       ++i)
    if (k == kx && c == cipher && m == mac && min_version != GNUTLS_TLS1_3)
      return static_cast<std::uint16_t>((cs[0] << 8) | cs[1]);
  return 0;
}

}  // namespace dtls::detail
