#include "dtls/cipher.h"

#include <utility>

#include "supported.h"

namespace dtls {
namespace {

// Cipher(name[, protocol]) accept exactly the suites of the supported lists. The TLS list is a
// superset of the DTLS list for OpenSSL 3.0, but the DTLS list is searched too so that the rule
// "a name in either list" holds without relying on that.
Cipher findSupported(const std::string& name, const SslProtocol* protocol) {
  for (const auto* list : {&detail::supportedTlsCiphers(), &detail::supportedDtlsCiphers()}) {
    for (const Cipher& cipher : *list) {
      if (cipher.name() == name && (protocol == nullptr || cipher.protocol() == *protocol)) {
        return cipher;
      }
    }
  }
  return Cipher();
}

}  // namespace

Cipher::Cipher() = default;

Cipher::Cipher(const std::string& name) {
  if (!name.empty()) *this = findSupported(name, nullptr);
}

Cipher::Cipher(const std::string& name, SslProtocol protocol) {
  if (!name.empty()) *this = findSupported(name, &protocol);
}

void Cipher::swap(Cipher& other) noexcept {
  using std::swap;
  swap(isNull_, other.isNull_);
  swap(name_, other.name_);
  swap(usedBits_, other.usedBits_);
  swap(supportedBits_, other.supportedBits_);
  swap(keyExchangeMethod_, other.keyExchangeMethod_);
  swap(authenticationMethod_, other.authenticationMethod_);
  swap(encryptionMethod_, other.encryptionMethod_);
  swap(protocolString_, other.protocolString_);
  swap(protocol_, other.protocol_);
}

}  // namespace dtls
