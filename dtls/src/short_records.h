// Private: records too short to be ciphertext of the negotiated cipher.
//
// OpenSSL 3.0 treats an encrypted record shorter than the cipher's explicit nonce + tag (AEAD)
// or IV + one block (CBC) as an internal error and fails the connection with a fatal alert,
// instead of dropping it as DTLS requires for any record that does not authenticate (RFC 6347
// §4.1.2.7). One spoofed datagram of a few bytes would end any connection. The connection
// therefore strips such records before OpenSSL sees them. Found by fuzz_decrypt.
//
// Records of another protocol version are stripped too, once a connection is established.
// OpenSSL 3.0's dtls1_get_record "silently discards" such a record by consuming only its
// 13-byte header, then parses the record's body as the next records of the datagram: a short
// epoch-1 record hidden in the body of an epoch-0 record with version 0xfe00 reaches the AEAD
// check that the stripping above exists to avoid, and ends the connection. Also found by
// fuzz_decrypt (regressions/decrypt/foreign-version-*).
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "dtls/ssl.h"

namespace dtls::detail {

// The fewest bytes a record protected by `cipher` can have; 0 if unknown (null cipher).
std::size_t minEncryptedRecordBytes(const SSL_CIPHER* cipher);

// A record stripShortRecords removed, as numbers: garbage can arrive at line rate, and its
// text is only made when someone asks (describe()).
struct StrippedRecord {
  bool other_version = false;  // else: too short for the cipher
  // Every record removed was a plaintext handshake or ChangeCipherSpec record of a DTLS version
  // (0xfeff, 0xfefd): a late copy of the handshake (a HelloVerifyRequest, which servers send as
  // DTLS 1.0, or a ClientHello), which the network may deliver at any time. Dropped silently,
  // as OpenSSL drops a record of another version and as RFC 6347 §4.1.2.7 drops any invalid
  // record: an error for it would tell the application of nothing but the network's copies.
  bool all_handshake_leftovers = false;
  std::uint16_t version = 0;
  std::uint16_t epoch = 0;
  std::uint64_t sequence = 0;
  std::size_t length = 0;
  // "a record too short for the cipher (epoch 1, sequence 7, 3 bytes)", "a record of another
  // version (0xfe00; epoch 0, sequence 1, 65 bytes)".
  std::string describe() const;
};

// Copies `datagram` into `*kept` without its epoch >= 1 records shorter than `min_bytes` and,
// when `version` is not 0, without its records of any other version. Returns how many were
// removed (0: `*kept` is untouched and the caller uses `datagram`). `*first_removed` is the
// first of them. Datagrams whose framing is broken are left alone: the caller's framing check
// reports them.
std::size_t stripShortRecords(std::string_view datagram, std::size_t min_bytes, ByteArray* kept,
                              StrippedRecord* first_removed, std::uint16_t version = 0);

}  // namespace dtls::detail
