#include "system_ca.h"

#include <openssl/x509.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>

namespace dtls::detail {

namespace {

std::string fromEnvOr(const char* env_name, const char* fallback) {
  const char* value = std::getenv(env_name);
  return (value && *value) ? value : fallback;
}

std::vector<Certificate> loadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // directory order is not deterministic

  std::vector<Certificate> out;
  std::set<ByteArray> seen_der;
  for (const auto& file : files) {
    for (auto& cert : Certificate::fromPath(file.string(), EncodingFormat::Pem,
                                            Certificate::PatternSyntax::FixedString)) {
      if (seen_der.insert(cert.toDer()).second) out.push_back(std::move(cert));
    }
  }
  return out;
}

std::vector<Certificate> load() {
  const std::string file = fromEnvOr(X509_get_default_cert_file_env(),
                                     X509_get_default_cert_file());
  auto certs = Certificate::fromPath(file, EncodingFormat::Pem,
                                     Certificate::PatternSyntax::FixedString);
  if (!certs.empty()) return certs;
  return loadDirectory(fromEnvOr(X509_get_default_cert_dir_env(), X509_get_default_cert_dir()));
}

}  // namespace

std::vector<Certificate> systemCaCertificates() {
  static const std::vector<Certificate> certs = load();
  return certs;
}

}  // namespace dtls::detail
