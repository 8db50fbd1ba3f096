#include "dtls/wire/names.h"

#include <array>
#include <cstdio>

namespace dtls::wire {
namespace {

// "<prefix>(N)" for every byte value, built once so an unknown value costs no allocation.
using ByteNames = std::array<std::string, 256>;

ByteNames byteNames(const char* prefix) {
  ByteNames names;
  for (unsigned value = 0; value < names.size(); ++value)
    names[value] = std::string(prefix) + "(" + std::to_string(value) + ")";
  return names;
}

std::string_view unknown(std::uint8_t value) {
  static const ByteNames names = byteNames("unknown");
  return names[value];
}

std::string_view unknownHandshakeTitle(std::uint8_t value) {
  static const ByteNames names = byteNames("Handshake");
  return names[value];
}

}  // namespace

std::string_view contentTypeName(std::uint8_t type) {
  switch (type) {
    case 20: return "change_cipher_spec";
    case 21: return "alert";
    case 22: return "handshake";
    case 23: return "application_data";
    case 24: return "heartbeat";
    default: return unknown(type);
  }
}

std::string_view handshakeTypeName(std::uint8_t type) {
  switch (type) {
    case 0: return "hello_request";
    case 1: return "client_hello";
    case 2: return "server_hello";
    case 3: return "hello_verify_request";
    case 4: return "new_session_ticket";
    case 11: return "certificate";
    case 12: return "server_key_exchange";
    case 13: return "certificate_request";
    case 14: return "server_hello_done";
    case 15: return "certificate_verify";
    case 16: return "client_key_exchange";
    case 20: return "finished";
    case 22: return "certificate_status";
    default: return unknown(type);
  }
}

std::string_view handshakeTypeTitle(std::uint8_t type) {
  switch (type) {
    case 0: return "HelloRequest";
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 3: return "HelloVerifyRequest";
    case 4: return "NewSessionTicket";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    case 22: return "CertificateStatus";
    default: return unknownHandshakeTitle(type);
  }
}

std::string_view alertLevelName(std::uint8_t level) {
  switch (level) {
    case 1: return "warning";
    case 2: return "fatal";
    default: return unknown(level);
  }
}

std::string_view alertDescriptionName(std::uint8_t description) {
  switch (description) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";  // RFC 7507
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 110: return "unsupported_extension";
    case 111: return "certificate_unobtainable";  // RFC 6066 §9
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 114: return "bad_certificate_hash_value";
    case 115: return "unknown_psk_identity";  // RFC 4279 §2
    case 120: return "no_application_protocol";  // RFC 7301 §3.2
    default: return unknown(description);
  }
}

std::string versionName(std::uint16_t version) {
  switch (version) {
    case kDtls1_0Version: return "DTLS 1.0";
    case kDtls1_2Version: return "DTLS 1.2";
    default: {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "0x%04x", static_cast<unsigned>(version));
      return buffer;
    }
  }
}

}  // namespace dtls::wire
