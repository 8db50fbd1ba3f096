// Scenario.endpoint_groups expanded into plain endpoints, actions and expectations where each
// group stands in the file (scenario.proto, EndpointGroup). Everything after the loader (the
// validator, the World, the trace) sees only the expansion.
#include <arpa/inet.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "scenarios/scenario_file.h"

namespace scenarios {

namespace {

namespace pb = google::protobuf;

// Bounds on one group's members and on all groups' endpoints, actions and expectations
// together: a typo of a few zeros (or a fuzzer) should not eat the machine.
constexpr std::uint32_t kMaxGroupMembers = 100'000;
constexpr std::uint64_t kMaxExpandedEntries = 200'000;

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// `message` with "{i}" (and "{name}") replaced in every string: through the text format, so
// every string field at any depth is covered. Escaping leaves the braces alone.
template <typename Message>
Message substituted(const Message& message, std::uint32_t index, const std::string& name) {
  std::string text;
  pb::TextFormat::PrintToString(message, &text);
  replaceAll(text, "{i}", std::to_string(index));
  if (!name.empty()) replaceAll(text, "{name}", name);
  Message out;
  pb::TextFormat::ParseFromString(text, &out);
  return out;
}

// `address` advanced by `steps`: IPv4 as a 32-bit number, IPv6 in its low 64 bits. False when
// it is not an address literal or the sum leaves its range.
bool advance(const std::string& address, std::uint64_t steps, std::string* out) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    const std::uint64_t value = ntohl(v4.s_addr) + steps;
    if (value > 0xffffffffULL) return false;
    v4.s_addr = htonl(static_cast<std::uint32_t>(value));
    char text[INET_ADDRSTRLEN];
    *out = inet_ntop(AF_INET, &v4, text, sizeof text);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return false;
  std::uint64_t low = 0;
  for (int b = 8; b < 16; ++b) low = (low << 8) | v6.s6_addr[b];
  if (low + steps < low) return false;
  low += steps;
  for (int b = 15; b >= 8; --b, low >>= 8) v6.s6_addr[b] = static_cast<std::uint8_t>(low & 0xff);
  char text[INET6_ADDRSTRLEN];
  *out = inet_ntop(AF_INET6, &v6, text, sizeof text);
  return true;
}

// One entry of an expanded list: the message, where it came from (for its source locations)
// and where it stands in the file (for its place in the list).
template <typename Message>
struct Placed {
  Message message;
  std::string source;  // "endpoints[3]" or "endpoint_groups[0].actions[1]"
  SourceLocations::Position at;
};

template <typename Message>
bool before(const Placed<Message>& a, const Placed<Message>& b) {
  return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
}

// Puts the placed entries into `field` in file order (a group's members keep their order: the
// sort is stable and they share the group's position) and their locations under `name[k]`.
template <typename Message>
void place(std::vector<Placed<Message>> placed, pb::RepeatedPtrField<Message>* field,
           const std::string& name, const SourceLocations& from, SourceLocations* to) {
  std::stable_sort(placed.begin(), placed.end(), before<Message>);
  field->Clear();
  to->forget(name);
  for (std::size_t k = 0; k < placed.size(); ++k) {
    *field->Add() = std::move(placed[k].message);
    to->copyUnder(from, placed[k].source, name + "[" + std::to_string(k) + "]");
  }
}

template <typename Message>
std::vector<Placed<Message>> explicitEntries(const pb::RepeatedPtrField<Message>& field,
                                             const std::string& name,
                                             const SourceLocations& locations) {
  std::vector<Placed<Message>> out;
  for (int i = 0; i < field.size(); ++i) {
    const std::string source = name + "[" + std::to_string(i) + "]";
    out.push_back({field.Get(i), source, locations.find(source)});
  }
  return out;
}

}  // namespace

bool expandEndpointGroups(LoadedScenario* loaded, std::string* error) {
  dtlsim::Scenario& s = loaded->scenario;
  if (s.endpoint_groups().empty()) return true;
  const SourceLocations original = loaded->locations;
  auto endpoints = explicitEntries(s.endpoints(), "endpoints", original);
  auto actions = explicitEntries(s.actions(), "actions", original);
  auto expectations = explicitEntries(s.expectations(), "expectations", original);

  std::uint64_t expanded = 0;
  for (int g = 0; g < s.endpoint_groups_size(); ++g) {
    const dtlsim::EndpointGroup& group = s.endpoint_groups(g);
    const std::string path = "endpoint_groups[" + std::to_string(g) + "]";
    const SourceLocations::Position at = original.find(path);
    if (group.count() == 0 || group.count() > kMaxGroupMembers) {
      *error = original.error(path + ".count", "must be in 1.." + std::to_string(kMaxGroupMembers) +
                                                   ", got " + std::to_string(group.count()));
      return false;
    }
    expanded += std::uint64_t{group.count()} *
                (1 + static_cast<std::uint64_t>(group.actions_size()) +
                 static_cast<std::uint64_t>(group.expectations_size()));
    if (expanded > kMaxExpandedEntries) {
      *error = original.error(path, "the groups up to this one stand for " +
                                        std::to_string(expanded) +
                                        " endpoints, actions and expectations, more than the "
                                        "bound of " + std::to_string(kMaxExpandedEntries));
      return false;
    }
    if (group.count() > 1 && group.endpoint().name().find("{i}") == std::string::npos) {
      *error = original.error(path + ".endpoint.name",
                              "'" + group.endpoint().name() +
                                  "' has no {i}: the group's members need names of their own");
      return false;
    }
    if (group.count() > 1 && group.address_step() == 0 &&
        (group.port_step() == 0 || group.endpoint().port() == 0)) {
      *error = original.error(path + ".address_step",
                              "0 with no port_step and port: every member would have the same "
                              "address and port");
      return false;
    }
    std::vector<std::string> names;
    for (std::uint32_t i = 0; i < group.count(); ++i) {
      dtlsim::Endpoint e = substituted(group.endpoint(), i, "");
      std::string address;
      if (!advance(group.endpoint().address(), std::uint64_t{i} * group.address_step(), &address)) {
        *error = original.error(path + ".endpoint.address",
                                "'" + group.endpoint().address() + "' is not an address literal, "
                                "or member " + std::to_string(i) + " runs past the last address");
        return false;
      }
      e.set_address(address);
      if (e.port() != 0) {
        const std::uint64_t port = e.port() + std::uint64_t{i} * group.port_step();
        if (port > 65535) {
          *error = original.error(path + ".port_step", "member " + std::to_string(i) +
                                                           " would get port " + std::to_string(port));
          return false;
        }
        e.set_port(static_cast<std::uint32_t>(port));
      }
      e.set_start_ms(e.start_ms() + i * group.start_step_ms());
      names.push_back(e.name());
      endpoints.push_back({std::move(e), path + ".endpoint", at});
    }
    for (int j = 0; j < group.actions_size(); ++j) {
      for (std::uint32_t i = 0; i < group.count(); ++i) {
        dtlsim::Action a = substituted(group.actions(j), i, names[i]);
        if (a.endpoint().empty()) a.set_endpoint(names[i]);
        actions.push_back({std::move(a), path + ".actions[" + std::to_string(j) + "]", at});
      }
    }
    for (int j = 0; j < group.expectations_size(); ++j) {
      for (std::uint32_t i = 0; i < group.count(); ++i) {
        dtlsim::Expectation x = substituted(group.expectations(j), i, names[i]);
        if (x.endpoint().empty()) x.set_endpoint(names[i]);
        expectations.push_back(
            {std::move(x), path + ".expectations[" + std::to_string(j) + "]", at});
      }
    }
  }
  place(std::move(endpoints), s.mutable_endpoints(), "endpoints", original, &loaded->locations);
  place(std::move(actions), s.mutable_actions(), "actions", original, &loaded->locations);
  place(std::move(expectations), s.mutable_expectations(), "expectations", original,
        &loaded->locations);
  s.clear_endpoint_groups();
  loaded->locations.forget("endpoint_groups");
  return true;
}

}  // namespace scenarios
