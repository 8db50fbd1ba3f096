// dtls::Connection after the handshake: encrypted datagrams, replays, damage, size limits,
// shutdown (DESIGN.md §2, RFC 6347 §4.1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <openssl/crypto.h>

#include "dtls/connection.h"
#include "support/backend_param.h"
#include "support/dtls_pair.h"
#include "support/record_sealer.h"

namespace dtls {
namespace {

using test::DtlsPair;
using test::RecordSealer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A completed pair; the client's datagrams are handed to the server by the test itself.
struct DataPair : DtlsPair {
  DataPair() { EXPECT_TRUE(handshake()) << why(); }
  // For a pair that prepares something before its handshake, then calls handshake() itself.
  struct NoHandshake {};
  explicit DataPair(NoHandshake) {}
  // What the client sends for one plaintext datagram.
  ByteArray clientRecord(const ByteArray& plaintext) {
    EXPECT_EQ(client.writeDatagramEncrypted(&client_socket, plaintext),
              static_cast<std::int64_t>(plaintext.size()));
    auto sent = client_socket.take();
    EXPECT_EQ(sent.size(), 1u);
    return sent.empty() ? ByteArray() : sent.front();
  }
  // `record` with one bit of its GCM tag flipped: the same header, failing authentication.
  static ByteArray forged(ByteArray record) {
    record[record.size() - 1] ^= 0x01;
    return record;
  }
  // What the server's decryptDatagram gives for `datagram`: the plaintext, or "error: " and
  // the error text if it set an error.
  std::string serverReads(const ByteArray& datagram) {
    const ByteArray plain = server.decryptDatagram(&server_socket, datagram);
    return server.dtlsError() == DtlsError::NoError ? plain : "error: " + server.dtlsErrorString();
  }
  // True if the server still decrypts the client's next datagram.
  bool stillUsable() {
    const ByteArray plain = server.decryptDatagram(&server_socket, clientRecord("still here"));
    return plain == "still here" && server.dtlsError() == DtlsError::NoError;
  }
};

// A pair whose test also seals records as the client would (support/record_sealer.h), from
// the client's key log line and the server's random.
struct SealingPair : DataPair {
  std::string keylog;
  std::optional<std::string> server_random;
  std::optional<RecordSealer> sealer;

  SealingPair() : DataPair(NoHandshake{}) {
    client.setKeyLogCallback([this](const std::string& line) {
      if (line.rfind("CLIENT_RANDOM ", 0) == 0) keylog = line;
    });
    filter = [this](bool to_server, const ByteArray& datagram) {
      if (!to_server && !server_random) server_random = RecordSealer::serverRandom(datagram);
      return true;
    };
    EXPECT_TRUE(handshake()) << why();
    filter = nullptr;
    if (server_random)
      sealer = RecordSealer::fromHandshake(keylog, *server_random, client.sessionCipher().name(),
                                           /*client_side=*/true);
    EXPECT_TRUE(sealer.has_value()) << "cipher " << client.sessionCipher().name();
  }
  // A sealed application record `ahead` sequence numbers past the client's next genuine one
  // (so the client's own records do not take its number; within the 64-record replay window,
  // so they are not too old once it has been accepted).
  ByteArray sealedAhead(std::uint64_t ahead, std::string_view plaintext) {
    const ByteArray genuine = clientRecord("probe");
    const auto decoded = wire::decodeDatagram(genuine);
    if (!sealer || decoded.records.size() != 1) return {};
    const auto& header = decoded.records.front();
    return sealer->seal(23, header.epoch, header.sequence_number + ahead, plaintext);
  }
};

class ConnectionDataTest : public test::BackendTest {};

TEST_P(ConnectionDataTest, EncryptedDatagramsBothWays) {
  DataPair p;
  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "ping"), 4);
  ASSERT_EQ(p.server.writeDatagramEncrypted(&p.server_socket, "pong!"), 5);
  const auto on_wire = p.client_socket.sent();
  ASSERT_EQ(on_wire.size(), 1u);
  EXPECT_EQ(on_wire[0].to, p.server_address);
  EXPECT_EQ(on_wire[0].port, DtlsPair::kServerPort);
  EXPECT_EQ(on_wire[0].data.find("ping"), std::string::npos);  // encrypted
  p.pump();
  EXPECT_EQ(p.server_received, std::vector<ByteArray>{"ping"});
  EXPECT_EQ(p.client_received, std::vector<ByteArray>{"pong!"});
  EXPECT_EQ(p.server.dtlsError(), DtlsError::NoError);
}

TEST_P(ConnectionDataTest, ManyDatagramsArriveOutOfOrder) {
  DataPair p;
  std::vector<ByteArray> records;
  for (int i = 0; i < 5; ++i) records.push_back(p.clientRecord("m" + std::to_string(i)));
  for (int i : {4, 0, 3, 1, 2})
    EXPECT_EQ(p.server.decryptDatagram(&p.server_socket, records[i]), "m" + std::to_string(i));
}

TEST_P(ConnectionDataTest, ReplayedDatagramDecryptsToEmptyWithNoError) {
  DataPair p;
  const ByteArray record = p.clientRecord("once");
  EXPECT_EQ(p.serverReads(record), "once");
  EXPECT_EQ(p.serverReads(record), "");
  EXPECT_EQ(p.server.dtlsErrorString(), "");
  EXPECT_TRUE(p.stillUsable());
}

TEST_P(ConnectionDataTest, EmptyDatagramDecryptsToEmptyWithNoError) {
  DataPair p;
  EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, "").empty());
  EXPECT_EQ(p.server.dtlsError(), DtlsError::NoError);
}

TEST_P(ConnectionDataTest, GarbageIsNonFatal) {
  DataPair p;
  EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, "hello").empty());
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsNonFatalError);
  EXPECT_THAT(p.server.dtlsErrorString(),
              StartsWith("decryptDatagram: dropped 5 bytes that are not a DTLS datagram: "));
  EXPECT_TRUE(p.server.isConnectionEncrypted());
  EXPECT_TRUE(p.stillUsable());
}

TEST_P(ConnectionDataTest, FlippedCiphertextBitFailsAuthenticationAndIsNonFatal) {
  DataPair p;
  const ByteArray record = p.clientRecord("authentic");
  const ByteArray forged = DataPair::forged(record);
  EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, forged).empty());
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsNonFatalError);
  EXPECT_THAT(p.server.dtlsErrorString(), StartsWith("decryptDatagram: dropped a record (epoch 1, "
                                                     "sequence "));
  EXPECT_THAT(p.server.dtlsErrorString(), HasSubstr("failed authentication"));
  // The forgery did not burn the sequence number: the genuine record still decrypts.
  EXPECT_EQ(p.server.decryptDatagram(&p.server_socket, record), "authentic");
  EXPECT_TRUE(p.stillUsable());
}

// A forged record that shared a datagram with a genuine one used to be noted as seen (OpenSSL's
// reads do not say which record gave the plaintext), so the same forgery alone later was
// dropped as a "replay" without an error. Found by fuzz_decrypt's kept-pair check.
TEST_P(ConnectionDataTest, ForgeryBesideAGenuineRecordIsNotNotedAsSeen) {
  DataPair p;
  const ByteArray first = p.clientRecord("first");
  const ByteArray second = p.clientRecord("second");
  const ByteArray forged = DataPair::forged(second);
  EXPECT_EQ(p.serverReads(first + forged), "first");
  EXPECT_THAT(p.serverReads(forged), HasSubstr("failed authentication"));
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsNonFatalError);
  EXPECT_EQ(p.serverReads(second), "second");
  EXPECT_TRUE(p.stillUsable());
}

// The forgery first: the genuine record behind it still decrypts, and it alone is noted, so a
// later copy of it is a silent replay and a later copy of the forgery is still an error.
TEST_P(ConnectionDataTest, GenuineRecordBehindAForgeryIsNotedAsSeen) {
  DataPair p;
  const ByteArray first = p.clientRecord("first");
  const ByteArray second = p.clientRecord("second");
  const ByteArray forged = DataPair::forged(first);
  EXPECT_EQ(p.serverReads(forged + second), "second");
  EXPECT_EQ(p.serverReads(second), "");
  EXPECT_THAT(p.serverReads(forged), HasSubstr("failed authentication"));
  EXPECT_EQ(p.serverReads(first), "first");
  EXPECT_TRUE(p.stillUsable());
}

// A record and its own copy in one datagram give one read (OpenSSL drops the copy as a replay):
// the record is still noted, so a later replay of it is silent.
TEST_P(ConnectionDataTest, RecordRepeatedInItsDatagramIsNotedAsSeen) {
  DataPair p;
  const ByteArray record = p.clientRecord("twice");
  EXPECT_EQ(p.serverReads(record + record), "twice");
  EXPECT_EQ(p.serverReads(record), "");
  EXPECT_TRUE(p.stillUsable());
}

// Beside an older record already seen, a new one is still noted.
TEST_P(ConnectionDataTest, NewRecordBesideAReplayIsNotedAsSeen) {
  DataPair p;
  const ByteArray old_record = p.clientRecord("old");
  const ByteArray new_record = p.clientRecord("new");
  EXPECT_EQ(p.serverReads(old_record), "old");
  EXPECT_EQ(p.serverReads(new_record + old_record), "new");
  EXPECT_EQ(p.serverReads(new_record), "");
  EXPECT_TRUE(p.stillUsable());
}

// The sealer is checked against the real peer first: what it seals decrypts, and a copy of it is
// a silent replay, as for the peer's own records.
TEST_P(ConnectionDataTest, RecordSealedFromTheKeyLogDecrypts) {
  SealingPair p;
  const ByteArray sealed = p.sealedAhead(10, "sealed by the test");
  ASSERT_FALSE(sealed.empty());
  EXPECT_EQ(p.serverReads(sealed), "sealed by the test");
  EXPECT_EQ(p.serverReads(sealed), "");
  EXPECT_TRUE(p.stillUsable());
}

// A zero-length application record is legal (RFC 5246 §6.2.1: a traffic-analysis
// countermeasure) though OpenSSL never writes one: it carries nothing, is no error, and does
// not hide the record after it in the same datagram. (SSL_read reported it as a failure.)
TEST_P(ConnectionDataTest, ZeroLengthRecordCarriesNothingAndHidesNothing) {
  SealingPair p;
  const ByteArray empty = p.sealedAhead(10, "");
  const ByteArray after = p.sealedAhead(10, "after");  // one number further
  const ByteArray empty_too = p.sealedAhead(10, "");   // and one more
  ASSERT_FALSE(empty.empty());
  EXPECT_EQ(p.serverReads(empty), "");
  EXPECT_EQ(p.serverReads(empty_too + after), "after");
  // Replays of either are silent.
  EXPECT_EQ(p.serverReads(empty_too), "");
  EXPECT_EQ(p.serverReads(after), "");
  EXPECT_TRUE(p.stillUsable());
}

TEST_P(ConnectionDataTest, TruncatedRecordIsNonFatal) {
  DataPair p;
  const ByteArray record = p.clientRecord("truncated");
  EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, record.substr(0, record.size() - 4))
                  .empty());
  EXPECT_EQ(p.server.dtlsError(), DtlsError::TlsNonFatalError);
  EXPECT_TRUE(p.stillUsable());
}

// ---- Size limits ---------------------------------------------------------------------------------

TEST_P(ConnectionDataTest, RecordLimitIs16384Bytes) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DataPair p;
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, ByteArray(16385, 'x')), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_EQ(p.client.dtlsErrorString(),
            "writeDatagramEncrypted: a 16385-byte datagram exceeds the 16384-byte record limit");
  // GnuTLS 3.7 caps the whole record at 16384 bytes (gnutls_dtls_set_mtu), below RFC 6347's
  // 2^14 bytes of plaintext: under AES-GCM it leaves 16347 (13-byte header, 8-byte explicit
  // nonce, 16-byte tag), and says so.
  std::size_t largest_bytes = 16384;
  if (activeBackend() == "gnutls") {
    largest_bytes = 16347;
    EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, ByteArray(16384, 'x')), -1);
    EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
    EXPECT_EQ(p.client.dtlsErrorString(),
              "writeDatagramEncrypted: a 16384-byte datagram does not fit one gnutls record: it "
              "takes 16347 bytes");
  }
  const ByteArray largest(largest_bytes, 'y');
  EXPECT_EQ(p.server.decryptDatagram(&p.server_socket, p.clientRecord(largest)), largest);
  EXPECT_TRUE(p.stillUsable());
}

// A stack without MTU control (Debian's wolfSSL 5.5.4 fits every datagram to 1400 bytes)
// refuses a larger record: the caller learns the room there is, and the connection stays usable.
TEST_P(ConnectionDataTest, RecordLargerThanTheStackSendsSaysTheRoom) {
  if (isFeatureSupported(SupportedFeature::MtuControl))
    GTEST_SKIP() << activeBackend() << " fits a record up to 16384 bytes to the MTU it is given";
  DataPair p;
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, ByteArray(2000, 'x')), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_THAT(p.client.dtlsErrorString(),
              StartsWith("writeDatagramEncrypted: a 2000-byte datagram does not fit one " +
                         activeBackend() + " record: it takes "));
  const ByteArray fits(1000, 'z');
  EXPECT_EQ(p.serverReads(p.clientRecord(fits)), fits);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::NoError);
  EXPECT_TRUE(p.stillUsable());
}

TEST_P(ConnectionDataTest, MtuHintLimitsWrites) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DtlsPair p;
  p.client.setMtuHint(600);
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, ByteArray(1000, 'x')), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
  EXPECT_THAT(p.client.dtlsErrorString(),
              StartsWith("writeDatagramEncrypted: a 1000-byte datagram does not fit one "
                         "datagram: the MTU leaves "));
  const ByteArray fits(500, 'z');
  ASSERT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, fits), 500);
  ASSERT_EQ(p.client_socket.sent().size(), 1u);
  EXPECT_LE(p.client_socket.sent()[0].data.size(), 600u - 28u);  // IPv4 + UDP headers
  p.pump();
  EXPECT_EQ(p.server_received, std::vector<ByteArray>{fits});
}

TEST_P(ConnectionDataTest, SocketPathMtuLimitsWrites) {
  DTLSIM_REQUIRE_FEATURE(SupportedFeature::MtuControl);
  DtlsPair p;
  p.client_socket.setPathMtu(600);
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, ByteArray(1000, 'x')), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::InvalidInputParameters);
}

// ---- Shutdown ------------------------------------------------------------------------------------

struct ShutdownCase {
  const char* name;
  bool client_closes;
};

class ConnectionShutdownTest : public test::BackendRowTest<ShutdownCase> {};

TEST_P(ConnectionShutdownTest, PeerSeesRemoteClosedAndBothReturnToNotStarted) {
  DataPair p;
  Connection& closer = row().client_closes ? p.client : p.server;
  Connection& other = row().client_closes ? p.server : p.client;
  test::RecordingSocket& closer_socket =
      row().client_closes ? p.client_socket : p.server_socket;
  test::RecordingSocket& other_socket =
      row().client_closes ? p.server_socket : p.client_socket;
  ASSERT_TRUE(closer.shutdown(&closer_socket));
  EXPECT_EQ(closer.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(closer.dtlsError(), DtlsError::NoError);
  EXPECT_TRUE(closer.sessionCipher().isNull());
  const auto alert = closer_socket.take();
  ASSERT_EQ(alert.size(), 1u);
  EXPECT_TRUE(other.decryptDatagram(&other_socket, alert[0]).empty());
  EXPECT_EQ(other.dtlsError(), DtlsError::RemoteClosedConnectionError);
  EXPECT_EQ(other.dtlsErrorString(),
            "decryptDatagram: the peer closed the connection (close_notify)");
  EXPECT_EQ(other.handshakeState(), Connection::HandshakeNotStarted);
  EXPECT_EQ(other.writeDatagramEncrypted(&other_socket, "late"), -1);
  EXPECT_EQ(other.dtlsError(), DtlsError::InvalidOperation);
  // The peers stay set: the same objects can handshake again.
  EXPECT_TRUE(p.handshake()) << p.why();
}

INSTANTIATE_TEST_SUITE_P(Sides, ConnectionShutdownTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(ShutdownCase{"ClientCloses", true},
                                           ShutdownCase{"ServerCloses", false})),
    [](const auto& row) { return std::string(std::get<1>(row.param).name) + "_" + std::get<0>(row.param); });

// ---- Retransmissions after the handshake -------------------------------------------------------

// A wolfSSL 5.5.4 server that finished never answers the client's retransmitted last flight,
// against RFC 6347 §4.2.4 ("MUST respond to a retransmit of the peer's last flight"): it drops
// every epoch-0 record once the handshake is done (src/internal.c DtlsShouldDrop, "Silently
// dropping plaintext DTLS message on established connection"), and a repeated Finished is not
// one of the messages that make it resend (VerifyForDtlsMsgPoolSend). The client retransmits
// until it gives up (scenarios/findings/007-wolfssl-ignores-the-retransmitted-last-flight).
// When a row that uses this fails, wolfSSL is fixed.
bool wolfServerIgnoresTheRetransmittedFlight() { return activeBackend() == "wolfssl"; }

// The server completes first; if its last flight (ChangeCipherSpec, Finished) is lost, the
// client retransmits its own, which reaches the server through decryptDatagram: the server
// answers with its last flight again (RFC 6347 §4.2.4).
TEST_P(ConnectionDataTest, LostServerFinishedIsRecoveredThroughDecryptDatagram) {
  DtlsPair p;
  p.filter = [&](bool to_server, const ByteArray&) {
    return to_server || !p.server.isConnectionEncrypted();
  };
  EXPECT_FALSE(p.handshake());
  ASSERT_TRUE(p.server.isConnectionEncrypted()) << p.why();
  ASSERT_EQ(p.client.handshakeState(), Connection::HandshakeInProgress);
  p.filter = nullptr;

  ASSERT_EQ(p.clock.pendingTimers(), 1u);  // the client's only
  ASSERT_TRUE(p.clock.fireNext());
  EXPECT_EQ(p.client.retransmissionCount(), 1);
  const auto retransmitted = p.client_socket.take();
  ASSERT_FALSE(retransmitted.empty());
  for (const auto& d : retransmitted) {
    EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, d).empty());
    EXPECT_EQ(p.server.dtlsError(), DtlsError::NoError) << p.why();
  }
  if (wolfServerIgnoresTheRetransmittedFlight()) {
    EXPECT_TRUE(p.server_socket.sent().empty());
    p.pump();
    EXPECT_FALSE(p.client.isConnectionEncrypted());
    return;
  }
  EXPECT_FALSE(p.server_socket.sent().empty());  // the server answered
  p.pump();
  EXPECT_TRUE(p.bothEncrypted()) << p.why();
  EXPECT_TRUE(p.server_received.empty());
}

// ---- Application data that overtakes the Finished -----------------------------------------------

// The server's last flight (CCS, Finished) is held back while it already sends data: the
// client's OpenSSL keeps those records until its handshake completes. They come out of
// takePendingDatagrams() one per record, in order, and the next decryptDatagram() returns only
// its own datagram (found by the catalog's appdata-overtakes-finished: they used to come out
// glued to the next payload). More than 63 records (openssl/openssl#9289) included.
//
// How many it keeps depends on the stack and, for OpenSSL, on the build loaded at run time:
// from 3.0.22 (CVE-2026-54874) the queue for the next epoch holds 16 records and drops the rest
// silently; before, it held them all (catalog: appdata-overtakes-finished-80-records,
// docs/api-mapping.md). mbedTLS 2.28 keeps none: of the next epoch it buffers one handshake
// record, the Finished (ssl_msg.c ssl_buffer_future_record), as RFC 6347 §4.1 allows. GnuTLS
// 3.7.9 keeps none either: it discards any record of an epoch it has no keys for yet
// (lib/record.c recv_headers, "invalid epoch"), the Finished included. Nor does wolfSSL
// 5.5.4: its window check knows the current and the previous epoch only (src/internal.c
// _DtlsCheckWindow), and the SEQUENCE_ERROR it gives is dropped silently (DtlsShouldDrop).
std::size_t recordsKeptForTheNextEpoch() {
  if (activeBackend() == "mbedtls" || activeBackend() == "gnutls" || activeBackend() == "wolfssl")
    return 0;
  constexpr unsigned long kFixedIn = 0x30000160L;  // 3.0.22
  return OpenSSL_version_num() >= kFixedIn ? 16 : SIZE_MAX;
}

// RFC 6347 §4.1.2.6: the replay window is 64 records wide.
constexpr std::size_t kReplayWindowRecords = 64;

class EarlyDataTest : public test::BackendRowTest<int> {};

TEST_P(EarlyDataTest, RecordsThatOvertookTheFinishedComeOutOneByOne) {
  const int records = row();
  DtlsPair p;
  std::vector<ByteArray> held;
  p.filter = [&](bool to_server, const ByteArray& d) {
    if (to_server || !p.server.isConnectionEncrypted()) return true;
    held.push_back(d);
    return false;
  };
  EXPECT_FALSE(p.handshake());
  ASSERT_TRUE(p.server.isConnectionEncrypted()) << p.why();
  ASSERT_FALSE(held.empty());
  p.filter = nullptr;

  std::vector<ByteArray> sent;
  for (int i = 0; i < records; ++i) {
    sent.push_back("early " + std::to_string(i));
    ASSERT_GT(p.server.writeDatagramEncrypted(&p.server_socket, sent.back()), 0) << p.why();
  }
  const auto early = p.server_socket.take();
  for (const auto& d : early) p.deliverToClient(d);  // before the Finished
  ASSERT_EQ(p.client.handshakeState(), Connection::HandshakeInProgress) << p.why();
  for (const auto& d : held) p.deliverToClient(d);
  ASSERT_TRUE(p.client.isConnectionEncrypted()) << p.why();
  EXPECT_TRUE(p.client.takePendingDatagrams().empty());  // DtlsPair took them already

  // The records beyond the limit are gone without a word: no error, no alert, no retransmission.
  std::vector<ByteArray> expected(sent.begin(),
                                  sent.begin() + std::min(sent.size(), recordsKeptForTheNextEpoch()));
  sent.push_back("late");
  expected.push_back(sent.back());
  ASSERT_GT(p.server.writeDatagramEncrypted(&p.server_socket, sent.back()), 0);
  p.pump();
  EXPECT_EQ(p.client_received, expected);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::NoError) << p.why();

  // A replay of an early record the client kept is dropped silently, like any replay (not
  // called a forgery). One it discarded was never accepted: inside the replay window (the first
  // early record is number 1, "late" number records + 1) a copy is new to it and delivered.
  const ByteArray again = p.client.decryptDatagram(&p.client_socket, early.front());
  const bool kept = recordsKeptForTheNextEpoch() > 0;
  const bool in_window = static_cast<std::size_t>(records) < kReplayWindowRecords;
  EXPECT_EQ(again, kept || !in_window ? ByteArray() : sent.front());
  EXPECT_EQ(p.client.dtlsError(), DtlsError::NoError) << p.why();
}

INSTANTIATE_TEST_SUITE_P(Counts, EarlyDataTest, ::testing::Combine(::testing::ValuesIn(test::backendsUnderTest()),
                       ::testing::Values(1, 10, 80)));

TEST_P(ConnectionDataTest, NoPendingDatagramsAfterAPlainHandshake) {
  DtlsPair p;
  ASSERT_TRUE(p.handshake()) << p.why();
  EXPECT_TRUE(p.client.takePendingDatagrams().empty());
  EXPECT_TRUE(p.server.takePendingDatagrams().empty());
}

// ---- The socket fails --------------------------------------------------------------------------

TEST_P(ConnectionDataTest, FailingSocketDuringHandshakeIsRecoveredByRetransmission) {
  DtlsPair p;
  p.client_socket.setFailWrites(true);
  EXPECT_FALSE(p.client.doHandshake(&p.client_socket));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::UnderlyingSocketError);
  EXPECT_EQ(p.client.dtlsErrorString(),
            "doHandshake: writing to the socket failed: writeDatagram: No route to host");
  // A failed write is a lost datagram: the handshake goes on, the timer will retransmit.
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeInProgress);
  EXPECT_EQ(p.clock.nextTimerIn(), std::chrono::seconds(1));
  p.clock.fireNext();
  EXPECT_EQ(p.client.dtlsError(), DtlsError::UnderlyingSocketError);
  EXPECT_THAT(p.client.dtlsErrorString(), StartsWith("handleTimeout: writing to the socket failed"));
  p.client_socket.setFailWrites(false);
  EXPECT_TRUE(p.handshake(/*max_timeouts=*/2)) << p.why();
  EXPECT_EQ(p.client.retransmissionCount(), 2);
}

// The server's last flight is lost, the client retransmits its own, and the server's answer (its
// last flight again) cannot be sent: decryptDatagram reports the socket, also when the
// datagram carried a forged record besides (the forgery is dropped either way).
TEST_P(ConnectionDataTest, FailingSocketWhileAnsweringARetransmissionIsReported) {
  DtlsPair p;
  p.filter = [&p](bool to_server, const ByteArray&) {
    return to_server || !p.server.isConnectionEncrypted();
  };
  EXPECT_FALSE(p.handshake());
  ASSERT_TRUE(p.server.isConnectionEncrypted()) << p.why();
  ASSERT_TRUE(p.clock.fireNext());  // the client retransmits its last flight
  const std::vector<ByteArray> flight = p.client_socket.take();
  ASSERT_FALSE(flight.empty());
  // An application record of epoch 1 with a number never sent: it fails authentication.
  const ByteArray forged =
      ByteArray("\x17\xfe\xfd\x00\x01\x00\x00\x00\x00\x00\x63\x00\x28", 13) + ByteArray(40, 'A');
  p.server_socket.setFailWrites(true);
  std::vector<std::string> errors;
  for (const ByteArray& d : flight) {
    EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, d + forged).empty());
    errors.push_back(p.server.dtlsErrorString());
  }
  if (wolfServerIgnoresTheRetransmittedFlight()) {
    // Nothing is written, so only the forgery is left to report.
    EXPECT_THAT(p.server.dtlsErrorString(), HasSubstr("failed authentication"));
    EXPECT_TRUE(p.server.isConnectionEncrypted());
    return;
  }
  EXPECT_EQ(p.server.dtlsError(), DtlsError::UnderlyingSocketError)
      << ::testing::PrintToString(errors);
  EXPECT_THAT(p.server.dtlsErrorString(),
              StartsWith("decryptDatagram: answering a retransmission failed: "));
  // The same forgery alone is still reported as one.
  p.server_socket.setFailWrites(false);
  EXPECT_TRUE(p.server.decryptDatagram(&p.server_socket, forged).empty());
  EXPECT_THAT(p.server.dtlsErrorString(), HasSubstr("failed authentication"));
  EXPECT_TRUE(p.server.isConnectionEncrypted());
}

TEST_P(ConnectionDataTest, FailingSocketOnWriteKeepsTheConnection) {
  DataPair p;
  p.client_socket.setFailWrites(true);
  EXPECT_EQ(p.client.writeDatagramEncrypted(&p.client_socket, "lost"), -1);
  EXPECT_EQ(p.client.dtlsError(), DtlsError::UnderlyingSocketError);
  EXPECT_EQ(p.client.dtlsErrorString(),
            "writeDatagramEncrypted: writing to the socket failed: writeDatagram: No route to "
            "host");
  p.client_socket.setFailWrites(false);
  EXPECT_TRUE(p.client.isConnectionEncrypted());
  EXPECT_TRUE(p.stillUsable());
}

TEST_P(ConnectionDataTest, FailingSocketOnShutdownIsReported) {
  DataPair p;
  p.client_socket.setFailWrites(true);
  EXPECT_FALSE(p.client.shutdown(&p.client_socket));
  EXPECT_EQ(p.client.dtlsError(), DtlsError::UnderlyingSocketError);
  EXPECT_THAT(p.client.dtlsErrorString(), StartsWith("shutdown: sending close_notify failed: "));
  EXPECT_EQ(p.client.handshakeState(), Connection::HandshakeNotStarted);
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(ConnectionDataTest);

}  // namespace
}  // namespace dtls
