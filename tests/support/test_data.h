// Test helpers: the committed test PKI under tests/data/certs (see its README.md).
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include "dtls/certificate.h"
#include "dtls/key.h"

namespace dtls::test {

inline std::string certPath(const std::string& name) {
  return std::string(DTLSIM_TEST_DATA_DIR) + "/certs/" + name;
}

// The whole file as bytes; empty if it cannot be read (the test then fails on its content).
inline std::string readTestFile(const std::string& name) {
  std::ifstream in(certPath(name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first certificate in a PEM file of the test PKI; null if there is none.
inline Certificate loadCert(const std::string& name) {
  auto certs = Certificate::fromPath(certPath(name));
  return certs.empty() ? Certificate() : certs.front();
}

// An unencrypted PEM private key of the test PKI (EC unless `algorithm` says otherwise).
inline Key loadKey(const std::string& name, KeyAlgorithm algorithm = KeyAlgorithm::Ec) {
  return Key(readTestFile(name), algorithm);
}

}  // namespace dtls::test
