// Private: records too short to be ciphertext of the negotiated cipher.
//
// OpenSSL 3.0 treats an encrypted record shorter than the cipher's explicit nonce + tag (AEAD)
// or IV + one block (CBC) as an internal error and fails the connection with a fatal alert,
// instead of dropping it as DTLS requires for any record that does not authenticate (RFC 6347
// §4.1.2.7). One spoofed datagram of a few bytes would end any connection. The connection
// therefore strips such records before OpenSSL sees them. Found by fuzz_decrypt.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <string>

#include "dtls/ssl.h"

namespace dtls::detail {

// The fewest bytes a record protected by `cipher` can have; 0 if unknown (null cipher).
std::size_t minEncryptedRecordBytes(const SSL_CIPHER* cipher);

// Copies `datagram` into `*kept` without its epoch >= 1 records shorter than `min_bytes`.
// Returns how many were removed (0: `*kept` is untouched and the caller uses `datagram`).
// `*first_removed` describes the first one ("epoch 1, sequence 7, 3 bytes"). Datagrams whose
// framing is broken are left alone: the caller's framing check reports them.
std::size_t stripShortRecords(const ByteArray& datagram, std::size_t min_bytes, ByteArray* kept,
                              std::string* first_removed);

}  // namespace dtls::detail
