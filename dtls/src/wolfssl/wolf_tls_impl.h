// Private (wolfSSL side of wolf_tls.h): the Tls implementation. Include <wolfssl/options.h> and
// <wolfssl/ssl.h> first; never from a file that includes OpenSSL's or dtls' certificate headers.
#pragma once

#include "wolf_tls.h"

namespace dtls::detail::wolf {

class TlsImpl final : public Tls {
 public:
  TlsImpl(TlsHooks* hooks, RandomSource* random) : hooks_(hooks), random_(random) {}
  ~TlsImpl() override;
  TlsImpl(const TlsImpl&) = delete;
  TlsImpl& operator=(const TlsImpl&) = delete;

  bool setUp(const TlsSettings& settings, std::string* error);

  Result handshake() override;
  Result read(unsigned char* buffer, std::size_t size, int* bytes) override;
  int write(const unsigned char* data, std::size_t bytes) override;
  bool lastWriteTooLarge() const override { return last_error_ == DTLS_SIZE_ERROR; }
  bool retransmit() override;
  int currentTimeoutS() const override;
  void sendCloseNotify() override;
  void sendFatalHandshakeFailure() override;
  bool handshakeDone() const override;
  std::size_t maxPlaintext() const override;
  std::string lastError() const override;
  bool peerSentFatalAlert() const override;

  std::uint16_t cipherSuite() const override;
  bool isDtls10() const override;
  std::vector<ByteArray> peerChainDer() const override;
  std::optional<ByteArray> negotiatedAlpn() const override;
  ByteArray sessionBytes(int* lifetime_hint_s) const override;
  std::string keyLogLine() const override;

 private:
  bool setCredentials(const TlsSettings& s, std::string* error);
  bool setCiphers(const TlsSettings& s, std::string* error);
  void setTickets(const TlsSettings& s);
  bool setPerConnection(const TlsSettings& s, std::string* error);
  bool resume(const ByteArray& session);
  // The outcome of a failed wolfSSL call returning `ret`.
  Result failure(int ret);

  static int onReceive(WOLFSSL* ssl, char* buffer, int size, void* ctx);
  static int onSend(WOLFSSL* ssl, char* data, int size, void* ctx);
  static int onVerify(int preverify, WOLFSSL_X509_STORE_CTX* store);
  static int onAlpnSelect(WOLFSSL* ssl, const unsigned char** out, unsigned char* out_bytes,
                          const unsigned char* offered, unsigned offered_bytes, void* ctx);
  static unsigned onPskClient(WOLFSSL* ssl, const char* hint, char* identity,
                              unsigned max_identity, unsigned char* key, unsigned max_key);
  static unsigned onPskServer(WOLFSSL* ssl, const char* identity, unsigned char* key,
                              unsigned max_key);
  static int onTicket(WOLFSSL* ssl, unsigned char key_name[WOLFSSL_TICKET_NAME_SZ],
                      unsigned char iv[WOLFSSL_TICKET_IV_SZ],
                      unsigned char mac[WOLFSSL_TICKET_MAC_SZ], int enc, unsigned char* ticket,
                      int in_bytes, int* out_bytes, void* ctx);

  TlsHooks* const hooks_;
  RandomSource* const random_;
  WOLFSSL_CTX* ctx_ = nullptr;
  WOLFSSL* ssl_ = nullptr;
  bool server_ = false;
  ByteArray psk_hint_;
  ByteArray ticket_key_;
  std::vector<ByteArray> alpn_;  // servers: the protocols in preference order
  int last_error_ = 0;
};

}  // namespace dtls::detail::wolf
