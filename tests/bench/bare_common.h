// The parts of the bare baseline that belong to no library: the in-memory link, the options
// every library side takes, the test PKI and the one peer a server sees.
//
// Free of every library's headers on purpose: Debian's wolfSSL is built with OPENSSL_EXTRA, so
// <wolfssl/ssl.h> brings OpenSSL compatibility typedefs (X509, ...) that clash with OpenSSL's
// headers and with dtls/certificate.h. bare_wolfssl.cpp includes this file, never bare_dtls.h
// or support/test_data.h.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>

namespace bench {

using DatagramQueue = std::deque<std::string>;

// What dtls::Connection gives a backend without an MTU hint: 576 minus IPv4 and UDP headers
// (dtls/src/link_mtu.h). It bounds handshake datagrams only. An application record may exceed
// it, as through a dtls::Connection without an MTU hint: OpenSSL never applies it to one, and
// the mbedTLS and GnuTLS ends lift it once the handshake is done, as their dtls backends do.
// wolfSSL 5.5.4 as Debian builds it has no MTU setting at all (1400-byte datagrams).
inline constexpr long kLinkMtuBytes = 576 - 20 - 8;

// One end of an in-memory link: a write pushes one datagram onto `out`, a read pops the next
// datagram of `in`. The contract of dtls' datagram I/O (dtls/src/datagram_bio.cpp): one
// datagram per read or write, never a stream.
struct QueueEnd {
  DatagramQueue* in = nullptr;
  DatagramQueue* out = nullptr;
  // When set, every datagram sent is also appended here (a debug run's record of the flights).
  DatagramQueue* copy = nullptr;

  void send(const void* data, std::size_t bytes) const {
    out->emplace_back(static_cast<const char*>(data), bytes);
    if (copy != nullptr) copy->push_back(out->back());
  }
  // Copies the next datagram into `buffer` and drops it from the queue; a datagram longer than
  // `size` is cut, as a datagram socket cuts it. -1 when nothing is queued.
  long receive(void* buffer, std::size_t size) const {
    if (in->empty()) return -1;
    const std::size_t n = std::min(in->front().size(), size);
    std::memcpy(buffer, in->front().data(), n);
    in->pop_front();
    return static_cast<long>(n);
  }
};

// The suite every benchmark pins on both sides (DTLS 1.2), in OpenSSL's name and IANA's id.
inline constexpr const char* kPinnedCipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
inline constexpr std::uint16_t kPinnedSuiteId = 0xc02b;  // RFC 5289 §3.2

struct BareOptions {
  // An OpenSSL cipher name. The other libraries map only kPinnedCipher (their sides fail on
  // anything else), as the benchmarks pin that one.
  std::string cipher = kPinnedCipher;
  // Server: check cookies (HelloVerifyRequest, RFC 6347 §4.2.1) the way the matching dtls
  // backend's ClientVerifier and server do.
  bool cookies = false;
  // Server: send a CertificateRequest and accept an empty Certificate, as a dtls server with
  // the default AutoVerifyPeer (QueryPeer) mode does.
  bool query_peer = false;
  // Plain PSK instead of certificates (then `cipher` must be a PSK suite): the client offers
  // identity kBarePskIdentity, both sides use kBarePskKeyHex; no PKI is loaded. OpenSSL only.
  bool psk = false;
};

// The bare PSK ends' identity and key (hex), for a World to give its endpoints the same.
inline constexpr const char* kBarePskIdentity = "sensor";
inline constexpr const char* kBarePskKeyHex = "000102030405060708090a0b0c0d0e0f";

// The test PKI (tests/data/certs): the server presents kServerChainPem and kServerKeyPem, the
// client trusts kCaPem and checks kServerName. The same files as support/test_data.h's
// certPath, which this header cannot include.
inline constexpr const char* kServerChainPem = "server-chain.pem";
inline constexpr const char* kServerKeyPem = "server.key.pem";
inline constexpr const char* kCaPem = "ca.pem";
inline constexpr const char* kServerName = "server.dtlsim.test";
inline std::string pkiPath(const char* name) {
  return std::string(DTLSIM_TEST_DATA_DIR) + "/certs/" + name;
}

// The queue link has no addresses: every client is this one peer to a server's cookie, so the
// work per cookie is that of a real peer.
inline constexpr std::array<unsigned char, 4> kPeerIpv4 = {10, 0, 0, 2};
inline constexpr std::uint16_t kPeerPort = 40000;
// The peer as dtls hashes it into a cookie (dtls/src/first_hello.h transportId): the
// IPv4-mapped IPv6 address, then the port, big-endian.
inline std::array<unsigned char, 18> peerTransportId() {
  std::array<unsigned char, 18> id{};
  id[10] = id[11] = 0xff;
  std::copy(kPeerIpv4.begin(), kPeerIpv4.end(), id.begin() + 12);
  id[16] = static_cast<unsigned char>(kPeerPort >> 8);
  id[17] = static_cast<unsigned char>(kPeerPort & 0xff);
  return id;
}

}  // namespace bench
