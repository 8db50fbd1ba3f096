// WolfsslConnection: application data after the handshake (RFC 6347 §4.1).
#include "dtls/wire/names.h"
#include "short_records.h"
#include "supported.h"
#include "wolf_connection.h"

namespace dtls::detail {

namespace {

constexpr auto kApplicationData = static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
constexpr std::uint16_t kDtls10Version = 0xfeff;  // RFC 4347 §4.1
constexpr std::uint16_t kDtls12Version = 0xfefd;  // RFC 6347 §4.1
constexpr std::size_t kRecordHeaderBytes = 13;      // RFC 6347 §4.1

}  // namespace

std::int64_t WolfsslConnection::writeEncrypted(DatagramSocket* socket, std::string_view datagram) {
  bind(socket, nullptr);
  const int written = tls_->write(reinterpret_cast<const unsigned char*>(datagram.data()),
                                  datagram.size());
  unbind();
  // wolfSSL refuses a record that does not fit its 1400-byte datagram (DTLS_SIZE_ERROR).
  const bool too_large = written < 0 && tls_->lastWriteTooLarge();
  return finishWrite(written, datagram.size(), too_large ? tls_->maxPlaintext() : 0,
                     written < 0 ? tls_->lastError() : std::string(), write_failed_,
                     write_error_);
}

// Records behind the Finished in its own datagram are still in wolfSSL's input buffer when the
// handshake ends, and the next read would hand them out: read them now, so that each
// decryptDatagram() returns only its own datagram's records.
void WolfsslConnection::collectEarlyData(DatagramSocket* socket) {
  bind(socket, nullptr);
  unsigned char buffer[kMaxRecordPlaintext];
  std::size_t reads = 0;
  for (;;) {
    int n = 0;
    if (tls_->read(buffer, sizeof buffer, &n) != wolf::Tls::Result::kDone) break;
    early_data.emplace_back(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
    ++reads;
  }
  unbind();
  if (reads > 0) replay_.acceptIfAllRead(&early_records, reads);
  early_records.clear();
}

void WolfsslConnection::decrypt(DatagramSocket* socket, std::string_view input, ByteArray* out) {
  // Records of another version never reach wolfSSL, as they never reach OpenSSL
  // (short_records.h): they are not this connection's, and the caller learns why. Nor do
  // records too short for the cipher: wolfSSL 5.5.4's SanityCheckCipherText (src/internal.c)
  // fails the connection for good on one, as OpenSSL 3.0 does, where RFC 6347 §4.1.2.7 says to
  // drop it.
  if (tls_->cipherSuite() != min_suite_) {
    min_suite_ = tls_->cipherSuite();
    min_record_bytes_ = minEncryptedRecordBytes(dtlsSslCipherOfSuiteId(min_suite_));
  }
  if (!frameIncoming(input, min_record_bytes_,
                     tls_->isDtls10() ? kDtls10Version : kDtls12Version))
    return;
  const std::string_view datagram = incomingDatagram(input);

  // As for OpenSSL and mbedTLS: each record is handed over as a datagram of its own, so the
  // reads tell which records decrypted. wolfSSL drops a replay and a record that fails
  // authentication alike (RFC 6347 §4.1.2.7); the replay window tells them apart.
  ByteArray& plaintext = *out;
  unsigned char buffer[kMaxRecordPlaintext];
  using Result = wolf::Tls::Result;
  Result last = Result::kWantRead;
  bind(socket, nullptr);
  for (const IncomingRecord& record : incoming_records_) {
    const ByteArray one(datagram.substr(record.offset, record.bytes));
    incoming_ = &one;
    std::size_t reads = 0;
    for (;;) {
      int n = 0;
      last = tls_->read(buffer, sizeof buffer, &n);
      if (last != Result::kDone) break;
      plaintext.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
      ++reads;
    }
    incoming_ = nullptr;
    if (last != Result::kWantRead) break;
    if (record.content_type != kApplicationData) continue;
    // An authenticated empty record (legal, RFC 5246 §6.2.1) and a forgery of the same size
    // both give no read, and wolfSSL's replay window, which would tell them apart, is private
    // (mbedTLS's and GnuTLS's are not): such a record is dropped without a word either way.
    if (reads == 0 && record.bytes == kRecordHeaderBytes + min_record_bytes_) continue;
    noteIncomingRecord(record, reads > 0);
  }
  const bool write_failed = write_failed_;
  const std::string write_error = write_error_;
  unbind();

  if (last == Result::kClosed) {
    endedByPeer(DtlsError::RemoteClosedConnectionError,
                "decryptDatagram: the peer closed the connection (close_notify)");
    return;
  }
  if (last == Result::kFatalAlert) {
    endedByPeer(DtlsError::TlsFatalError, "decryptDatagram: " + tls_->lastError());
    return;
  }
  if (last != Result::kWantRead) {
    fail(DtlsError::TlsNonFatalError, "decryptDatagram: " + tls_->lastError());
    return;
  }
  finishIncoming(!plaintext.empty(), write_failed, write_error);
}

}  // namespace dtls::detail
