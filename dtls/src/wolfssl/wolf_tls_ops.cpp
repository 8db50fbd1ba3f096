// wolf_tls.h: the handshake, records, retransmission and session state of one WOLFSSL.
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>

#include <algorithm>
#include <cstdio>

#include "wolf_random.h"
#include "wolf_tls_impl.h"

namespace dtls::detail::wolf {

namespace {

constexpr std::size_t kMasterSecretBytes = 48;
constexpr std::size_t kRandomBytes = 32;

std::string hex(const unsigned char* data, std::size_t size) {
  std::string out;
  char two[3];
  for (std::size_t i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02x", data[i]);
    out += two;
  }
  return out;
}

}  // namespace

Tls::Result TlsImpl::failure(int ret) {
  last_error_ = wolfSSL_get_error(ssl_, ret);
  if (last_error_ == WOLFSSL_ERROR_WANT_READ || last_error_ == WOLFSSL_ERROR_WANT_WRITE)
    return Result::kWantRead;
  if (last_error_ == WOLFSSL_ERROR_ZERO_RETURN) return Result::kClosed;
  return peerSentFatalAlert() ? Result::kFatalAlert : Result::kFailed;
}

Tls::Result TlsImpl::handshake() {
  RandomBinding bind(random_);
  const int ret = server_ ? wolfSSL_accept(ssl_) : wolfSSL_connect(ssl_);
  if (ret == WOLFSSL_SUCCESS) {
    last_error_ = 0;
    return Result::kDone;
  }
  return failure(ret);
}

Tls::Result TlsImpl::read(unsigned char* buffer, std::size_t size, int* bytes) {
  RandomBinding bind(random_);
  const int ret = wolfSSL_read(ssl_, buffer, static_cast<int>(size));
  if (ret > 0) {
    *bytes = ret;
    return Result::kDone;
  }
  *bytes = 0;
  return failure(ret);
}

int TlsImpl::write(const unsigned char* data, std::size_t bytes) {
  RandomBinding bind(random_);
  const int ret = wolfSSL_write(ssl_, data, static_cast<int>(bytes));
  last_error_ = ret >= 0 ? 0 : wolfSSL_get_error(ssl_, ret);
  return ret >= 0 ? ret : -1;
}

bool TlsImpl::retransmit() {
  RandomBinding bind(random_);
  if (wolfSSL_dtls_got_timeout(ssl_) == WOLFSSL_SUCCESS) return true;
  last_error_ = wolfSSL_get_error(ssl_, WOLFSSL_FATAL_ERROR);
  return false;
}

int TlsImpl::currentTimeoutS() const { return wolfSSL_dtls_get_current_timeout(ssl_); }

void TlsImpl::sendCloseNotify() {
  RandomBinding bind(random_);
  wolfSSL_shutdown(ssl_);
}

void TlsImpl::sendFatalHandshakeFailure() {
  // wolfSSL exports no call that sends an arbitrary alert (SendAlert is internal); it sends one
  // itself on the failures it detects.
}

bool TlsImpl::handshakeDone() const { return wolfSSL_is_init_finished(ssl_) != 0; }

std::size_t TlsImpl::maxPlaintext() const {
  const int room = wolfSSL_GetMaxOutputSize(ssl_);
  return room > 0 ? static_cast<std::size_t>(room) : 0;
}

bool TlsImpl::peerSentFatalAlert() const {
  WOLFSSL_ALERT_HISTORY history{};
  return wolfSSL_get_alert_history(ssl_, &history) == WOLFSSL_SUCCESS &&
         history.last_rx.level == alert_fatal;
}

std::string TlsImpl::lastError() const {
  char text[WOLFSSL_MAX_ERROR_SZ] = {};
  wolfSSL_ERR_error_string_n(static_cast<unsigned long>(last_error_), text, sizeof text);
  std::string why = "wolfssl: " + std::string(text) + " (" + std::to_string(last_error_) + ")";
  WOLFSSL_ALERT_HISTORY history{};
  if (wolfSSL_get_alert_history(ssl_, &history) == WOLFSSL_SUCCESS &&
      history.last_rx.level == alert_fatal)
  {
    // OpenSSL's spelling of the alert ("handshake failure"), so an error text reads the same
    // whichever backend saw it.
    // NULL for a code wolfSSL has no name for.
    const char* name = wolfSSL_alert_desc_string_long(history.last_rx.code);
    std::string alert = name != nullptr ? name : "alert " + std::to_string(history.last_rx.code);
    std::replace(alert.begin(), alert.end(), '_', ' ');
    why += "; the peer sent fatal " + alert;
  }
  return why;
}

std::uint16_t TlsImpl::cipherSuite() const {
  return static_cast<std::uint16_t>(wolfSSL_get_current_cipher_suite(ssl_));
}

// wolfSSL_GetVersion knows TLS versions only (VERSION_ERROR for DTLS); wolfSSL_version gives
// the wire version of either.
bool TlsImpl::isDtls10() const { return wolfSSL_version(ssl_) == DTLS1_VERSION; }

std::vector<ByteArray> TlsImpl::peerChainDer() const {
  std::vector<ByteArray> chain;
  WOLFSSL_X509_CHAIN* peer = wolfSSL_get_peer_chain(ssl_);
  const int count = peer != nullptr ? wolfSSL_get_chain_count(peer) : 0;
  for (int i = 0; i < count; ++i) {
    const unsigned char* der = wolfSSL_get_chain_cert(peer, i);
    const int length = wolfSSL_get_chain_length(peer, i);
    if (der != nullptr && length > 0)
      chain.emplace_back(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  }
  return chain;
}

std::optional<ByteArray> TlsImpl::negotiatedAlpn() const {
  char* name = nullptr;
  unsigned short size = 0;
  if (wolfSSL_ALPN_GetProtocol(ssl_, &name, &size) != WOLFSSL_SUCCESS || name == nullptr)
    return std::nullopt;
  return ByteArray(name, size);
}

ByteArray TlsImpl::sessionBytes(int* lifetime_hint_s) const {
  *lifetime_hint_s = -1;
  WOLFSSL_SESSION* session = wolfSSL_get1_session(ssl_);
  if (session == nullptr) return {};
  ByteArray out;
  const int size = wolfSSL_i2d_SSL_SESSION(session, nullptr);
  if (size > 0) {
    out.resize(static_cast<std::size_t>(size));
    unsigned char* p = reinterpret_cast<unsigned char*>(out.data());
    if (wolfSSL_i2d_SSL_SESSION(session, &p) != size) out.clear();
  }
  if (wolfSSL_SESSION_has_ticket(session))
    *lifetime_hint_s = static_cast<int>(wolfSSL_SESSION_get_ticket_lifetime_hint(session));
  wolfSSL_SESSION_free(session);
  return out;
}

std::string TlsImpl::keyLogLine() const {
  // Debian's build has no HAVE_SECRET_CALLBACK (wolfSSL_CTX_set_keylog_callback): the line is
  // built from what wolfSSL keeps. During the handshake that is its handshake arrays, whose
  // master secret stays zero until it is derived (a stalled handshake's records can then still
  // be decrypted); they are freed at the end, when the session holds the secret.
  unsigned char* arrays_master = nullptr;
  unsigned char* arrays_server_random = nullptr;
  unsigned char* arrays_client_random = nullptr;
  unsigned int master_size = 0, server_random_size = 0, client_random_size = 0;
  if (wolfSSL_get_keys(ssl_, &arrays_master, &master_size, &arrays_server_random,
                       &server_random_size, &arrays_client_random,
                       &client_random_size) == WOLFSSL_SUCCESS) {
    if (master_size != kMasterSecretBytes || client_random_size != kRandomBytes ||
        std::all_of(arrays_master, arrays_master + master_size,
                    [](unsigned char b) { return b == 0; }))
      return {};
    return "CLIENT_RANDOM " + hex(arrays_client_random, kRandomBytes) + " " +
           hex(arrays_master, kMasterSecretBytes);
  }
  unsigned char client_random[kRandomBytes];
  unsigned char master[kMasterSecretBytes];
  WOLFSSL_SESSION* session = wolfSSL_get_session(ssl_);
  if (session == nullptr ||
      wolfSSL_get_client_random(ssl_, client_random, sizeof client_random) != kRandomBytes ||
      wolfSSL_SESSION_get_master_key(session, master, sizeof master) !=
          static_cast<int>(kMasterSecretBytes))
    return {};
  return "CLIENT_RANDOM " + hex(client_random, sizeof client_random) + " " +
         hex(master, sizeof master);
}

}  // namespace dtls::detail::wolf
