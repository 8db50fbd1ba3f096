// scenarios/decisions_io.h — simnet's fault decisions (simnet/decisions.h) as the proto's
// `repeated FaultDecision` (scenario.proto explicit_faults, trace.proto decisions) and back.
//
// The round trip is exact: decisionsFromProto(decisionsToProto(log)) == log for every log a
// Network records. Drop reasons are written with simnet::toString(DropReason) ("loss",
// "burst", "mtu", ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/repeated_field.h>

#include "dtlsim/scenario.pb.h"
#include "simnet/decisions.h"
#include "simnet/observer.h"

namespace scenarios {

using FaultDecisionList = google::protobuf::RepeatedPtrField<dtlsim::FaultDecision>;

// The DropReason whose simnet::toString is `name`; nullopt for anything else.
std::optional<simnet::DropReason> dropReasonFromName(std::string_view name);
// Every valid name, comma-separated in enum order ("loss, burst, mtu, ..."), for messages.
std::string dropReasonNames();

// Appends one FaultDecision per log entry to *out (cleared first), in datagram-id order.
void decisionsToProto(const simnet::DecisionLog& log, FaultDecisionList* out);

// Converts `decisions` to a DecisionLog in *out (cleared first). Returns false on the first bad
// entry, with *error = "<field_name>[i].<field>: <what>" and, if error_field is not null,
// *error_field = "<field_name>[i].<field>" (so a caller can add a file position). Errors:
// datagram_id 0; a datagram_id that appears twice; an unknown drop reason (the message lists
// the valid names); a dropped entry with copies; a kept entry without copies; a copy's
// delay_us above the int64 range.
bool decisionsFromProto(const FaultDecisionList& decisions, simnet::DecisionLog* out,
                        std::string* error, const std::string& field_name = "decisions",
                        std::string* error_field = nullptr);

}  // namespace scenarios
