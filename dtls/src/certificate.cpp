#include <dtls/certificate.h>

#include "digest_name.h"
#include "ossl_ptr.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace dtls {
namespace {

using detail::OsslPtr;

std::shared_ptr<X509> share(X509* x509) { return std::shared_ptr<X509>(x509, X509_free); }

// Every certificate in PEM `data`; PEM_read_bio_X509 skips blocks of other types (keys).
std::vector<std::shared_ptr<X509>> readPem(const ByteArray& data, size_t max_count) {
  std::vector<std::shared_ptr<X509>> out;
  auto bio = detail::memoryBio(data);
  if (!bio) return out;
  while (out.size() < max_count) {
    X509* x509 = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (x509 == nullptr) break;
    out.push_back(share(x509));
  }
  ERR_clear_error();  // the read that ended the loop always leaves "no start line"
  return out;
}

// Every DER certificate in `data`, one after the other.
std::vector<std::shared_ptr<X509>> readDer(const ByteArray& data, size_t max_count) {
  std::vector<std::shared_ptr<X509>> out;
  const auto* begin = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* cursor = begin;
  while (out.size() < max_count) {
    const size_t left = data.size() - static_cast<size_t>(cursor - begin);
    if (left == 0 || left > static_cast<size_t>(LONG_MAX)) break;
    X509* x509 = d2i_X509(nullptr, &cursor, static_cast<long>(left));
    if (x509 == nullptr) break;
    out.push_back(share(x509));
  }
  ERR_clear_error();
  return out;
}

std::vector<std::shared_ptr<X509>> read(const ByteArray& data, EncodingFormat format,
                                        size_t max_count) {
  if (data.empty()) return {};
  return format == EncodingFormat::Pem ? readPem(data, max_count) : readDer(data, max_count);
}

const char* shortNameOf(Certificate::SubjectInfo info) {
  switch (info) {
    case Certificate::SubjectInfo::Organization: return "O";
    case Certificate::SubjectInfo::CommonName: return "CN";
    case Certificate::SubjectInfo::LocalityName: return "L";
    case Certificate::SubjectInfo::OrganizationalUnitName: return "OU";
    case Certificate::SubjectInfo::CountryName: return "C";
    case Certificate::SubjectInfo::StateOrProvinceName: return "ST";
    case Certificate::SubjectInfo::DistinguishedNameQualifier: return "dnQualifier";
    case Certificate::SubjectInfo::SerialNumber: return "serialNumber";
    case Certificate::SubjectInfo::EmailAddress: return "emailAddress";
  }
  return "";
}

std::string oidText(const ASN1_OBJECT* object) {
  char buf[128];
  const int len = OBJ_obj2txt(buf, sizeof buf, object, 1);
  if (len <= 0) return {};
  return std::string(buf, std::min(static_cast<size_t>(len), sizeof buf - 1));
}

// The key under which an attribute is listed: OpenSSL's short name, else the dotted OID
// (Qt does the same in _q_mapFromX509Name).
std::string attributeKey(const ASN1_OBJECT* object) {
  const int nid = OBJ_obj2nid(object);
  if (nid != NID_undef) {
    if (const char* sn = OBJ_nid2sn(nid)) return sn;
  }
  return oidText(object);
}

// The same key for what a caller typed: "CN", "commonName" or "2.5.4.3".
std::string attributeKey(const std::string& attribute) {
  const int nid = OBJ_txt2nid(attribute.c_str());
  ERR_clear_error();
  if (nid != NID_undef) {
    if (const char* sn = OBJ_nid2sn(nid)) return sn;
  }
  return attribute;
}

std::string utf8(const ASN1_STRING* value) {
  unsigned char* out = nullptr;
  const int len = ASN1_STRING_to_UTF8(&out, value);
  if (len < 0) {
    ERR_clear_error();
    return {};
  }
  std::string text(reinterpret_cast<const char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return text;
}

std::vector<std::string> nameValues(const X509_NAME* name, const std::string& key) {
  std::vector<std::string> values;
  if (name == nullptr) return values;
  const int count = X509_NAME_entry_count(name);
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    if (attributeKey(X509_NAME_ENTRY_get_object(entry)) != key) continue;
    values.push_back(utf8(X509_NAME_ENTRY_get_data(entry)));
  }
  return values;
}

std::vector<ByteArray> nameAttributes(const X509_NAME* name) {
  std::vector<ByteArray> keys;
  if (name == nullptr) return keys;
  const int count = X509_NAME_entry_count(name);
  for (int i = 0; i < count; ++i) {
    keys.push_back(attributeKey(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, i))));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string displayName(const X509_NAME* name) {
  for (const char* key : {"CN", "O", "OU"}) {
    auto values = nameValues(name, key);
    if (!values.empty()) return values.front();
  }
  return {};
}

std::chrono::sys_seconds toSysSeconds(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return {};
  }
  using namespace std::chrono;
  const year_month_day date{year(tm.tm_year + 1900), month(static_cast<unsigned>(tm.tm_mon + 1)),
                            day(static_cast<unsigned>(tm.tm_mday))};
  return sys_days(date) + hours(tm.tm_hour) + minutes(tm.tm_min) + seconds(tm.tm_sec);
}

std::string ipText(const ASN1_OCTET_STRING* ip) {
  const unsigned char* bytes = ASN1_STRING_get0_data(ip);
  const int len = ASN1_STRING_length(ip);
  char buf[INET6_ADDRSTRLEN] = {};
  if (len == 4 && inet_ntop(AF_INET, bytes, buf, sizeof buf) != nullptr) return buf;
  if (len == 16 && inet_ntop(AF_INET6, bytes, buf, sizeof buf) != nullptr) return buf;
  return {};
}

// Known-fraudulent certificates, as listed by Qt (qsslcertificate.cpp, certificate_blacklist):
// serial number, then a CN that the subject or issuer must carry.
// Comodo: https://www.comodo.com/Comodo-Fraud-Incident-2011-03-23.html; DigiNotar, 2011.
constexpr std::pair<std::string_view, std::string_view> kBlacklist[] = {
    {"04:7e:cb:e9:fc:a5:5f:7b:d0:9e:ae:36:e1:0c:ae:1e", "mail.google.com"},
    {"f5:c8:6a:f3:61:62:f1:3a:64:f5:4f:6d:c9:58:7c:06", "www.google.com"},
    {"d7:55:8f:da:f5:f1:10:5b:b2:13:28:2b:70:77:29:a3", "login.yahoo.com"},
    {"39:2a:43:4f:0e:07:df:1f:8a:a3:05:de:34:e0:c2:29", "login.yahoo.com"},
    {"3e:75:ce:d4:6b:69:30:21:21:88:30:ae:86:a8:2a:71", "login.yahoo.com"},
    {"e9:02:8b:95:78:e4:15:dc:1a:71:0a:2b:88:15:44:47", "login.skype.com"},
    {"92:39:d5:34:8f:40:d1:69:5a:74:54:70:e1:f2:3f:43", "addons.mozilla.org"},
    {"b0:b7:13:3e:d0:96:f9:b5:6f:ae:91:c8:74:bd:3a:c0", "login.live.com"},
    {"d8:f3:5f:4e:b7:87:2b:2d:ab:06:92:e3:15:38:2f:b0", "global trustee"},
    {"05:e2:e6:a4:cd:09:ea:54:d6:65:b0:75:fe:22:a2:56", "*.google.com"},
    {"0c:76:da:9c:91:0c:4e:2c:9e:fe:15:d0:58:93:3c:4c", "DigiNotar Root CA"},
    {"f1:4a:13:f4:87:2b:56:dc:39:df:84:ca:7a:a1:06:49", "DigiNotar Services CA"},
};

}  // namespace

namespace detail {

const char* digestName(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5: return "MD5";
    case DigestAlgorithm::Sha1: return "SHA1";
    case DigestAlgorithm::Sha224: return "SHA224";
    case DigestAlgorithm::Sha256: return "SHA256";
    case DigestAlgorithm::Sha384: return "SHA384";
    case DigestAlgorithm::Sha512: return "SHA512";
    case DigestAlgorithm::Sha3_224: return "SHA3-224";
    case DigestAlgorithm::Sha3_256: return "SHA3-256";
    case DigestAlgorithm::Sha3_384: return "SHA3-384";
    case DigestAlgorithm::Sha3_512: return "SHA3-512";
    case DigestAlgorithm::Blake2b_512: return "BLAKE2B-512";
    case DigestAlgorithm::Blake2s_256: return "BLAKE2S-256";
  }
  return nullptr;
}

}  // namespace detail

Certificate::Certificate() = default;

Certificate::Certificate(const ByteArray& data, EncodingFormat format) {
  auto certs = read(data, format, 1);
  if (!certs.empty()) x509_ = std::move(certs.front());
}

Certificate Certificate::fromHandle(X509* x509) {
  Certificate certificate;
  if (x509 != nullptr && X509_up_ref(x509) == 1) certificate.x509_ = share(x509);
  return certificate;
}

std::vector<Certificate> Certificate::fromData(const ByteArray& data, EncodingFormat format) {
  std::vector<Certificate> out;
  for (auto& x509 : read(data, format, SIZE_MAX)) {
    Certificate certificate;
    certificate.x509_ = std::move(x509);
    out.push_back(std::move(certificate));
  }
  return out;
}

bool Certificate::isNull() const { return x509_ == nullptr; }

void Certificate::clear() { x509_.reset(); }

void Certificate::swap(Certificate& other) noexcept { x509_.swap(other.x509_); }

ByteArray Certificate::version() const {
  if (!x509_) return {};
  return std::to_string(X509_get_version(x509_.get()) + 1);
}

ByteArray Certificate::serialNumber() const {
  if (!x509_) return {};
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x509_.get());
  const unsigned char* bytes = ASN1_STRING_get0_data(serial);
  const int len = ASN1_STRING_length(serial);
  ByteArray text;
  for (int i = 0; i < len; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, i == 0 ? "%02x" : ":%02x", bytes[i]);
    text += hex;
  }
  return text;
}

ByteArray Certificate::digest(DigestAlgorithm algorithm) const {
  const char* name = detail::digestName(algorithm);
  if (!x509_ || name == nullptr) return {};
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) {
    ERR_clear_error();
    return {};
  }
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const int ok = X509_digest(x509_.get(), md, buf, &len);
  EVP_MD_free(md);
  if (ok != 1) {
    ERR_clear_error();
    return {};
  }
  return ByteArray(reinterpret_cast<const char*>(buf), len);
}

std::vector<std::string> Certificate::subjectInfo(SubjectInfo info) const {
  return subjectInfo(ByteArray(shortNameOf(info)));
}

std::vector<std::string> Certificate::subjectInfo(const ByteArray& attribute) const {
  if (!x509_) return {};
  return nameValues(X509_get_subject_name(x509_.get()), attributeKey(attribute));
}

std::vector<std::string> Certificate::issuerInfo(SubjectInfo info) const {
  return issuerInfo(ByteArray(shortNameOf(info)));
}

std::vector<std::string> Certificate::issuerInfo(const ByteArray& attribute) const {
  if (!x509_) return {};
  return nameValues(X509_get_issuer_name(x509_.get()), attributeKey(attribute));
}

std::vector<ByteArray> Certificate::subjectInfoAttributes() const {
  if (!x509_) return {};
  return nameAttributes(X509_get_subject_name(x509_.get()));
}

std::vector<ByteArray> Certificate::issuerInfoAttributes() const {
  if (!x509_) return {};
  return nameAttributes(X509_get_issuer_name(x509_.get()));
}

std::string Certificate::subjectDisplayName() const {
  return x509_ ? displayName(X509_get_subject_name(x509_.get())) : std::string();
}

std::string Certificate::issuerDisplayName() const {
  return x509_ ? displayName(X509_get_issuer_name(x509_.get())) : std::string();
}

std::multimap<AlternativeNameEntryType, std::string> Certificate::subjectAlternativeNames()
    const {
  std::multimap<AlternativeNameEntryType, std::string> names;
  if (!x509_) return names;
  auto* raw = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x509_.get(), NID_subject_alt_name, nullptr, nullptr));
  ERR_clear_error();
  if (raw == nullptr) return names;
  std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> general(raw,
                                                                      GENERAL_NAMES_free);
  for (int i = 0; i < sk_GENERAL_NAME_num(general.get()); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(general.get(), i);
    switch (entry->type) {
      case GEN_DNS:
        names.emplace(AlternativeNameEntryType::DnsEntry, utf8(entry->d.dNSName));
        break;
      case GEN_EMAIL:
        names.emplace(AlternativeNameEntryType::EmailEntry, utf8(entry->d.rfc822Name));
        break;
      case GEN_IPADD: {
        std::string ip = ipText(entry->d.iPAddress);
        if (!ip.empty()) names.emplace(AlternativeNameEntryType::IpAddressEntry, std::move(ip));
        break;
      }
      default:
        break;
    }
  }
  return names;
}

std::chrono::sys_seconds Certificate::effectiveDate() const {
  return x509_ ? toSysSeconds(X509_get0_notBefore(x509_.get())) : std::chrono::sys_seconds{};
}

std::chrono::sys_seconds Certificate::expiryDate() const {
  return x509_ ? toSysSeconds(X509_get0_notAfter(x509_.get())) : std::chrono::sys_seconds{};
}

std::vector<CertificateExtension> Certificate::extensions() const {
  std::vector<CertificateExtension> out;
  if (!x509_) return out;
  const int count = X509_get_ext_count(x509_.get());
  for (int i = 0; i < count; ++i) {
    X509_EXTENSION* ext = X509_get_ext(x509_.get(), i);
    const ASN1_OBJECT* object = X509_EXTENSION_get_object(ext);
    CertificateExtension item;
    item.oid = oidText(object);
    item.name = attributeKey(object);
    item.critical = X509_EXTENSION_get_critical(ext) != 0;
    item.supported = X509V3_EXT_get(ext) != nullptr;
    OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
    if (bio && X509V3_EXT_print(bio.get(), ext, 0, 0) == 1) {
      item.value = detail::bioContents(bio.get());
    }
    ERR_clear_error();
    out.push_back(std::move(item));
  }
  return out;
}

bool Certificate::isSelfSigned() const {
  if (!x509_) return false;
  const bool self = X509_check_issued(x509_.get(), x509_.get()) == X509_V_OK;
  ERR_clear_error();
  return self;
}

bool Certificate::isBlacklisted() const {
  if (!x509_) return false;
  const ByteArray serial = serialNumber();
  for (const auto& [bad_serial, name] : kBlacklist) {
    if (serial != bad_serial) continue;
    for (const auto& cn : subjectInfo(SubjectInfo::CommonName)) {
      if (cn == name) return true;
    }
    for (const auto& cn : issuerInfo(SubjectInfo::CommonName)) {
      if (cn == name) return true;
    }
  }
  return false;
}

Key Certificate::publicKey() const {
  if (!x509_) return Key();
  return Key::fromHandle(X509_get0_pubkey(x509_.get()), KeyType::PublicKey);
}

ByteArray Certificate::toPem() const {
  if (!x509_) return {};
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), x509_.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  return detail::bioContents(bio.get());
}

ByteArray Certificate::toDer() const {
  if (!x509_) return {};
  unsigned char* out = nullptr;
  const int len = i2d_X509(x509_.get(), &out);
  if (len <= 0) {
    ERR_clear_error();
    return {};
  }
  ByteArray der(reinterpret_cast<const char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return der;
}

std::string Certificate::toText() const {
  if (!x509_) return {};
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_print_ex(bio.get(), x509_.get(), XN_FLAG_ONELINE, X509_FLAG_COMPAT) != 1) {
    ERR_clear_error();
    return {};
  }
  return detail::bioContents(bio.get());
}

X509* Certificate::handle() const { return x509_.get(); }

bool Certificate::operator==(const Certificate& other) const {
  if (x509_ == other.x509_) return true;
  if (!x509_ || !other.x509_) return false;
  return X509_cmp(x509_.get(), other.x509_.get()) == 0;
}

}  // namespace dtls

std::size_t std::hash<dtls::Certificate>::operator()(
    const dtls::Certificate& certificate) const noexcept {
  // X509_digest with SHA-1 reads the fingerprint OpenSSL cached when it parsed the
  // certificate: no allocation, which a noexcept hash needs.
  unsigned char sha1[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (certificate.isNull() || X509_digest(certificate.handle(), EVP_sha1(), sha1, &len) != 1) {
    return 0;
  }
  std::size_t value = 0;
  for (unsigned int i = 0; i < len && i < sizeof value; ++i) value = (value << 8) | sha1[i];
  return value;
}
