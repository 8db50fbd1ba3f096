// GnutlsConnection: application data after the handshake (RFC 6347 §4.1).
#include <gnutls/dtls.h>

#include <string>
#include <utility>

#include "dtls/wire/names.h"
#include "dtls/wire/record.h"
#include "gnutls_connection.h"
#include "gnutls_context.h"
#include "gnutls_random.h"

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

std::int64_t GnutlsConnection::writeEncrypted(DatagramSocket* socket, std::string_view datagram) {
  const CallScope scope(this);
  bind(socket, nullptr);
  const ssize_t written = gnutls_record_send(tls_->session, datagram.data(), datagram.size());
  unbind();
  // GnuTLS 3.7 caps a DTLS record at 16384 bytes with its header and expansion
  // (gnutls_dtls_set_mtu takes at most DEFAULT_MAX_RECORD_SIZE), below RFC 6347's 2^14 bytes of
  // plaintext: the caller learns the room there is, as for an MTU.
  const std::size_t room = written == GNUTLS_E_LARGE_PACKET
                               ? static_cast<std::size_t>(gnutls_dtls_get_data_mtu(tls_->session))
                               : 0;
  return finishWrite(written, datagram.size(), room,
                     written < 0 ? describe(static_cast<int>(written)) : std::string(),
                     write_failed_, write_error_);
}

// GnuTLS keeps application records that arrive before the handshake completes in its record
// buffer, and hands them out with the next read: read them now, so that each decryptDatagram()
// returns only its own datagram's records.
void GnutlsConnection::collectEarlyData(DatagramSocket* socket) {
  const CallScope scope(this);
  // The records that followed the last handshake record in its datagram (doHandshake).
  const ByteArray rest = std::move(after_handshake_);
  after_handshake_.clear();
  bind(socket, rest.empty() ? nullptr : &rest);
  char buffer[kMaxRecordPlaintext];
  std::size_t reads = 0;
  for (;;) {
    const std::size_t offset_before = incoming_offset_;
    const bool had_pending = gnutls_record_check_pending(tls_->session) > 0;
    const ssize_t n = gnutls_record_recv(tls_->session, buffer, sizeof buffer);
    if (n > 0) {
      early_data.emplace_back(buffer, static_cast<std::size_t>(n));
      ++reads;
      continue;
    }
    if (n != GNUTLS_E_AGAIN || incoming_ == nullptr) break;
    // A record that gave nothing (a copy of the peer's last flight), or a stale buffered one
    // GnuTLS discarded without pulling: read on while one is left.
    if (incoming_offset_ == offset_before && !had_pending) break;
  }
  unbind();
  if (reads > 0) replay_.acceptIfAllRead(&early_records, reads);
  early_records.clear();
}

void GnutlsConnection::decrypt(DatagramSocket* socket, std::string_view input, ByteArray* out) {
  const CallScope scope(this);
  // Records of another version never reach GnuTLS, as they never reach OpenSSL
  // (short_records.h): they are not this connection's, and the caller learns why.
  const std::uint16_t version =
      gnutls_protocol_get_version(tls_->session) == GNUTLS_DTLS1_0 ? kDtls10Version
                                                                   : kDtls12Version;
  if (!frameIncoming(input, 0, version)) return;
  const std::string_view datagram = incomingDatagram(input);

  // As for the other backends: each record is handed over as a datagram of its own, so the
  // reads tell which records decrypted. GnuTLS drops a replay and a record that fails
  // authentication alike (both count in gnutls_record_get_discarded); the replay window tells
  // them apart.
  ByteArray& plaintext = *out;
  char buffer[kMaxRecordPlaintext];
  ssize_t last = GNUTLS_E_AGAIN;
  bind(socket, nullptr);
  for (const IncomingRecord& record : incoming_records_) {
    const ByteArray one(datagram.substr(record.offset, record.bytes));
    incoming_ = &one;
    incoming_offset_ = 0;
    const unsigned discarded_before = gnutls_record_get_discarded(tls_->session);
    std::size_t reads = 0;
    for (;;) {
      const bool had_pending = gnutls_record_check_pending(tls_->session) > 0;
      last = gnutls_record_recv(tls_->session, buffer, sizeof buffer);
      // GnuTLS serves its record buffer before pulling: a CCS of an earlier, incomplete copy of
      // the peer's final flight that is still buffered there is discarded with GNUTLS_E_AGAIN
      // and no pull, so this record is still unread (finding 019 was this record lost). Each
      // such call discards one buffered record, so the loop ends.
      if (last == GNUTLS_E_AGAIN && had_pending && incoming_ == &one && incoming_offset_ == 0)
        continue;
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
    noteIncomingRecord(record,
                       reads > 0 || gnutls_record_get_discarded(tls_->session) == discarded_before);
  }
  unbind();

  if (last == 0) {
    endedByPeer(DtlsError::RemoteClosedConnectionError,
                "decryptDatagram: the peer closed the connection (close_notify)");
    return;
  }
  if (last == GNUTLS_E_FATAL_ALERT_RECEIVED) {
    endedByPeer(DtlsError::TlsFatalError, "decryptDatagram: " + describe(static_cast<int>(last)));
    return;
  }
  if (last != GNUTLS_E_AGAIN && last != GNUTLS_E_INTERRUPTED) {
    fail(DtlsError::TlsNonFatalError, "decryptDatagram: " + describe(static_cast<int>(last)));
    return;
  }
  finishIncoming(!plaintext.empty(), write_failed_, write_error_);
}

}  // namespace dtls::detail
