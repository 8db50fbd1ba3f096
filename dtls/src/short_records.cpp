#include "short_records.h"

#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <cstdio>
#include <string_view>

#include "dtls/wire/record.h"

namespace dtls::detail {

namespace {

constexpr std::size_t kAeadExplicitNonceBytes = 8;  // RFC 5288 §3 (GCM), RFC 6655 §3 (CCM)
constexpr std::size_t kAeadTagBytes = 16;
constexpr std::size_t kCcm8TagBytes = 8;            // RFC 6655 §4

std::size_t cbcMinimum(const SSL_CIPHER* cipher) {
  const EVP_CIPHER* evp = EVP_get_cipherbynid(SSL_CIPHER_get_cipher_nid(cipher));
  const EVP_MD* md = EVP_get_digestbynid(SSL_CIPHER_get_digest_nid(cipher));
  const std::size_t block = evp ? static_cast<std::size_t>(EVP_CIPHER_get_block_size(evp)) : 16;
  const std::size_t mac = md ? static_cast<std::size_t>(EVP_MD_get_size(md)) : 0;
  // Explicit IV, then at least the MAC and one padding byte, rounded up to whole blocks
  // (encrypt-then-MAC needs at least as much: IV, one block, MAC).
  const std::size_t body = ((mac + 1 + block - 1) / block) * block;
  return block + body;
}

}  // namespace

std::size_t minEncryptedRecordBytes(const SSL_CIPHER* cipher) {
  if (cipher == nullptr) return 0;
  if (!SSL_CIPHER_is_aead(cipher)) return cbcMinimum(cipher);
  if (SSL_CIPHER_get_cipher_nid(cipher) == NID_chacha20_poly1305) return kAeadTagBytes;  // RFC 7905
  const std::string_view name = SSL_CIPHER_get_name(cipher);
  if (name.find("CCM8") != std::string_view::npos) return kAeadExplicitNonceBytes + kCcm8TagBytes;
  return kAeadExplicitNonceBytes + kAeadTagBytes;
}

std::string StrippedRecord::describe() const {
  const std::string where = "epoch " + std::to_string(epoch) + ", sequence " +
                            std::to_string(sequence) + ", " + std::to_string(length) + " bytes";
  if (!other_version) return "a record too short for the cipher (" + where + ")";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%04x", static_cast<unsigned>(version));
  return std::string("a record of another version (") + hex + "; " + where + ")";
}

std::size_t stripShortRecords(std::string_view datagram, std::size_t min_bytes, ByteArray* kept,
                              StrippedRecord* first_removed, std::uint16_t version) {
  const auto unsafe = [&](const wire::Record& r) {
    return (r.epoch >= 1 && r.length() < min_bytes) || (version != 0 && r.version != version);
  };
  if (min_bytes == 0 && version == 0) return 0;
  bool any = false;
  const wire::DecodeProblem framing =
      wire::scanRecords(datagram, [&](const wire::Record& r) { any = any || unsafe(r); });
  if (!framing.empty() || !any) return 0;

  std::size_t removed = 0;
  kept->clear();
  first_removed->all_handshake_leftovers = true;
  wire::scanRecords(datagram, [&](const wire::Record& r) {
    if (!unsafe(r)) {
      kept->append(datagram, r.offset, wire::kRecordHeaderBytes + r.length());
      return;
    }
    const bool leftover = r.epoch == 0 && (r.content_type == 22 || r.content_type == 20) &&
                          (r.version == 0xfeff || r.version == 0xfefd) && version != 0 &&
                          r.version != version;
    first_removed->all_handshake_leftovers = first_removed->all_handshake_leftovers && leftover;
    if (removed++ != 0) return;
    first_removed->other_version = version != 0 && r.version != version;
    first_removed->version = r.version;
    first_removed->epoch = r.epoch;
    first_removed->sequence = r.sequence_number;
    first_removed->length = r.length();
  });
  return removed;
}

}  // namespace dtls::detail
