// dtls/ssl.h — the enums of the QSsl namespace, QSslSocket and QDtls, with the reference's names
// and values, plus the byte-string type every API uses.
//
// A Qt user maps `QSsl::DtlsV1_2OrLater` to `dtls::SslProtocol::DtlsV1_2OrLater`; the numeric
// values are Qt's, so values stored or logged by a Qt application mean the same here.
#pragma once

#include <cstdint>
#include <string>

namespace dtls {

// Binary-safe bytes (the role of QByteArray): datagrams, DER, keys, tickets, ALPN names.
using ByteArray = std::string;

// QSsl::SslProtocol. The *V1_0 and *V1_1 values are deprecated in the reference and kept for
// mapping; OpenSSL 3.0's default security level refuses DTLS 1.0 (see docs/api-mapping.md).
enum class SslProtocol : int {
  TlsV1_0 = 0,  // deprecated
  TlsV1_1 = 1,  // deprecated
  TlsV1_2 = 2,
  AnyProtocol = 3,
  SecureProtocols = 4,
  TlsV1_0OrLater = 5,  // deprecated
  TlsV1_1OrLater = 6,  // deprecated
  TlsV1_2OrLater = 7,
  DtlsV1_0 = 8,         // deprecated
  DtlsV1_0OrLater = 9,  // deprecated
  DtlsV1_2 = 10,
  DtlsV1_2OrLater = 11,
  TlsV1_3 = 12,
  TlsV1_3OrLater = 13,
  UnknownProtocol = -1,
};

// QSsl::SslOption: bit flags for compatibility options.
enum class SslOption : unsigned {
  SslOptionDisableEmptyFragments = 0x01,
  SslOptionDisableSessionTickets = 0x02,
  SslOptionDisableCompression = 0x04,
  SslOptionDisableServerNameIndication = 0x08,
  SslOptionDisableLegacyRenegotiation = 0x10,
  SslOptionDisableSessionSharing = 0x20,
  SslOptionDisableSessionPersistence = 0x40,
  SslOptionDisableServerCipherPreference = 0x80,
};

// QSsl::EncodingFormat.
enum class EncodingFormat : int { Pem = 0, Der = 1 };

// QSsl::KeyAlgorithm.
enum class KeyAlgorithm : int { Opaque = 0, Rsa = 1, Dsa = 2, Ec = 3, Dh = 4 };

// QSsl::KeyType.
enum class KeyType : int { PrivateKey = 0, PublicKey = 1 };

// QSsl::AlternativeNameEntryType.
enum class AlternativeNameEntryType : int { EmailEntry = 0, DnsEntry = 1, IpAddressEntry = 2 };

// QSslSocket::PeerVerifyMode. AutoVerifyPeer means VerifyPeer for clients, QueryPeer for servers.
enum class PeerVerifyMode : int { VerifyNone = 0, QueryPeer = 1, VerifyPeer = 2, AutoVerifyPeer = 3 };

// QSslSocket::SslMode.
enum class SslMode : int { UnencryptedMode = 0, SslClientMode = 1, SslServerMode = 2 };

// QDtlsError: what the last failed Connection / ClientVerifier call ran into.
enum class DtlsError : int {
  NoError = 0,
  InvalidInputParameters = 1,       // a bad argument: null socket, bad address, empty datagram
  InvalidOperation = 2,             // a call in the wrong state
  UnderlyingSocketError = 3,        // the DatagramSocket port reported an error
  RemoteClosedConnectionError = 4,  // the peer sent close_notify
  PeerVerificationError = 5,        // the peer's identity could not be established
  TlsInitializationError = 6,       // the configuration could not be applied to OpenSSL
  TlsFatalError = 7,                // the handshake or connection failed for good
  TlsNonFatalError = 8,             // a bad record was dropped; the connection goes on
};

// Human-readable name of each enum value ("DtlsV1_2OrLater"), for messages and traces.
const char* toString(SslProtocol protocol);
const char* toString(DtlsError error);
const char* toString(PeerVerifyMode mode);
const char* toString(SslMode mode);

}  // namespace dtls
