// GnutlsConnection: application data after the handshake (RFC 6347 §4.1).
#include <gnutls/dtls.h>

#include <utility>
#include <vector>

#include "dtls/wire/names.h"
#include "dtls/wire/record.h"
#include "gnutls_connection.h"
#include "gnutls_context.h"
#include "gnutls_random.h"
#include "short_records.h"

namespace dtls::detail {

namespace {

constexpr auto kApplicationData = static_cast<std::uint8_t>(wire::ContentType::ApplicationData);
constexpr std::uint16_t kDtls10Version = 0xfeff;  // RFC 4347 §4.1
constexpr std::uint16_t kDtls12Version = 0xfefd;  // RFC 6347 §4.1

bool readsOn(int ret) {
  // A warning alert (a no_renegotiation, say) does not end the read (RFC 5246 §7.2).
  return ret > 0 || ret == GNUTLS_E_WARNING_ALERT_RECEIVED || ret == GNUTLS_E_REHANDSHAKE;
}

}  // namespace

std::int64_t GnutlsConnection::writeEncrypted(DatagramSocket* socket, const ByteArray& datagram) {
  const CallScope scope(this);
  bind(socket, nullptr);
  const ssize_t written = gnutls_record_send(tls_->session, datagram.data(), datagram.size());
  unbind();
  if (written < 0) {
    fail(DtlsError::TlsFatalError,
         "writeDatagramEncrypted: " + describe(static_cast<int>(written)));
    return -1;
  }
  if (write_failed_) {
    fail(DtlsError::UnderlyingSocketError,
         "writeDatagramEncrypted: writing to the socket failed: " + write_error_);
    return -1;
  }
  clearError();
  return written;
}

// GnuTLS keeps application records that arrive before the handshake completes in its record
// buffer, and hands them out with the next read: read them now, so that each decryptDatagram()
// returns only its own datagram's records.
void GnutlsConnection::collectEarlyData(DatagramSocket* socket) {
  const CallScope scope(this);
  bind(socket, nullptr);
  char buffer[kMaxRecordPlaintext];
  std::size_t reads = 0;
  for (;;) {
    const ssize_t n = gnutls_record_recv(tls_->session, buffer, sizeof buffer);
    if (n <= 0) break;
    early_data.emplace_back(buffer, static_cast<std::size_t>(n));
    ++reads;
  }
  unbind();
  if (reads > 0) replay_.acceptIfAllRead(&early_records, reads);
  early_records.clear();
}

ByteArray GnutlsConnection::decrypt(DatagramSocket* socket, const ByteArray& input) {
  const CallScope scope(this);
  // Records of another version never reach GnuTLS, as they never reach OpenSSL
  // (short_records.h): they are not this connection's, and the caller learns why.
  ByteArray stripped;
  DroppedDatagram other_version;
  other_version.why = DroppedDatagram::Why::kStripped;
  const std::uint16_t version =
      gnutls_protocol_get_version(tls_->session) == GNUTLS_DTLS1_0 ? kDtls10Version
                                                                   : kDtls12Version;
  const bool had_stripped =
      stripShortRecords(input, 0, &stripped, &other_version.stripped, version) > 0;
  const ByteArray& datagram = had_stripped ? stripped : input;
  if (had_stripped && datagram.empty()) {
    failDropped(other_version);
    return {};
  }

  // Bytes that are not DTLS records never reach GnuTLS, which would drop them silently
  // (RFC 6347 §4.1.2.7); the caller learns why instead.
  std::vector<wire::Record> records;
  const wire::DecodeProblem framing_error =
      wire::scanRecords(datagram, [&](const wire::Record& record) { records.push_back(record); });
  if (!framing_error.empty()) {
    DroppedDatagram not_dtls;
    not_dtls.why = DroppedDatagram::Why::kNotDtls;
    not_dtls.bytes = datagram.size();
    not_dtls.framing = framing_error;
    failDropped(not_dtls);
    return {};
  }

  // As for the other backends: each record is handed over as a datagram of its own, so the
  // reads tell which records decrypted. GnuTLS drops a replay and a record that fails
  // authentication alike (both count in gnutls_record_get_discarded); the replay window tells
  // them apart.
  ByteArray plaintext;
  char buffer[kMaxRecordPlaintext];
  ssize_t last = GNUTLS_E_AGAIN;
  bool forged = false;
  DroppedDatagram forgery;
  forgery.why = DroppedDatagram::Why::kForged;
  bind(socket, nullptr);
  for (const wire::Record& record : records) {
    const ByteArray one = datagram.substr(record.offset, wire::kRecordHeaderBytes + record.length());
    incoming_ = &one;
    const unsigned discarded_before = gnutls_record_get_discarded(tls_->session);
    std::size_t reads = 0;
    for (;;) {
      last = gnutls_record_recv(tls_->session, buffer, sizeof buffer);
      if (!readsOn(static_cast<int>(last))) break;
      if (last > 0) {
        plaintext.append(buffer, static_cast<std::size_t>(last));
        ++reads;
      }
      if (incoming_ == nullptr && gnutls_record_check_pending(tls_->session) == 0) {
        last = GNUTLS_E_AGAIN;
        break;
      }
    }
    incoming_ = nullptr;
    if (last != GNUTLS_E_AGAIN && last != GNUTLS_E_INTERRUPTED) break;
    if (record.content_type != kApplicationData) continue;
    // An empty record that authenticated gives no read but is not discarded either.
    const bool authenticated = gnutls_record_get_discarded(tls_->session) == discarded_before;
    if (reads > 0 || authenticated) {
      replay_.accept(record.epoch, record.sequence_number);
    } else if (!forged && !replay_.seen(record.epoch, record.sequence_number)) {
      forged = true;
      forgery.epoch = record.epoch;
      forgery.sequence = record.sequence_number;
    }
  }
  unbind();

  if (last == 0) {
    resetTls();
    state = Connection::HandshakeNotStarted;
    fail(DtlsError::RemoteClosedConnectionError,
         "decryptDatagram: the peer closed the connection (close_notify)");
    return plaintext;
  }
  if (last == GNUTLS_E_FATAL_ALERT_RECEIVED) {
    const std::string why = describe(static_cast<int>(last));
    resetTls();
    state = Connection::HandshakeNotStarted;
    fail(DtlsError::TlsFatalError, "decryptDatagram: " + why);
    return plaintext;
  }
  if (last != GNUTLS_E_AGAIN && last != GNUTLS_E_INTERRUPTED) {
    fail(DtlsError::TlsNonFatalError, "decryptDatagram: " + describe(static_cast<int>(last)));
    return plaintext;
  }
  if (write_failed_) {
    fail(DtlsError::UnderlyingSocketError,
         "decryptDatagram: answering a retransmission failed: " + write_error_);
  } else if (plaintext.empty() && forged) {
    failDropped(forgery);
  } else if (plaintext.empty() && had_stripped) {
    failDropped(other_version);
  } else {
    clearError();
  }
  return plaintext;
}

}  // namespace dtls::detail
