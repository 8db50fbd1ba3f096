// OpensslConnection: application data after the handshake (RFC 6347 §4.1).
#include <openssl/err.h>

#include <algorithm>

#include "openssl_connection.h"
#include "short_records.h"
#include "dtls/wire/names.h"
#include "dtls/wire/record.h"

namespace dtls::detail {

namespace {

constexpr auto kApplicationData = static_cast<std::uint8_t>(wire::ContentType::ApplicationData);

// ERR_clear_error() resets all 16 slots of the thread's error queue even when it is empty, which
// cost about a fifth of a 1 KiB round trip (bench_dtls); peeking first is several times cheaper,
// and the queue is almost always empty on the data path.
void clearOpenSslErrors() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

}  // namespace

// ---- Writing --------------------------------------------------------------------------------

std::int64_t OpensslConnection::writeEncrypted(DatagramSocket* socket, std::string_view datagram) {
  clearOpenSslErrors();
  channel.bind(socket, nullptr);
  const int written = SSL_write(ssl_.get(), datagram.data(), static_cast<int>(datagram.size()));
  channel.unbind();
  if (written <= 0) {
    fail(DtlsError::TlsFatalError, "writeDatagramEncrypted: " + describeFailure());
    return -1;
  }
  if (channel.write_failed) {
    fail(DtlsError::UnderlyingSocketError,
         "writeDatagramEncrypted: writing to the socket failed: " + channel.write_error);
    return -1;
  }
  clearError();
  return written;
}

// ---- Reading --------------------------------------------------------------------------------

// OpenSSL keeps application records that arrive during the handshake (from the next epoch,
// before the peer's CCS and Finished) and hands them out at the next SSL_read, ahead of the
// record that read is for: read them now, one payload each, so that each decryptDatagram()
// returns only its own datagram's records. No datagram is bound: only what OpenSSL holds is
// read, and the loop ends at "want read".
void OpensslConnection::collectEarlyData(DatagramSocket* socket) {
  channel.bind(socket, nullptr);
  char buffer[kMaxRecordPlaintext];
  std::size_t reads = 0;
  std::size_t n = 0;
  // OpenSSL never hands out a buffered zero-length record (it reads on), so one among the early
  // records leaves fewer reads than records and none is noted; the guard keeps empty payloads
  // out of takePendingDatagrams all the same.
  while (SSL_read_ex(ssl_.get(), buffer, sizeof buffer, &n) == 1) {
    if (n > 0) early_data.emplace_back(buffer, n);
    ++reads;
  }
  channel.unbind();
  ERR_clear_error();
  if (reads > 0) replay_.acceptIfAllRead(&early_records, reads);
  early_records.clear();
}

void OpensslConnection::decrypt(DatagramSocket* socket, std::string_view input,
                                ByteArray* out) {
  // Ciphertext too short for the cipher, and records of another version, never reach OpenSSL
  // (see short_records.h).
  const int version = SSL_version(ssl_.get());
  // Recomputed only when the cipher changes (a renegotiation); SSL_CIPHERs are static tables.
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  if (cipher != min_record_cipher_) {
    min_record_cipher_ = cipher;
    min_record_bytes_ = minEncryptedRecordBytes(cipher);
  }
  if (!frameIncoming(input, min_record_bytes_,
                     version == DTLS1_2_VERSION || version == DTLS1_VERSION
                         ? static_cast<std::uint16_t>(version)
                         : 0))
    return;
  const std::string_view datagram = incomingDatagram(input);

  // OpenSSL takes the records of a datagram one at a time, and its reads do not say which
  // record they came from. Handed each record as a datagram of its own, it processes them as
  // before (but for a datagram larger than its 16 KiB read buffer, whose tail it used to cut
  // off), and the reads tell which records decrypted (noteIncomingRecord).
  clearOpenSslErrors();
  channel.bind(socket, nullptr);
  ByteArray& plaintext = *out;
  char buffer[kMaxRecordPlaintext];
  int ssl_error = SSL_ERROR_WANT_READ;
  const std::string_view bytes = datagram;
  for (const IncomingRecord& record : incoming_records_) {
    channel.feed(bytes.substr(record.offset, record.bytes));
    int ret = 0;
    // Reads of this record: those during which OpenSSL took it from the BIO. A read that did
    // not came from records OpenSSL held (application data that arrived during a renegotiation
    // the peer started), and says nothing about this one.
    std::size_t reads = 0;
    std::size_t n = 0;
    // SSL_read_ex, not SSL_read: a zero-length application record (legal, RFC 5246 §6.2.1) is
    // a successful read of 0 bytes, which SSL_read reports as 0 like a failure. A record's
    // plaintext comes out of one read (the buffer holds the largest); once OpenSSL has taken
    // the record and holds nothing else, a further read could only report "want read": skip it.
    for (;;) {
      const bool unread = !channel.incoming_consumed;
      ret = SSL_read_ex(ssl_.get(), buffer, sizeof buffer, &n);
      if (ret != 1) break;
      plaintext.append(buffer, n);
      if (unread && channel.incoming_consumed) ++reads;
      if (channel.incoming_consumed && !SSL_has_pending(ssl_.get())) break;
    }
    // After the skipped read, what SSL_get_error would have said: an error left in the queue
    // is SSL_ERROR_SSL, else "want read".
    ssl_error = ret == 1 ? (ERR_peek_error() != 0 ? SSL_ERROR_SSL : SSL_ERROR_WANT_READ)
                         : SSL_get_error(ssl_.get(), ret);
    if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE) break;
    if (record.content_type == kApplicationData) noteIncomingRecord(record, reads > 0);
  }
  channel.unbind();

  if (ssl_error == SSL_ERROR_ZERO_RETURN) {
    endedByPeer(DtlsError::RemoteClosedConnectionError,
                "decryptDatagram: the peer closed the connection (close_notify)");
    return;
  }
  if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE) {
    if (fatal_alert_received_)
      endedByPeer(DtlsError::TlsFatalError, "decryptDatagram: the peer sent " + last_alert_received_);
    else
      fail(DtlsError::TlsNonFatalError, "decryptDatagram: " + describeFailure());
    return;
  }
  // No ERR_clear_error here: "want read" means the error queue is empty (SSL_get_error
  // reports SSL_ERROR_SSL otherwise).
  finishIncoming(!plaintext.empty(), channel.write_failed, channel.write_error);
}

}  // namespace dtls::detail
