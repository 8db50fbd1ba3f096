// MbedtlsConnection: application data after the handshake (RFC 6347 §4.1).
#include <utility>

#include "dtls/wire/names.h"
#include "dtls/wire/record.h"
#include "mbed_connection.h"
#include "mbed_context.h"

namespace dtls::detail {

namespace {

constexpr auto kApplicationData = static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
constexpr std::uint16_t kDtls10Version = 0xfeff;  // RFC 4347 §4.1
constexpr std::uint16_t kDtls12Version = 0xfefd;  // RFC 6347 §4.1

}  // namespace

std::int64_t MbedtlsConnection::writeEncrypted(DatagramSocket* socket, std::string_view datagram) {
  bind(socket, nullptr);
  const int written = mbedtls_ssl_write(
      &tls_->ssl, reinterpret_cast<const unsigned char*>(datagram.data()), datagram.size());
  unbind();
  return finishWrite(written, datagram.size(), 0, written < 0 ? describe(written) : std::string(),
                     write_failed_, write_error_);
}

// mbedTLS discards the application records that reach it before the handshake completes: it
// keeps one record of the next epoch, and only a handshake record, the Finished (ssl_msg.c
// ssl_buffer_future_record). But records behind the Finished in its own datagram are still in
// its input buffer when the handshake ends, and the next read would hand them out: read them
// now, so that each decryptDatagram() returns only its own datagram's records.
void MbedtlsConnection::collectEarlyData(DatagramSocket* socket) {
  bind(socket, nullptr);
  unsigned char buffer[kMaxRecordPlaintext];
  std::size_t reads = 0;
  for (;;) {
    const int n = mbedtls_ssl_read(&tls_->ssl, buffer, sizeof buffer);
    if (n < 0) break;
    if (n > 0) early_data.emplace_back(reinterpret_cast<const char*>(buffer), n);
    ++reads;
    if (n == 0) break;
  }
  unbind();
  if (reads > 0) replay_.acceptIfAllRead(&early_records, reads);
  early_records.clear();
}

void MbedtlsConnection::decrypt(DatagramSocket* socket, std::string_view input, ByteArray* out) {
  // Records of another version never reach mbedTLS, as they never reach OpenSSL
  // (short_records.h): they are not this connection's, and the caller learns why.
  const std::uint16_t version =
      tls_->ssl.minor_ver == MBEDTLS_SSL_MINOR_VERSION_2 ? kDtls10Version : kDtls12Version;
  if (!frameIncoming(input, 0, version)) return;
  const std::string_view datagram = incomingDatagram(input);

  // As for OpenSSL (openssl_connection_data.cpp): each record is handed over as a datagram of its
  // own, so the reads tell which records decrypted. mbedTLS drops a replay and a record that
  // fails authentication alike; the replay window tells them apart.
  ByteArray& plaintext = *out;
  unsigned char buffer[kMaxRecordPlaintext];
  int last = MBEDTLS_ERR_SSL_WANT_READ;
  bind(socket, nullptr);
  for (const IncomingRecord& record : incoming_records_) {
    const ByteArray one(datagram.substr(record.offset, record.bytes));
    incoming_ = &one;
    // mbedTLS says nothing of a zero-length record it accepted (it reads on); its anti-replay
    // window moving does.
    const auto window_before = std::make_pair(tls_->ssl.in_window_top, tls_->ssl.in_window);
    std::size_t reads = 0;
    for (;;) {
      last = mbedtls_ssl_read(&tls_->ssl, buffer, sizeof buffer);
      if (last < 0) break;
      plaintext.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(last));
      ++reads;
      if (incoming_ == nullptr && mbedtls_ssl_check_pending(&tls_->ssl) == 0) {
        last = MBEDTLS_ERR_SSL_WANT_READ;
        break;
      }
    }
    incoming_ = nullptr;
    if (last != MBEDTLS_ERR_SSL_WANT_READ && last != MBEDTLS_ERR_SSL_WANT_WRITE) break;
    if (record.content_type != kApplicationData) continue;
    const bool authenticated =
        std::make_pair(tls_->ssl.in_window_top, tls_->ssl.in_window) != window_before;
    noteIncomingRecord(record, reads > 0 || authenticated);
  }
  unbind();

  if (last == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
    endedByPeer(DtlsError::RemoteClosedConnectionError,
                "decryptDatagram: the peer closed the connection (close_notify)");
    return;
  }
  if (last == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
    endedByPeer(DtlsError::TlsFatalError, "decryptDatagram: " + describe(last));
    return;
  }
  if (last != MBEDTLS_ERR_SSL_WANT_READ && last != MBEDTLS_ERR_SSL_WANT_WRITE) {
    fail(DtlsError::TlsNonFatalError, "decryptDatagram: " + describe(last));
    return;
  }
  finishIncoming(!plaintext.empty(), write_failed_, write_error_);
}

}  // namespace dtls::detail
