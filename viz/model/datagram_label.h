// viz/model/datagram_label.h — the diagram's labels for a datagram, from dtls/wire.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace viz {

// One label per record of `bytes`, as dtls::wire::describe(Record) gives it, except that
// application data sizes are human-sized ("AppData 28 B", "AppData 1 KiB", "AppData 1.5 KiB"):
// the diagram shows sizes at a glance, the detail pane shows exact lengths. If decoding stopped
// early, a last part "[malformed: <decoder error>]" says why; an empty datagram gives
// {"(empty datagram)"}.
std::vector<std::string> datagramLabelParts(std::string_view bytes);

// "28 B", "1 KiB", "1.5 KiB", "2 MiB": one decimal, trailing ".0" dropped.
std::string humanBytes(std::uint64_t bytes);

}  // namespace viz
