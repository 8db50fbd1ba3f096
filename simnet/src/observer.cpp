#include "simnet/observer.h"

namespace simnet {

std::string_view toString(DropReason r) {
  switch (r) {
    case DropReason::kLoss: return "loss";
    case DropReason::kBurst: return "burst";
    case DropReason::kMtu: return "mtu";
    case DropReason::kQueue: return "queue";
    case DropReason::kPartition: return "partition";
    case DropReason::kRule: return "rule";
    case DropReason::kNoListener: return "no-listener";
    case DropReason::kRcvBuf: return "rcvbuf";
    case DropReason::kOverload: return "overload";
    case DropReason::kSndBuf: return "sndbuf";
  }
  return "?";
}

std::string_view toString(EventKind k) {
  switch (k) {
    case EventKind::kSend: return "send";
    case EventKind::kDeliver: return "deliver";
    case EventKind::kDrop: return "drop";
    case EventKind::kDuplicate: return "duplicate";
    case EventKind::kCorrupt: return "corrupt";
    case EventKind::kTruncate: return "truncate";
    case EventKind::kDelay: return "delay";
  }
  return "?";
}

}  // namespace simnet
