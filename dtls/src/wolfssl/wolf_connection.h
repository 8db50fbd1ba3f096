// Private: the wolfSSL 5.5.4 engine of a dtls::Connection: a wolf::Tls (wolf_tls.h) whose
// randomness, I/O and verification are this object's, and whose retransmission this object
// drives on the TimerService (DESIGN.md §9). The shared half (errors, timer contract,
// verification decisions, replay accounting) is ConnectionImpl.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "connection_impl.h"
#include "ephemeral_key.h"
#include "wolf_tls.h"

namespace dtls::detail {

class WolfsslConnection : public ConnectionImpl, private wolf::TlsHooks {
 public:
  // Draws from the thread's RandomSource (random_source.h) for its whole life.
  WolfsslConnection(SslMode mode, TimerService* timers);
  ~WolfsslConnection() override;

  const char* backendName() const override { return "wolfssl"; }
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
  WolfsslConnection(SslMode mode, TimerService* timers, RandomSource* random);

  // wolf::TlsHooks.
  void send(const unsigned char* data, std::size_t bytes) override;
  int receive(unsigned char* buffer, std::size_t bytes) override;
  bool verify(int x509_error, int depth, const ByteArray& der) override;
  bool pskClient(const ByteArray& hint, std::size_t max_identity_bytes, std::size_t max_key_bytes,
                 ByteArray* identity, ByteArray* key) override;
  bool pskServer(const ByteArray& identity, std::size_t max_key_bytes, ByteArray* key) override;

  bool settingsFor(wolf::TlsSettings* settings, std::string* why);
  // Binds `socket` and the datagram the next receive() hands wolfSSL (none if null).
  void bind(DatagramSocket* socket, const ByteArray* datagram);
  void unbind();
  bool afterHandshakeStep(wolf::Tls::Result result, DatagramSocket* socket, const char* call);
  void logKeys();
  // Restarts the retransmission timer at wolfSSL's current timeout.
  void armTimer();
  TimerService::Duration now() const;

  RandomSource* const random_;
  std::unique_ptr<wolf::Tls> tls_;
  bool started_ = false;  // the first datagram went to wolfSSL
  bool chain_above_leaf_ = false;  // the verify hook saw a certificate above the leaf
  ByteArray chain_top_der_;        // the first certificate above the leaf it saw (the top)
  // Clients: wolfSSL hands out only an ECC (not an X25519) server key, so it is read off the wire.
  ServerKeyExchangeCollector server_key_exchange_;

  DatagramSocket* socket_ = nullptr;
  const ByteArray* incoming_ = nullptr;
  bool sent_ = false;  // something was written since bind()
  bool write_failed_ = false;
  std::string write_error_;
  std::string logged_keylog_line_;  // the last key log line handed to keylog_callback

  // The fewest bytes a record of the negotiated suite has (short_records.h), for `min_suite_`.
  std::uint16_t min_suite_ = 0;
  std::size_t min_record_bytes_ = 0;

  bool timer_armed_ = false;
  TimerService::Duration timer_start_{};
  TimerService::Duration timer_duration_{};
};

}  // namespace dtls::detail
