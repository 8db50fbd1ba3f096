#include "datagram_bio.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace dtls::detail {

namespace {

DatagramChannel* channelOf(BIO* bio) { return static_cast<DatagramChannel*>(BIO_get_data(bio)); }

// The errors after which a later write of the same datagram may succeed (OpenSSL's
// BIO_dgram_non_fatal_error, less those a UDP send does not give).
bool isTransient(int error) {
  return error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS || error == EINTR;
}

int bioWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  DatagramChannel* channel = channelOf(bio);
  if (channel == nullptr || len < 0) return -1;
  ++channel->datagrams_written;
  if (channel->socket == nullptr) {
    channel->write_failed = true;
    channel->write_error = "no socket to write to";
    return len;
  }
  const bool failed = channel->socket->writeDatagram(std::string_view(data, static_cast<size_t>(len)),
                                                     channel->peer_address,
                                                     channel->peer_port) < 0;
  if (!failed) return len;
  channel->write_failed = true;
  channel->write_error = channel->socket->errorString();
  if (channel->failed_write == DatagramChannel::FailedWrite::kRetryTransient &&
      isTransient(channel->socket->error())) {
    BIO_set_retry_write(bio);
    return -1;
  }
  return len;
}

int bioRead(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  DatagramChannel* channel = channelOf(bio);
  if (channel == nullptr || channel->incoming_consumed) {
    BIO_set_retry_read(bio);
    return -1;
  }
  // What is longer than OpenSSL's buffer is cut, as a UDP socket cuts a datagram longer than
  // the read (only a handshake datagram can be: decryptDatagram feeds single records).
  const size_t n = std::min(channel->incoming.size(), static_cast<size_t>(std::max(len, 0)));
  std::memcpy(out, channel->incoming.data(), n);
  channel->incoming_consumed = true;
  return static_cast<int>(n);
}

long bioCtrl(BIO* bio, int cmd, long /*num*/, void* /*ptr*/) {
  DatagramChannel* channel = channelOf(bio);
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_WPENDING:
      return 0;
    case BIO_CTRL_PENDING:
      return (channel && !channel->incoming_consumed)
                 ? static_cast<long>(channel->incoming.size())
                 : 0;
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return kDefaultLinkMtuBytes;
    // Zero overhead: the connection subtracts IP/UDP headers itself before DTLS_set_link_mtu.
    // A nonzero value here makes OpenSSL fragment the first ClientHello (DESIGN.md §4).
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      return 0;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:  // the connection asks DTLSv1_get_timeout instead
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
    case BIO_CTRL_DGRAM_QUERY_MTU:
    default:
      return 0;
  }
}

int bioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int bioDestroy(BIO* bio) {
  BIO_set_data(bio, nullptr);
  return 1;
}

BIO_METHOD* datagramMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "dtlsim datagram");
    BIO_meth_set_write(m, bioWrite);
    BIO_meth_set_read(m, bioRead);
    BIO_meth_set_ctrl(m, bioCtrl);
    BIO_meth_set_create(m, bioCreate);
    BIO_meth_set_destroy(m, bioDestroy);
    return m;
  }();
  return method;
}

}  // namespace

BIO* newDatagramBio(DatagramChannel* channel) {
  BIO* bio = BIO_new(datagramMethod());
  if (bio != nullptr) BIO_set_data(bio, channel);
  return bio;
}

}  // namespace dtls::detail
