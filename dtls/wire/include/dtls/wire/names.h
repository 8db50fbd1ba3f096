// dtls/wire/names.h — the numbers on the wire of DTLS 1.0/1.2 and their names.
//
// Values are those of the IANA TLS registries as used by DTLS (RFC 6347 §4.1, §4.2.2, §4.3.2;
// RFC 5246 §6.2.1, §7.2, §7.4; RFC 6520 for heartbeat). The decoder keeps the raw byte in its
// structs (an unknown value is not an error); these enums name the known ones. The names of
// one-byte values are views of static storage (no allocation: every datagram of a run and every
// fuzz input is labelled with them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dtls::wire {

// ContentType, RFC 5246 §6.2.1 (+ heartbeat, RFC 6520 §3).
enum class ContentType : std::uint8_t {
  ChangeCipherSpec = 20,
  Alert = 21,
  Handshake = 22,
  ApplicationData = 23,
  Heartbeat = 24,
};

// HandshakeType, RFC 5246 §7.4 and RFC 6347 §4.3.2 (hello_verify_request), RFC 5077 §3.3
// (new_session_ticket), RFC 6066 §8 (certificate_status).
enum class HandshakeType : std::uint8_t {
  HelloRequest = 0,
  ClientHello = 1,
  ServerHello = 2,
  HelloVerifyRequest = 3,
  NewSessionTicket = 4,
  Certificate = 11,
  ServerKeyExchange = 12,
  CertificateRequest = 13,
  ServerHelloDone = 14,
  CertificateVerify = 15,
  ClientKeyExchange = 16,
  Finished = 20,
  CertificateStatus = 22,
};

// AlertLevel, RFC 5246 §7.2.
enum class AlertLevel : std::uint8_t { Warning = 1, Fatal = 2 };

// The AlertDescription values with a name here (RFC 5246 §7.2, RFC 6066 §9, RFC 7301 §3.2,
// RFC 7507 §2, RFC 4279 §2); others are decoded and printed as "unknown(N)".
enum class AlertDescription : std::uint8_t {
  CloseNotify = 0,
  UnexpectedMessage = 10,
  BadRecordMac = 20,
  HandshakeFailure = 40,
  BadCertificate = 42,
  CertificateExpired = 45,
  IllegalParameter = 47,
  UnknownCa = 48,
  DecodeError = 50,
  DecryptError = 51,
  ProtocolVersion = 70,
  InternalError = 80,
  NoApplicationProtocol = 120,
};

// ProtocolVersion on the wire, RFC 6347 §4.1: the one's complement of the TLS version.
inline constexpr std::uint16_t kDtls1_0Version = 0xfeff;
inline constexpr std::uint16_t kDtls1_2Version = 0xfefd;
// The major byte every DTLS version shares; a record with another is not DTLS.
inline constexpr std::uint8_t kDtlsMajorVersion = 0xfe;

// "change_cipher_spec", "alert", "handshake", "application_data", "heartbeat"; unknown values
// give "unknown(N)". The RFC's spelling, stable: traces and fault rules store it.
std::string_view contentTypeName(std::uint8_t type);

// The RFC's snake_case name: "client_hello", "hello_verify_request", "finished"...;
// "unknown(N)" otherwise.
std::string_view handshakeTypeName(std::uint8_t type);

// The CamelCase name used in timelines: "ClientHello", "HelloVerifyRequest", "Finished"...;
// "Handshake(N)" for an unknown type.
std::string_view handshakeTypeTitle(std::uint8_t type);

// "warning", "fatal"; "unknown(N)" otherwise.
std::string_view alertLevelName(std::uint8_t level);

// The RFC's name: "close_notify", "handshake_failure", "bad_record_mac"...; "unknown(N)".
std::string_view alertDescriptionName(std::uint8_t description);

// "DTLS 1.0" (0xfeff), "DTLS 1.2" (0xfefd); "0xHHHH" otherwise.
std::string versionName(std::uint16_t version);

}  // namespace dtls::wire
