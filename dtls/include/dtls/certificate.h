// dtls/certificate.h — an X.509 certificate (the role of QSslCertificate), on an OpenSSL X509.
//
// A Certificate is a value: copies share one immutable X509, so copying is a reference-count
// increment. A Certificate that failed to parse is null (isNull()); every accessor of a null
// certificate returns an empty value. No member throws.
#pragma once

#include <dtls/key.h>
#include <dtls/ssl.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

// OpenSSL's own name for the certificate object; the same declaration as <openssl/types.h>.
typedef struct x509_st X509;

namespace dtls {

class SslError;  // dtls/ssl_error.h; include it to call Certificate::verify.

// The hash functions of QCryptographicHash::Algorithm that OpenSSL 3.0's default provider
// offers, with Qt's numeric values. Md4 (0) is left out: OpenSSL 3.0 keeps it in the legacy
// provider, which dtlsim does not load.
enum class DigestAlgorithm : int {
  Md5 = 1,
  Sha1 = 2,
  Sha224 = 3,
  Sha256 = 4,
  Sha384 = 5,
  Sha512 = 6,
  Sha3_224 = 11,  // Qt's RealSha3_224
  Sha3_256 = 12,
  Sha3_384 = 13,
  Sha3_512 = 14,
  Blake2b_512 = 18,
  Blake2s_256 = 22,
};

// One X.509v3 extension (the role of QSslCertificateExtension), with its value as OpenSSL
// prints it ("DNS:localhost, IP Address:127.0.0.1") instead of Qt's QVariant.
struct CertificateExtension {
  std::string oid;    // dotted form, "2.5.29.17"
  std::string name;   // OpenSSL's short name, "subjectAltName"; the OID when OpenSSL has none
  bool critical = false;
  bool supported = false;  // OpenSSL knows how to decode it
  std::string value;       // human-readable text; empty if OpenSSL cannot print it

  bool operator==(const CertificateExtension&) const = default;
};

class Certificate {
 public:
  // How fromPath() reads its path argument.
  enum class PatternSyntax : int {
    RegularExpression = 0,  // std::regex (ECMAScript) matched against whole file paths
    Wildcard = 1,           // shell glob: * ? [..] within one path component
    FixedString = 2,        // exactly one file
  };

  // Attributes of a distinguished name, with Qt's values.
  enum class SubjectInfo : int {
    Organization = 0,                // O
    CommonName = 1,                  // CN
    LocalityName = 2,                // L
    OrganizationalUnitName = 3,      // OU
    CountryName = 4,                 // C
    StateOrProvinceName = 5,         // ST
    DistinguishedNameQualifier = 6,  // dnQualifier
    SerialNumber = 7,                // serialNumber (of the subject, not of the certificate)
    EmailAddress = 8,                // emailAddress
  };

  // A null certificate.
  Certificate();
  // Parses the first certificate in `data` (PEM: the first "CERTIFICATE" block, text around
  // it ignored; DER: the first encoded certificate). Garbage or empty input gives a null
  // certificate; OpenSSL's error queue is cleared.
  explicit Certificate(const ByteArray& data, EncodingFormat format = EncodingFormat::Pem);

  // Wraps an existing certificate: takes a new reference (X509_up_ref); the caller keeps and
  // still frees its own. A null `x509` gives a null Certificate. For the connection code
  // (peer certificates from SSL_get0_peer_certificate / the verify callback).
  static Certificate fromHandle(X509* x509);

  Certificate(const Certificate&) = default;
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(const Certificate&) = default;
  Certificate& operator=(Certificate&&) noexcept = default;
  ~Certificate() = default;

  // Every certificate in `data`, in order: all PEM blocks, or DER certificates one after the
  // other. Stops at the first block that does not parse; empty when none does.
  static std::vector<Certificate> fromData(const ByteArray& data,
                                           EncodingFormat format = EncodingFormat::Pem);
  // Every certificate in the file at `filePath` (as fromData); empty if it cannot be read, is
  // not a regular file or is larger than 16 MiB.
  static std::vector<Certificate> fromFile(const std::string& filePath,
                                           EncodingFormat format = EncodingFormat::Pem);
  // Certificates from every file that `path` names under `syntax`:
  //  - FixedString: the file `path` itself.
  //  - Wildcard: a glob; "*" and "?" do not cross '/', "[abc]" / "[!abc]" are classes
  //    ("certs/*.pem", "certs/server*.pem").
  //  - RegularExpression: std::regex ECMAScript, matched against the whole path of each file
  //    ("certs/(ca|server)\\.pem").
  // For the two patterns, the directory searched is the part of `path` before the first
  // special character, cut at its last '/' ("." when there is none), searched recursively
  // (at most 8 levels, 10000 files), and each file path is that directory joined with the
  // relative name, so a pattern is written in the same form as `path`. Matching files are read
  // in lexicographic order of path, so the result is deterministic. A malformed pattern, a
  // missing path or a directory that cannot be read give an empty list; unreadable or
  // unparsable files are skipped.
  static std::vector<Certificate> fromPath(const std::string& path,
                                           EncodingFormat format = EncodingFormat::Pem,
                                           PatternSyntax syntax = PatternSyntax::FixedString);

  // Verifies `certificateChain` (leaf first, then intermediates, which are untrusted) against
  // the system's default CA store (OpenSSL's default paths) plus `caCertificates`, the trusted
  // anchors a Qt application would put in QSslConfiguration::defaultConfiguration(). When
  // `hostName` is not empty, the leaf is also checked against it (DNS names and IP addresses,
  // X509_check_host / X509_check_ip_asc) and a mismatch adds HostNameMismatch.
  // Returns every problem found, not only the first (an empty list means the chain is good),
  // in the order OpenSSL met them, each distinct (code, certificate) pair once; each error
  // carries the certificate it is about. An empty chain or a null certificate in it
  // gives one UnspecifiedError. Verification time is the current system time.
  static std::vector<SslError> verify(const std::vector<Certificate>& certificateChain,
                                      const std::string& hostName = std::string(),
                                      const std::vector<Certificate>& caCertificates = {});

  // Reads a PKCS#12 bundle (a .p12/.pfx file's bytes) decrypted with `passPhrase`: the key,
  // its certificate and the other certificates. Returns false (outputs untouched) when the
  // bundle cannot be parsed or decrypted or holds no key and certificate. `key` and
  // `certificate` must not be null; `caCertificates` may be. Only algorithms of OpenSSL's
  // default provider are supported (not the RC2/3DES of old bundles).
  static bool importPkcs12(const ByteArray& data, Key* key, Certificate* certificate,
                           std::vector<Certificate>* caCertificates = nullptr,
                           const ByteArray& passPhrase = ByteArray());

  bool isNull() const;
  // Makes this certificate null; other copies are not affected.
  void clear();
  void swap(Certificate& other) noexcept;

  // X.509 version as text: "3" for a v3 certificate; empty for a null certificate.
  ByteArray version() const;
  // The serial number's bytes in lowercase hex separated by ':' ("10:02"), as Qt prints it.
  ByteArray serialNumber() const;
  // The hash of the DER encoding, raw bytes (not hex); empty for a null certificate.
  ByteArray digest(DigestAlgorithm algorithm = DigestAlgorithm::Md5) const;

  // Values of one attribute of the subject / issuer name, in order of appearance; empty when
  // absent. `attribute` may be a short name ("CN"), a long name ("commonName") or an OID
  // ("2.5.4.3").
  std::vector<std::string> subjectInfo(SubjectInfo info) const;
  std::vector<std::string> subjectInfo(const ByteArray& attribute) const;
  std::vector<std::string> issuerInfo(SubjectInfo info) const;
  std::vector<std::string> issuerInfo(const ByteArray& attribute) const;
  // The attributes present, as short names (or OIDs when OpenSSL has no name), sorted and
  // without duplicates.
  std::vector<ByteArray> subjectInfoAttributes() const;
  std::vector<ByteArray> issuerInfoAttributes() const;
  // The first CommonName, else Organization, else OrganizationalUnitName, else empty.
  std::string subjectDisplayName() const;
  std::string issuerDisplayName() const;

  // DNS names, e-mail addresses and IP addresses (text form: "127.0.0.1", "::1") of the
  // subjectAltName extension. Other name forms are not listed.
  std::multimap<AlternativeNameEntryType, std::string> subjectAlternativeNames() const;

  // notBefore / notAfter, UTC. The epoch for a null certificate.
  std::chrono::sys_seconds effectiveDate() const;
  std::chrono::sys_seconds expiryDate() const;

  // X509v3 extensions in certificate order.
  std::vector<CertificateExtension> extensions() const;

  // True when the certificate's issuer is itself (name, key identifiers and key usage agree:
  // X509_check_issued(cert, cert) == X509_V_OK, as Qt). A root CA is self-signed.
  bool isSelfSigned() const;
  // True for the known-fraudulent certificates Qt also refuses (Comodo 2011, DigiNotar 2011),
  // matched by serial number and subject or issuer CN; false for every other certificate.
  bool isBlacklisted() const;

  // The subject public key; a null Key for a null certificate or an unreadable key.
  Key publicKey() const;

  // One "-----BEGIN CERTIFICATE-----" block / the DER bytes; empty for a null certificate.
  ByteArray toPem() const;
  ByteArray toDer() const;
  // The certificate as OpenSSL's `x509 -text` prints it; empty for a null certificate.
  std::string toText() const;

  // The OpenSSL certificate, borrowed: valid as long as any copy of this Certificate lives; do
  // not free or modify it (copies share it). nullptr for a null certificate.
  X509* handle() const;

  // Equal when both are null or the DER encodings are the same.
  bool operator==(const Certificate& other) const;
  bool operator!=(const Certificate& other) const { return !(*this == other); }

 private:
  std::shared_ptr<X509> x509_;
};

inline void swap(Certificate& a, Certificate& b) noexcept { a.swap(b); }

}  // namespace dtls

// Hash of the certificate's SHA-1 fingerprint (equal certificates hash equal); 0 for a null
// certificate.
template <> struct std::hash<dtls::Certificate> {
  std::size_t operator()(const dtls::Certificate& certificate) const noexcept;
};
