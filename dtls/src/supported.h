// Private: what the linked OpenSSL 3.0 supports (cipher suites, curves), and the bridge from
// OpenSSL's SSL_CIPHER to dtls::Cipher. Used by Configuration (defaults, setCiphers) and
// Connection (sessionCipher).
//
// Every list is computed once, on first use, in a function-local static (thread-safe, C++11
// "magic statics") and never changes afterwards; its order is OpenSSL's preference order for
// the cipher string "ALL:COMPLEMENTOFALL", which is deterministic for a given OpenSSL build.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dtls/cipher.h"
#include "dtls/elliptic_curve.h"

namespace dtls::detail {

// Every suite OpenSSL 3.0 can negotiate over DTLS (DTLS_client_method(), DTLS 1.0 - 1.2):
// certificate suites, anonymous (aNULL) and null-encryption (eNULL) suites and the PSK suites,
// as SSL_get1_supported_ciphers reports them at security level 0. Excluded: TLS 1.3-only suites
// (DTLS 1.3 is not in OpenSSL 3.0), suites whose algorithms the loaded providers lack (RC4, DES,
// ...), and SRP suites (the API has no SRP credentials). Never empty.
const std::vector<Cipher>& supportedDtlsCiphers();

// supportedDtlsCiphers() with usedBits() >= 128, minus anonymous (Au=None, aNULL) and
// null-encryption (Enc=None, eNULL) suites, same order: the default of a DTLS Configuration
// (DESIGN.md §2). A subset of supportedDtlsCiphers(); never empty.
const std::vector<Cipher>& defaultDtlsCiphers();

// The same two lists for TLS (TLS_client_method(), TLS 1.0 - 1.3), used by the non-DTLS
// default Configuration. They include the TLS 1.3 suites (first, as OpenSSL orders them) and
// are supersets of the DTLS lists.
const std::vector<Cipher>& supportedTlsCiphers();
const std::vector<Cipher>& defaultTlsCiphers();

// The elliptic curves OpenSSL 3.0 can use as TLS key-exchange groups (every valid EllipticCurve
// with isTlsNamedCurve()), ordered: X25519, X448, then EC_get_builtin_curves() order.
const std::vector<EllipticCurve>& supportedCurves();

// The Cipher describing `cipher` (name, bits, Kx/Au/Enc from SSL_CIPHER_description, version
// from SSL_CIPHER_get_version). Precondition: none; a null `cipher` gives a null Cipher.
// Works for every SSL_CIPHER, also one not in the supported lists (e.g. a session's cipher).
Cipher cipherFromSsl(const SSL_CIPHER* cipher);

// OpenSSL names of `ciphers` joined with ':' in order, for SSL_CTX_set_cipher_list; null
// ciphers are skipped. TLS 1.3 suite names are included as given: SSL_CTX_set_cipher_list
// ignores them (they belong in SSL_CTX_set_ciphersuites), which is harmless for DTLS.
std::string cipherListString(const std::vector<Cipher>& ciphers);

// Parses a colon-separated list of OpenSSL cipher names ("ECDHE-ECDSA-AES128-GCM-SHA256:
// PSK-AES128-GCM-SHA256"), in preference order, into Cipher values (Cipher(name) rules: names
// from supportedTlsCiphers() or supportedDtlsCiphers(), exact match). Empty entries ("a::b",
// leading or trailing ':') are skipped, as Qt's setCiphers(QString) does; duplicates are kept.
// Unlike Qt, an unknown name is not silently dropped: the whole parse fails. OpenSSL's
// cipher-string language (aliases such as "HIGH", "!", "+", "-", "@STRENGTH") is not accepted;
// such tokens are unknown names.
// Returns true and replaces *out on success (an empty or all-colon string gives an empty list).
// Returns false, leaves *out unchanged and sets *error (if non-null) to "unknown cipher 'FOO'"
// naming the first unknown entry. Precondition: out != nullptr.
bool parseCipherNames(const std::string& names, std::vector<Cipher>* out, std::string* error);

// The private factory Cipher befriends (see cipher.h); only supported.cpp uses it.
// The IANA cipher suite id (RFC 5246 §A.5) of a DTLS cipher, which other backends name suites
// by; 0 if OpenSSL does not know it for DTLS.
std::uint16_t dtlsCipherSuiteId(const Cipher& cipher);
// The DTLS cipher with IANA suite id `id`; null if OpenSSL does not know it.
Cipher dtlsCipherOfSuiteId(std::uint16_t id);
// OpenSSL's description of that suite (for what it implies about records, short_records.h);
// null if OpenSSL does not know it.
const SSL_CIPHER* dtlsSslCipherOfSuiteId(std::uint16_t id);

struct CipherAccess {
  static Cipher fromSsl(const SSL_CIPHER* cipher);
};

}  // namespace dtls::detail
