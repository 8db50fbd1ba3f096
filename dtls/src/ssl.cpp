#include "dtls/ssl.h"

namespace dtls {

const char* toString(SslProtocol protocol) {
  switch (protocol) {
    case SslProtocol::TlsV1_0: return "TlsV1_0";
    case SslProtocol::TlsV1_1: return "TlsV1_1";
    case SslProtocol::TlsV1_2: return "TlsV1_2";
    case SslProtocol::AnyProtocol: return "AnyProtocol";
    case SslProtocol::SecureProtocols: return "SecureProtocols";
    case SslProtocol::TlsV1_0OrLater: return "TlsV1_0OrLater";
    case SslProtocol::TlsV1_1OrLater: return "TlsV1_1OrLater";
    case SslProtocol::TlsV1_2OrLater: return "TlsV1_2OrLater";
    case SslProtocol::DtlsV1_0: return "DtlsV1_0";
    case SslProtocol::DtlsV1_0OrLater: return "DtlsV1_0OrLater";
    case SslProtocol::DtlsV1_2: return "DtlsV1_2";
    case SslProtocol::DtlsV1_2OrLater: return "DtlsV1_2OrLater";
    case SslProtocol::TlsV1_3: return "TlsV1_3";
    case SslProtocol::TlsV1_3OrLater: return "TlsV1_3OrLater";
    case SslProtocol::UnknownProtocol: return "UnknownProtocol";
  }
  return "UnknownProtocol";
}

const char* toString(DtlsError error) {
  switch (error) {
    case DtlsError::NoError: return "NoError";
    case DtlsError::InvalidInputParameters: return "InvalidInputParameters";
    case DtlsError::InvalidOperation: return "InvalidOperation";
    case DtlsError::UnderlyingSocketError: return "UnderlyingSocketError";
    case DtlsError::RemoteClosedConnectionError: return "RemoteClosedConnectionError";
    case DtlsError::PeerVerificationError: return "PeerVerificationError";
    case DtlsError::TlsInitializationError: return "TlsInitializationError";
    case DtlsError::TlsFatalError: return "TlsFatalError";
    case DtlsError::TlsNonFatalError: return "TlsNonFatalError";
  }
  return "UnknownError";
}

const char* toString(PeerVerifyMode mode) {
  switch (mode) {
    case PeerVerifyMode::VerifyNone: return "VerifyNone";
    case PeerVerifyMode::QueryPeer: return "QueryPeer";
    case PeerVerifyMode::VerifyPeer: return "VerifyPeer";
    case PeerVerifyMode::AutoVerifyPeer: return "AutoVerifyPeer";
  }
  return "UnknownVerifyMode";
}

const char* toString(SslMode mode) {
  switch (mode) {
    case SslMode::UnencryptedMode: return "UnencryptedMode";
    case SslMode::SslClientMode: return "SslClientMode";
    case SslMode::SslServerMode: return "SslServerMode";
  }
  return "UnknownMode";
}

}  // namespace dtls
