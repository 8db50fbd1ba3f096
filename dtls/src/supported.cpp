#include "supported.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <string_view>

#include "ossl_ptr.h"

namespace dtls::detail {
namespace {

// "TLSv1.2" -> TlsV1_2 and so on. OpenSSL 3.0's SSL_CIPHER_get_version says "TLSv1.0" where its
// SSL_CIPHER_description says "TLSv1"; both mean TLS 1.0. "SSLv3" has no SslProtocol value.
SslProtocol protocolFromVersion(const std::string& version) {
  if (version == "TLSv1.0" || version == "TLSv1") return SslProtocol::TlsV1_0;
  if (version == "TLSv1.1") return SslProtocol::TlsV1_1;
  if (version == "TLSv1.2") return SslProtocol::TlsV1_2;
  if (version == "TLSv1.3") return SslProtocol::TlsV1_3;
  return SslProtocol::UnknownProtocol;
}

// The value of the first "key=value" word of OpenSSL's one-line description, e.g. "AESGCM(128)"
// for key "Enc=". The description is "<name> <version> Kx=.. Au=.. Enc=.. Mac=..", words
// separated by spaces, values without spaces.
std::string descriptionField(std::string_view description, std::string_view key) {
  constexpr std::string_view kSpace = " \t\n";
  for (std::size_t at = description.find_first_not_of(kSpace); at != std::string_view::npos;) {
    const std::size_t end = std::min(description.find_first_of(kSpace, at), description.size());
    const std::string_view word = description.substr(at, end - at);
    if (word.substr(0, key.size()) == key) return std::string(word.substr(key.size()));
    at = description.find_first_not_of(kSpace, end);
  }
  return {};
}

// OpenSSL's client PSK callback, set only so that SSL_get1_supported_ciphers keeps the PSK
// suites (it drops the suites of key exchanges the SSL has no credentials for). Never called:
// the probing SSL never handshakes.
unsigned int probePskCallback(SSL*, const char*, char*, unsigned int, unsigned char*,
                              unsigned int) {
  return 0;
}

struct CipherLists {
  std::vector<Cipher> supported;
  std::vector<std::uint32_t> supported_ids;  // SSL_CIPHER_get_id of each of `supported`
  std::vector<const SSL_CIPHER*> supported_ssl;  // static tables: valid for the process's life
  std::vector<Cipher> defaults;
};

// What a fresh client SSL of `method` can negotiate with every suite enabled
// ("ALL:COMPLEMENTOFALL" adds aNULL and eNULL) at security level 0 (which keeps the 0-bit
// eNULL suites). SRP suites stay out: the SSL has no SRP credentials.
CipherLists probeCiphers(const SSL_METHOD* method) {
  CipherLists lists;
  ERR_set_mark();
  OsslPtr<SSL_CTX> ctx(SSL_CTX_new(method));
  OsslPtr<SSL> ssl;
  if (ctx) {
    SSL_CTX_set_security_level(ctx.get(), 0);
    SSL_CTX_set_psk_client_callback(ctx.get(), probePskCallback);
    if (SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL") == 1) {
      ssl.reset(SSL_new(ctx.get()));
    }
  }
  STACK_OF(SSL_CIPHER)* stack = ssl ? SSL_get1_supported_ciphers(ssl.get()) : nullptr;
  for (int i = 0; stack != nullptr && i < sk_SSL_CIPHER_num(stack); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(stack, i);
    Cipher value = CipherAccess::fromSsl(cipher);
    if (value.isNull()) continue;
    const bool anonymous = SSL_CIPHER_get_auth_nid(cipher) == NID_auth_null;
    const bool nullEncryption = SSL_CIPHER_get_cipher_nid(cipher) == NID_undef;
    if (value.usedBits() >= 128 && !anonymous && !nullEncryption) {
      lists.defaults.push_back(value);
    }
    lists.supported.push_back(std::move(value));
    lists.supported_ids.push_back(SSL_CIPHER_get_id(cipher));
    lists.supported_ssl.push_back(cipher);
  }
  sk_SSL_CIPHER_free(stack);
  ERR_pop_to_mark();
  return lists;
}

const CipherLists& dtlsLists() {
  static const CipherLists lists = probeCiphers(DTLS_client_method());
  return lists;
}

const CipherLists& tlsLists() {
  static const CipherLists lists = probeCiphers(TLS_client_method());
  return lists;
}

std::vector<EllipticCurve> probeCurves() {
  std::vector<int> candidates = {NID_X25519, NID_X448};
  const size_t count = EC_get_builtin_curves(nullptr, 0);
  std::vector<EC_builtin_curve> builtin(count);
  if (EC_get_builtin_curves(builtin.data(), count) == count) {
    for (const EC_builtin_curve& curve : builtin) candidates.push_back(curve.nid);
  }
  std::vector<EllipticCurve> curves;
  for (int nid : candidates) {
    const EllipticCurve curve = EllipticCurve::fromShortName(OBJ_nid2sn(nid));
    if (curve.isValid() && curve.isTlsNamedCurve()) curves.push_back(curve);
  }
  return curves;
}

}  // namespace

std::uint16_t dtlsCipherSuiteId(const Cipher& cipher) {
  const CipherLists& lists = dtlsLists();
  for (std::size_t i = 0; i < lists.supported.size(); ++i)
    if (lists.supported[i] == cipher) return static_cast<std::uint16_t>(lists.supported_ids[i]);
  return 0;
}

Cipher dtlsCipherOfSuiteId(std::uint16_t id) {
  const CipherLists& lists = dtlsLists();
  for (std::size_t i = 0; i < lists.supported.size(); ++i)
    if (static_cast<std::uint16_t>(lists.supported_ids[i]) == id) return lists.supported[i];
  return Cipher();
}

const SSL_CIPHER* dtlsSslCipherOfSuiteId(std::uint16_t id) {
  const CipherLists& lists = dtlsLists();
  for (std::size_t i = 0; i < lists.supported.size(); ++i)
    if (static_cast<std::uint16_t>(lists.supported_ids[i]) == id) return lists.supported_ssl[i];
  return nullptr;
}

Cipher CipherAccess::fromSsl(const SSL_CIPHER* cipher) {
  Cipher value;
  if (cipher == nullptr) return value;
  const char* name = SSL_CIPHER_get_name(cipher);
  if (name == nullptr || *name == '\0') return value;
  char buffer[256] = {};
  const char* description = SSL_CIPHER_description(cipher, buffer, sizeof buffer);
  const std::string line = description != nullptr ? description : "";
  int supportedBits = 0;
  value.isNull_ = false;
  value.name_ = name;
  value.usedBits_ = SSL_CIPHER_get_bits(cipher, &supportedBits);
  value.supportedBits_ = supportedBits;
  value.keyExchangeMethod_ = descriptionField(line, "Kx=");
  value.authenticationMethod_ = descriptionField(line, "Au=");
  value.encryptionMethod_ = descriptionField(line, "Enc=");
  const char* version = SSL_CIPHER_get_version(cipher);
  value.protocolString_ = version != nullptr ? version : "";
  value.protocol_ = protocolFromVersion(value.protocolString_);
  return value;
}

// A negotiated DTLS suite is one of the probed ones: copying it saves formatting and parsing
// OpenSSL's description at every handshake (a few percent of a PSK handshake under ASan).
Cipher cipherFromSsl(const SSL_CIPHER* cipher) {
  if (cipher != nullptr) {
    const CipherLists& lists = dtlsLists();
    const std::uint32_t id = SSL_CIPHER_get_id(cipher);
    for (std::size_t i = 0; i < lists.supported_ids.size(); ++i)
      if (lists.supported_ids[i] == id) return lists.supported[i];
  }
  return CipherAccess::fromSsl(cipher);
}

const std::vector<Cipher>& supportedDtlsCiphers() { return dtlsLists().supported; }
const std::vector<Cipher>& defaultDtlsCiphers() { return dtlsLists().defaults; }
const std::vector<Cipher>& supportedTlsCiphers() { return tlsLists().supported; }
const std::vector<Cipher>& defaultTlsCiphers() { return tlsLists().defaults; }

const std::vector<EllipticCurve>& supportedCurves() {
  static const std::vector<EllipticCurve> curves = probeCurves();
  return curves;
}

std::string cipherListString(const std::vector<Cipher>& ciphers) {
  std::string joined;
  for (const Cipher& cipher : ciphers) {
    if (cipher.isNull()) continue;
    if (!joined.empty()) joined += ':';
    joined += cipher.name();
  }
  return joined;
}

bool parseCipherNames(const std::string& names, std::vector<Cipher>* out, std::string* error) {
  assert(out != nullptr);
  std::vector<Cipher> parsed;
  size_t start = 0;
  while (start <= names.size()) {
    size_t end = names.find(':', start);
    if (end == std::string::npos) end = names.size();
    const std::string name = names.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    Cipher cipher(name);
    if (cipher.isNull()) {
      if (error != nullptr) *error = "unknown cipher '" + name + "'";
      return false;
    }
    parsed.push_back(std::move(cipher));
  }
  *out = std::move(parsed);
  return true;
}

}  // namespace dtls::detail
