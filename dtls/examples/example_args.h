// example_args.h — what dtls-echo-server and dtls-echo-client share: "--flag value" parsing,
// hex decoding, and loading a certificate chain, a private key or a PSK cipher list.
// Header-only and small on purpose: the two programs are meant to be read.
#pragma once

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "dtls/certificate.h"
#include "dtls/cipher.h"
#include "dtls/configuration.h"
#include "dtls/key.h"

namespace dtls_examples {

// Exit status for bad arguments (as sysexits' EX_USAGE is too obscure; 2 is what getopt tools
// use).
inline constexpr int kExitUsage = 2;

// Parsed "--name value" / "--switch" arguments.
class Args {
 public:
  // Parses argv[1..argc). `with_value` names the flags that take a value, `switches` those
  // that do not. On failure returns nullopt and stores the offending argument in `*bad`.
  static std::optional<Args> parse(int argc, char** argv, const std::set<std::string>& with_value,
                                   const std::set<std::string>& switches, std::string* bad) {
    Args args;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (switches.count(arg) != 0) {
        args.values_[arg] = "";
      } else if (with_value.count(arg) != 0 && i + 1 < argc) {
        args.values_[arg] = argv[++i];
      } else {
        *bad = with_value.count(arg) != 0 ? arg + " (missing value)" : arg;
        return std::nullopt;
      }
    }
    return args;
  }

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = {}) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }

 private:
  std::map<std::string, std::string> values_;
};

// A decimal integer in [min, max], or nullopt.
inline std::optional<long> parseInteger(const std::string& text, long min, long max) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

// "00ff..." -> raw bytes; nullopt for an odd length, a non-hex digit or an empty string.
inline std::optional<dtls::ByteArray> hexDecode(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.empty() || hex.size() % 2 != 0) return std::nullopt;
  dtls::ByteArray bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  return bytes;
}

// The private key in the PEM file `path` (RSA or EC); null if it cannot be read or parsed.
inline dtls::Key loadPrivateKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream pem;
  pem << in.rdbuf();
  for (const dtls::KeyAlgorithm algorithm : {dtls::KeyAlgorithm::Ec, dtls::KeyAlgorithm::Rsa}) {
    dtls::Key key(pem.str(), algorithm);
    if (!key.isNull()) return key;
  }
  return {};
}

// Sets the local certificate chain (leaf first, as in the file) and the private key. Returns
// an error message naming the file, or an empty string.
inline std::string setLocalIdentity(dtls::Configuration* config, const std::string& cert_path,
                                    const std::string& key_path) {
  const std::vector<dtls::Certificate> chain = dtls::Certificate::fromFile(cert_path);
  if (chain.empty()) return "--cert " + cert_path + ": no PEM certificate found";
  const dtls::Key key = loadPrivateKey(key_path);
  if (key.isNull()) return "--key " + key_path + ": no RSA or EC private key found";
  config->setLocalCertificateChain(chain);
  config->setPrivateKey(key);
  return {};
}

// Replaces the trusted CAs by the certificates in `ca_path`. Returns an error message or "".
inline std::string setCaFile(dtls::Configuration* config, const std::string& ca_path) {
  const std::vector<dtls::Certificate> cas = dtls::Certificate::fromFile(ca_path);
  if (cas.empty()) return "--ca " + ca_path + ": no PEM certificate found";
  config->setCaCertificates(cas);
  return {};
}

// Restricts the cipher suites to those authenticated by a pre-shared key (RFC 4279).
inline void usePskCiphersOnly(dtls::Configuration* config) {
  std::vector<dtls::Cipher> psk;
  for (const dtls::Cipher& cipher : dtls::Configuration::supportedCiphers()) {
    if (cipher.authenticationMethod() == "PSK") psk.push_back(cipher);
  }
  config->setCiphers(psk);
}

}  // namespace dtls_examples
