// Test helper: seals DTLS 1.2 AES-GCM records with one side's write keys, derived from the
// handshake's secrets the way any decrypting observer (Wireshark with a key log) derives them.
// Tests use it to send what no OpenSSL peer writes, e.g. a zero-length application record
// (legal, RFC 5246 §6.2.1), and check it against records the real peer wrote.
#pragma once

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "dtls/ssl.h"
#include "dtls/wire/record.h"
#include "wire/wire_builder.h"

namespace dtls::test {

class RecordSealer {
 public:
  // `keylog_line`: the client's "CLIENT_RANDOM <client random> <master secret>" line (NSS key
  // log format); `server_random`: the 32 bytes of the ServerHello; `cipher_name`: the
  // negotiated OpenSSL cipher name (an AES-GCM suite); `client_side`: seal as the client (else
  // as the server). Empty if any of it cannot be used.
  static std::optional<RecordSealer> fromHandshake(const std::string& keylog_line,
                                                   std::string_view server_random,
                                                   const std::string& cipher_name,
                                                   bool client_side) {
    std::istringstream fields(keylog_line);
    std::string label, client_random_hex, master_hex;
    fields >> label >> client_random_hex >> master_hex;
    const std::string client_random = wire::testing::fromHex(client_random_hex);
    const std::string master = wire::testing::fromHex(master_hex);
    if (label != "CLIENT_RANDOM" || client_random.size() != 32 || master.size() != 48 ||
        server_random.size() != 32)
      return std::nullopt;
    std::size_t key_bytes = 0;
    const char* digest = nullptr;
    if (cipher_name.find("AES128-GCM-SHA256") != std::string::npos) {
      key_bytes = 16;
      digest = "SHA256";
    } else if (cipher_name.find("AES256-GCM-SHA384") != std::string::npos) {
      key_bytes = 32;
      digest = "SHA384";
    } else {
      return std::nullopt;
    }
    // RFC 5246 §6.3: key_block = PRF(master, "key expansion", server_random + client_random);
    // GCM suites have no MAC keys: client key, server key, client salt, server salt.
    std::string block(2 * key_bytes + 2 * kSaltBytes, '\0');
    const std::string seed = "key expansion" + std::string(server_random) + client_random;
    if (!prf(digest, master, seed, &block)) return std::nullopt;
    RecordSealer sealer;
    sealer.key_bytes_ = key_bytes;
    sealer.key_ = block.substr(client_side ? 0 : key_bytes, key_bytes);
    sealer.salt_ = block.substr(2 * key_bytes + (client_side ? 0 : kSaltBytes), kSaltBytes);
    return sealer;
  }

  // One record: header, an 8-byte explicit nonce, the ciphertext of `plaintext`, the tag.
  ByteArray seal(std::uint8_t content_type, std::uint16_t epoch, std::uint64_t sequence,
                 std::string_view plaintext) const {
    const std::size_t length = kExplicitNonceBytes + plaintext.size() + kTagBytes;
    ByteArray record;
    record.push_back(static_cast<char>(content_type));
    appendBigEndian(&record, 0xfefd, 2);  // DTLS 1.2
    appendBigEndian(&record, epoch, 2);
    appendBigEndian(&record, sequence, 6);
    appendBigEndian(&record, length, 2);
    // Any explicit nonce works once per key; the sequence number is one.
    ByteArray explicit_nonce;
    appendBigEndian(&explicit_nonce, (std::uint64_t{epoch} << 48) | sequence, 8);
    // RFC 5246 §6.2.3.3: additional data = seq_num + type + version + plaintext length.
    ByteArray aad = record.substr(3, 8) + record.substr(0, 3);
    appendBigEndian(&aad, plaintext.size(), 2);
    const ByteArray nonce = salt_ + explicit_nonce;

    ByteArray sealed(plaintext.size() + kTagBytes, '\0');
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    bool ok = ctx != nullptr &&
              EVP_EncryptInit_ex(ctx, key_bytes_ == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm(),
                                 nullptr, bytes(key_), bytes(nonce)) == 1 &&
              EVP_EncryptUpdate(ctx, nullptr, &n, bytes(aad), static_cast<int>(aad.size())) == 1;
    if (ok && !plaintext.empty())
      ok = EVP_EncryptUpdate(ctx, writable(&sealed), &n, bytes(plaintext),
                             static_cast<int>(plaintext.size())) == 1;
    ok = ok && EVP_EncryptFinal_ex(ctx, writable(&sealed) + plaintext.size(), &n) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes,
                             writable(&sealed) + plaintext.size()) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? record + explicit_nonce + sealed : ByteArray();
  }

  // The 32-byte random of the first ServerHello in `datagram`, if it carries one.
  static std::optional<std::string> serverRandom(const ByteArray& datagram) {
    for (const auto& record : wire::decodeDatagram(datagram).records)
      for (const auto& m : record.handshake_messages)
        if (m.msg_type == 2 && m.fragment_offset == 0 && m.body.size() >= 2 + 32)
          return std::string(m.body.substr(2, 32));  // after server_version
    return std::nullopt;
  }

 private:
  static constexpr std::size_t kSaltBytes = 4;
  static constexpr std::size_t kExplicitNonceBytes = 8;
  static constexpr int kTagBytes = 16;

  static const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
  }
  static unsigned char* writable(ByteArray* s) { return reinterpret_cast<unsigned char*>(s->data()); }

  static void appendBigEndian(ByteArray* out, std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) out->push_back(static_cast<char>(value >> (8 * i)));
  }

  static bool prf(const char* digest, const std::string& secret, const std::string& seed,
                  std::string* out) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
    EVP_KDF_CTX* ctx = kdf == nullptr ? nullptr : EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (ctx == nullptr) return false;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
                                          const_cast<char*>(secret.data()), secret.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, const_cast<char*>(seed.data()),
                                          seed.size()),
        OSSL_PARAM_construct_end()};
    const bool ok = EVP_KDF_derive(ctx, writable(out), out->size(), params) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok;
  }

  std::size_t key_bytes_ = 0;
  ByteArray key_;
  ByteArray salt_;
};

}  // namespace dtls::test
