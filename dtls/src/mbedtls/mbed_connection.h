// Private: the mbedTLS 2.28 engine of a dtls::Connection: an mbedtls_ssl_context whose
// randomness, timers and I/O are this object's callbacks (DESIGN.md §9). The shared half
// (errors, timer contract, verification decisions, replay accounting) is ConnectionImpl.
#pragma once

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <cstdint>
#include <memory>
#include <string>

#include "connection_impl.h"
#include "mbed_random.h"

namespace dtls::detail {

struct MbedContext;  // mbed_context.h

class MbedtlsConnection : public ConnectionImpl {
 public:
  // Draws from the thread's RandomSource (random_source.h) for its whole life.
  MbedtlsConnection(SslMode mode, TimerService* timers);
  ~MbedtlsConnection() override;

  const char* backendName() const override { return "mbedtls"; }
  bool startTls(DatagramSocket* socket) override;
  bool continueHandshake(DatagramSocket* socket, const ByteArray& datagram) override;
  bool handleTimeout(DatagramSocket* socket) override;
  std::int64_t writeEncrypted(DatagramSocket* socket, std::string_view datagram) override;
  void decrypt(DatagramSocket* socket, std::string_view datagram, ByteArray* plaintext) override;
  bool sendCloseAndReset(DatagramSocket* socket, std::string* write_error) override;
  std::size_t dataRoomBytes() const override;

 protected:
  void collectSessionState() override;
  void collectEarlyData(DatagramSocket* socket) override;
  void resetTls() override;

 private:
  MbedtlsConnection(SslMode mode, TimerService* timers, std::unique_ptr<MbedRandom> random);

  // mbedTLS callbacks; `self` is this connection.
  static int send(void* self, const unsigned char* data, std::size_t bytes);
  static int receive(void* self, unsigned char* buffer, std::size_t bytes);
  static void setTimer(void* self, std::uint32_t intermediate_ms, std::uint32_t final_ms);
  static int getTimer(void* self);
  static int verifyCertificate(void* self, mbedtls_x509_crt* crt, int depth, std::uint32_t* flags);
  static int serverPsk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity,
                       std::size_t identity_bytes);
  static int exportKeys(void* self, const unsigned char* master_secret,
                        const unsigned char* key_block, std::size_t mac_bytes,
                        std::size_t key_bytes, std::size_t iv_bytes,
                        const unsigned char client_random[32],
                        const unsigned char server_random[32], mbedtls_tls_prf_types prf);

  // Binds `socket` and the datagram the next receive() hands mbedTLS (none if null).
  void bind(DatagramSocket* socket, const ByteArray* datagram);
  void unbind();
  bool afterHandshakeStep(int ret, DatagramSocket* socket, const char* call);
  // mbedtls_ssl_get_timer_t's answer: -1 cancelled, 0 running, 1 intermediate, 2 final passed.
  int timerState() const;
  TimerService::Duration now() const;
  // mbedTLS's reason for `ret`, with the alert the peer sent if any.
  std::string describe(int ret) const;

  std::unique_ptr<MbedRandom> random_;
  std::unique_ptr<MbedContext> tls_;

  DatagramSocket* socket_ = nullptr;
  const ByteArray* incoming_ = nullptr;  // unread while non-null
  bool write_failed_ = false;
  std::string write_error_;
  bool alert_sent_ = false;  // by mbedTLS during the current call
  // Clients: the server's ECDHE public key, taken while mbedTLS still holds it (its handshake
  // state is freed when the handshake ends).
  Key ephemeral_server_key_;

  // The mbedTLS timer (mbedtls_ssl_set_timer_cb): its start on the connection's clock and its
  // delays; final_ms_ == 0 while cancelled. Without a TimerService, the
  // deadline is on gettimeofday, as OpenSSL's.
  TimerService::Duration timer_start_{0};
  std::uint32_t intermediate_ms_ = 0;
  std::uint32_t final_ms_ = 0;
};

}  // namespace dtls::detail
