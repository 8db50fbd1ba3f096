// Tests of scenarios/loader/scenario_file.cpp and validate.cpp: loading, source positions and
// every validation rule, one table row per bad input asserting file:line:column and message.

#include "scenarios/scenario_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace scenarios {
namespace {

const std::string kDataDir = std::string(DTLSIM_TEST_DATA_DIR) + "/scenarios";

// A valid scenario; rows change it with one substitution or append to it.
const std::string kBase = R"(name: "base"
endpoints {
  name: "srv"
  role: SERVER
  address: "10.0.0.1"
  port: 4433
  dtls { certificate_chain: "../certs/server-chain.pem" private_key: "../certs/server.key.pem" }
}
endpoints {
  name: "cli"
  address: "10.0.0.2"
  server: "srv"
  dtls { ca_certificates: "../certs/ca.pem" verify_name: "server.dtlsim.test" }
}
)";

bool parse(const std::string& text, LoadedScenario* out, std::string* error) {
  return parseScenarioText(text, "x.textproto", kDataDir, out, error);
}

// "line:col" (1-based) of the first occurrence of `marker` in `text`.
std::string positionOf(const std::string& text, const std::string& marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) return "marker '" + marker + "' not in text";
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

TEST(ScenarioFileTest, BaseIsValid) {
  LoadedScenario loaded;
  std::string error;
  ASSERT_TRUE(parse(kBase, &loaded, &error)) << error;
  EXPECT_EQ(loaded.scenario.endpoints_size(), 2);
  EXPECT_EQ(loaded.findEndpoint("cli"), 1);
  EXPECT_EQ(loaded.findEndpoint("nope"), -1);
}

TEST(ScenarioFileTest, LoadsFullAndMinimalFiles) {
  for (const char* name : {"full.textproto", "minimal.textproto"}) {
    LoadedScenario loaded;
    std::string error;
    EXPECT_TRUE(loadScenarioFile(kDataDir + "/" + name, &loaded, &error)) << name << ": " << error;
    EXPECT_EQ(loaded.base_dir, kDataDir);
    EXPECT_EQ(loaded.path, kDataDir + "/" + name);
  }
}

TEST(ScenarioFileTest, LocationsOfFields) {
  LoadedScenario loaded;
  std::string error;
  ASSERT_TRUE(loadScenarioFile(kDataDir + "/full.textproto", &loaded, &error)) << error;
  const SourceLocations& loc = loaded.locations;
  const std::string file = kDataDir + "/full.textproto";
  EXPECT_EQ(loc.at("name"), file + ":3:1");
  EXPECT_EQ(loc.at("network.default_link.latency_us"), file + ":10:5");
  EXPECT_EQ(loc.at("network.default_link.jitter.pareto_shape"), file + ":11:43");
  EXPECT_EQ(loc.at("endpoints[1].dtls.ca_certificates[1]"), file + ":73:5");
  EXPECT_EQ(loc.at("endpoints[0].dtls.curves[1]"), file + ":55:5");
  EXPECT_EQ(loc.at("endpoints[0].dtls.backend_options[0]"), file + ":61:5");
  EXPECT_EQ(loc.at("explicit_faults[1].copies[1].flipped_bits[1]"), file + ":106:124");
  // Not written: the nearest written parent.
  EXPECT_FALSE(loc.contains("endpoints[2].dtls"));
  EXPECT_EQ(loc.at("endpoints[2].dtls.protocol"), file + ":81:1");
  EXPECT_EQ(loc.at("no_such_field"), file + ":1:1");
  EXPECT_EQ(loc.error("endpoints[2].port", "bad"), file + ":84:3: endpoints[2].port: bad");
}

TEST(ScenarioFileTest, Defaults) {
  dtlsim::Scenario s;
  EXPECT_EQ(maxVirtualTimeUs(s), 300000 * 1000);
  EXPECT_EQ(epochUnixS(s), 1893456000u);
  s.set_max_virtual_time_ms(1500);
  s.set_epoch_unix_s(7);
  EXPECT_EQ(maxVirtualTimeUs(s), 1500 * 1000);
  EXPECT_EQ(epochUnixS(s), 7u);
}

TEST(ScenarioFileTest, FileErrors) {
  LoadedScenario loaded;
  std::string error;
  EXPECT_FALSE(loadScenarioFile(kDataDir + "/missing.textproto", &loaded, &error));
  EXPECT_EQ(error, kDataDir + "/missing.textproto: cannot read scenario file (No such file or directory)");
  EXPECT_FALSE(loadScenarioFile(kDataDir, &loaded, &error));
  EXPECT_EQ(error, kDataDir + ": cannot read scenario file (Is a directory)");
  EXPECT_FALSE(loadScenarioFile(kDataDir + "/unknown_field.textproto", &loaded, &error));
  EXPECT_EQ(error, kDataDir + "/unknown_field.textproto:4:5: unknown field 'latncy_us' in dtlsim.Link");
}

TEST(ScenarioFileTest, ResolvePath) {
  LoadedScenario loaded;
  loaded.base_dir = "dir/sub";
  EXPECT_EQ(loaded.resolvePath("../certs/a.pem"), "dir/sub/../certs/a.pem");
  EXPECT_EQ(loaded.resolvePath("/abs/a.pem"), "/abs/a.pem");
}

struct BadCase {
  const char* name;
  const char* from;  // substituted in kBase; empty: `to` is appended
  const char* to;
  const char* marker;    // where the error must point (first occurrence in the result)
  const char* fragment;  // what the message must contain after "x.textproto:L:C: "
};

const BadCase kBadCases[] = {
    // Parse errors (protobuf's parser).
    {"unknown_field", "", "network { default_link { latncy_us: 5 } }", "latncy_us",
     "unknown field 'latncy_us' in dtlsim.Link"},
    {"unknown_enum", "role: SERVER", "role: SERVRE", "SERVRE", "unknown value 'SERVRE' for field 'role'"},
    {"syntax", "", "endpoints {", "", "Expected identifier"},
    {"negative_uint", "port: 4433", "port: -1", "-1", "Expected integer, got: -"},
    // Scenario.
    {"max_time", "", "max_virtual_time_ms: 3600001", "max_virtual_time_ms",
     "max_virtual_time_ms: 3600001 ms is more than 3600000 (one hour)"},
    {"epoch", "", "epoch_unix_s: 253402300800", "epoch_unix_s", "epoch_unix_s: 253402300800 is after"},
    // Endpoints.
    {"no_endpoints", nullptr, "name: \"x\"", "name", "endpoints: the scenario has no endpoints"},
    {"empty_name", "name: \"cli\"", "name: \"\"", "name: \"\"", "endpoints[1].name: empty endpoint name"},
    {"duplicate_name", "name: \"cli\"", "name: \"srv\"", "name: \"srv\"\n  address: \"10.0.0.2\"",
     "endpoints[1].name: 'srv' is also the name of endpoints[0]"},
    {"bad_address", "\"10.0.0.2\"", "\"10.0.0.256\"", "address: \"10.0.0.256\"",
     "endpoints[1].address: '10.0.0.256' is not an IPv4 or IPv6 literal"},
    {"multicast", "\"10.0.0.2\"", "\"224.0.0.1\"", "address: \"224", "'224.0.0.1' is a multicast address"},
    {"broadcast", "\"10.0.0.2\"", "\"255.255.255.255\"", "address: \"255", "is the broadcast address"},
    {"any", "\"10.0.0.2\"", "\"0.0.0.0\"", "address: \"0.0", "is the unspecified address"},
    {"empty_address", "address: \"10.0.0.2\"", "", "endpoints {\n  name: \"cli\"", "endpoints[1].address: '' is not"},
    {"scope_id", "\"10.0.0.2\"", "\"fe80::1%eth0\"", "address: \"fe80", "has a scope id"},
    {"port_range", "port: 4433", "port: 70000", "port: 70000", "endpoints[0].port: 70000 is outside [0, 65535]"},
    {"server_port_0", "port: 4433", "port: 0", "port: 0", "endpoints[0].port: a server needs a port"},
    {"shared_port", "address: \"10.0.0.2\"", "address: \"10.0.0.1\" port: 4433", "port: 4433\n  server",
     "endpoints[1].port: 10.0.0.1:4433 is also used by endpoints[0] ('srv')"},
    {"client_without_server", "server: \"srv\"", "", "endpoints {\n  name: \"cli\"",
     "endpoints[1].server: a client needs the name of its server endpoint"},
    {"unknown_server", "server: \"srv\"", "server: \"svr\"", "server: \"svr\"",
     "endpoints[1].server: no endpoint named 'svr'"},
    {"server_is_client", "", "endpoints { name: \"c2\" address: \"10.0.0.3\" server: \"cli\" }", "server: \"cli\"",
     "endpoints[2].server: 'cli' is not a server"},
    {"family_mismatch", "\"10.0.0.2\"", "\"fd00::2\"", "server: \"srv\"", "have different address families"},
    {"server_names_server", "role: SERVER", "role: SERVER server: \"cli\"", "server: \"cli\"",
     "endpoints[0].server: set on a server"},
    {"start_after_end", "server: \"srv\"", "server: \"srv\" start_ms: 300001", "start_ms",
     "endpoints[1].start_ms: 300001 ms is after the end of the run"},
    // Noise senders.
    {"noise_no_count", "", "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" server: \"srv\" }",
     "endpoints { name: \"n\"", "endpoints[2].noise.count: a NOISE endpoint needs count > 0"},
    {"noise_interval_zero", "",
     "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" server: \"srv\" noise { count: 3 } }", "noise {",
     "endpoints[2].noise.interval_ms: 0 with count 3 (every datagram at the same instant)"},
    {"noise_size", "",
     "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" server: \"srv\" noise { count: 1 max_size_bytes: 70000 } }",
     "max_size_bytes", "endpoints[2].noise.max_size_bytes: 70000 is more than 65507"},
    {"noise_with_dtls", "",
     "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" server: \"srv\" noise { count: 1 } dtls { alpn: \"h2\" } }",
     "dtls { alpn", "endpoints[2].dtls: set on a NOISE endpoint (it speaks no DTLS)"},
    {"noise_broken_timer", "",
     "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" server: \"srv\" noise { count: 1 } broken_timer_below_ms: 5 }",
     "broken_timer_below_ms", "endpoints[2].broken_timer_below_ms: set on a NOISE endpoint (it runs no DTLS timer)"},
    {"noise_without_server", "", "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" noise { count: 1 } }",
     "endpoints { name: \"n\"", "endpoints[2].server: a client needs the name of its server endpoint"},
    {"noise_on_client", "server: \"srv\"", "server: \"srv\" noise { count: 1 }", "noise {",
     "endpoints[1].noise: set on a client (only a NOISE endpoint sends noise)"},
    {"noise_action", "",
     "endpoints { name: \"n\" role: NOISE address: \"10.0.0.9\" server: \"srv\" noise { count: 1 } }\n"
     "actions { endpoint: \"n\" send { payload: \"x\" } }",
     "endpoint: \"n\"", "actions[0].endpoint: 'n' is a NOISE endpoint; it takes no actions"},
    // DTLS settings.
    {"protocol", "verify_name:", "protocol: \"DTLS1.2\" verify_name:", "protocol",
     "endpoints[1].dtls.protocol: unknown protocol 'DTLS1.2' (valid: TlsV1_0, "},
    {"verify_mode", "verify_name:", "verify_mode: \"Verify\" verify_name:", "verify_mode",
     "unknown verify mode 'Verify' (valid: VerifyNone, QueryPeer, VerifyPeer, AutoVerifyPeer)"},
    {"verify_depth", "verify_name:", "verify_depth: -1 verify_name:", "verify_depth",
     "endpoints[1].dtls.verify_depth: -1 is negative"},
    {"missing_key_file", "../certs/server.key.pem", "keys/x.pem", "private_key",
     "endpoints[0].dtls.private_key: cannot read 'keys/x.pem' (resolved to "},
    {"missing_ca_file", "../certs/ca.pem", "nope.pem", "ca_certificates",
     "endpoints[1].dtls.ca_certificates[0]: cannot read 'nope.pem' (resolved to "},
    {"ca_is_directory", "../certs/ca.pem", "../certs", "ca_certificates", "Is a directory"},
    {"not_a_certificate", "../certs/server-chain.pem", "../certs/server.key.pem", "certificate_chain",
     "endpoints[0].dtls.certificate_chain: '../certs/server.key.pem' (resolved to "},
    {"not_a_key", "../certs/server.key.pem", "../certs/ca.pem", "private_key", "holds no PEM private key"},
    {"encrypted_key_no_pass", "../certs/server.key.pem", "../certs/server.key.encrypted.pem", "private_key",
     "it is encrypted and private_key_passphrase is empty"},
    {"encrypted_key_bad_pass", "../certs/server.key.pem\"", "../certs/server.key.encrypted.pem\" private_key_passphrase: \"x\"",
     "private_key:", "(wrong passphrase?)"},
    {"key_without_chain", "certificate_chain: \"../certs/server-chain.pem\" ", "", "private_key",
     "endpoints[0].dtls.private_key: set without certificate_chain"},
    {"chain_without_key", " private_key: \"../certs/server.key.pem\"", "", "certificate_chain",
     "set without private_key"},
    {"cipher", "verify_name:", "ciphers: \"AES128-SHA:FOO\" verify_name:", "ciphers",
     "endpoints[1].dtls.ciphers: setCiphers: unknown cipher 'FOO'"},
    {"curve", "verify_name:", "curves: \"prime256v1\" curves: \"P-999\" verify_name:", "curves: \"P-999",
     "endpoints[1].dtls.curves[1]: unknown elliptic curve 'P-999'"},
    {"psk_hex", "verify_name:", "psk { key_hex: \"abc\" } verify_name:", "key_hex",
     "endpoints[1].dtls.psk.key_hex: 'abc' is not hex"},
    {"psk_hex_chars", "verify_name:", "psk { key_hex: \"zz\" } verify_name:", "key_hex", "'zz' is not hex"},
    {"alpn_empty", "verify_name:", "alpn: \"h2\" alpn: \"\" verify_name:", "alpn: \"\"",
     "endpoints[1].dtls.alpn[1]: '': an ALPN name has 1 to 255 bytes"},
    {"ignore_errors", "verify_name:", "ignore_errors: \"Expired\" verify_name:", "ignore_errors",
     "endpoints[1].dtls.ignore_errors[0]: unknown SslError 'Expired' (valid: NoError, "},
    {"mtu_hint", "verify_name:", "mtu_hint_bytes: 67 verify_name:", "mtu_hint_bytes",
     "endpoints[1].dtls.mtu_hint_bytes: 67 is outside [68, 65535] (0 means no limit)"},
    {"backend_option_name", "verify_name:", "backend_options { key: \"\" value: \"x\" } verify_name:",
     "dtls { ca", "endpoints[1].dtls.backend_options: an option with an empty name"},
    {"backend", "verify_name:", "backend: \"nosuchtls\" verify_name:", "backend:",
     "endpoints[1].dtls.backend: unknown backend 'nosuchtls' (valid: openssl, mbedtls, gnutls, wolfssl)"},
    // Links.
    {"loss", "", "network { default_link { loss_probability: 1.5 } }", "loss_probability",
     "network.default_link.loss_probability: 1.5 is outside [0, 1]"},
    {"loss_nan", "", "network { default_link { loss_probability: nan } }", "loss_probability",
     "network.default_link.loss_probability: NaN is not a probability"},
    {"duplicate_negative", "", "network { default_link { duplicate_probability: -0.1 } }", "duplicate_probability",
     "-0.1 is outside [0, 1]"},
    {"latency", "", "network { default_link { latency_us: 3600000001 } }", "latency_us",
     "network.default_link.latency_us: 3600000001 us is more than 3600000000 (one hour)"},
    {"jitter_none", "", "network { default_link { jitter { jitter_us: 5 } } }", "jitter_us",
     "network.default_link.jitter.jitter_us: set but kind is NONE"},
    {"jitter_zero", "", "network { default_link { jitter { kind: UNIFORM } } }", "jitter {",
     "network.default_link.jitter.jitter_us: 0 with kind UNIFORM"},
    {"pareto_shape_negative", "", "network { default_link { jitter { kind: PARETO jitter_us: 5 pareto_shape: -1 } } }",
     "pareto_shape", "pareto_shape: -1 is not > 0"},
    {"pareto_shape_wrong_kind", "", "network { default_link { jitter { kind: NORMAL jitter_us: 5 pareto_shape: 2 } } }",
     "pareto_shape", "set but kind is NORMAL, not PARETO"},
    {"burst_never_ends", "", "network { default_link { burst_loss { p_good_to_bad: 0.1 bad_loss_probability: 1 } } }",
     "burst_loss", "network.default_link.burst_loss.r_bad_to_good: 0 means a loss burst never ends"},
    {"burst_loses_nothing", "", "network { default_link { burst_loss { r_bad_to_good: 0.5 } } }", "burst_loss",
     "nothing is ever lost"},
    {"mtu", "", "network { default_link { mtu_bytes: 40 } }", "mtu_bytes",
     "network.default_link.mtu_bytes: 40 is outside [68, 65535]"},
    {"mtu_high", "", "network { default_link { mtu_bytes: 65536 } }", "mtu_bytes", "65536 is outside"},
    {"copies", "", "network { default_link { duplicate_copies: 17 } }", "duplicate_copies", "17 is more than 16"},
    {"bit_flips", "", "network { default_link { corrupt_bit_flips: 1025 } }", "corrupt_bit_flips",
     "1025 is more than 1024"},
    {"override_unknown", "", "network { links { from: \"cli\" to: \"x\" } }", "to:",
     "network.links[0].to: no endpoint named 'x'"},
    {"override_empty_from", "", "network { links { to: \"srv\" } }", "links",
     "network.links[0].from: empty endpoint name"},
    {"override_self", "", "network { links { from: \"cli\" to: \"cli\" } }", "to:", "has the same address as"},
    {"override_twice", "",
     "network { links { from: \"cli\" to: \"srv\" } links { from: \"cli\" to: \"srv\" } }", "links { from: \"cli\" to: \"srv\" } }",
     "network.links[1]: a second override for 10.0.0.2 -> 10.0.0.1 (first: network.links[0])"},
    {"override_link_value", "", "network { links { from: \"cli\" to: \"srv\" link { truncate_probability: 2 } } }",
     "truncate_probability", "network.links[0].link.truncate_probability: 2 is outside [0, 1]"},
    // Partitions.
    {"partition_empty_side", "", "network { partitions { side_a: \"cli\" } }", "partitions",
     "network.partitions[0].side_b: empty"},
    {"partition_unknown", "", "network { partitions { side_a: \"cli\" side_b: \"srv\" side_b: \"zz\" } }",
     "side_b: \"zz\"", "network.partitions[0].side_b[1]: no endpoint named 'zz'"},
    {"partition_both_sides", "", "network { partitions { side_a: \"cli\" side_b: \"cli\" } }", "side_b",
     "'cli' is on both sides"},
    {"partition_window", "", "network { partitions { side_a: \"cli\" side_b: \"srv\" from_ms: 5 until_ms: 5 } }",
     "until_ms", "network.partitions[0].until_ms: 5 is not after from_ms 5"},
    {"clog_forever", "", "network { partitions { side_a: \"cli\" side_b: \"srv\" clog: true } }", "clog",
     "network.partitions[0].clog: a clog needs until_ms"},
    // Rules.
    {"rule_unknown_from", "", "network { rules { from: \"x\" } }", "from", "network.rules[0].from: no endpoint named 'x'"},
    {"rule_window", "", "network { rules { from_ms: 10 until_ms: 3 } }", "until_ms",
     "network.rules[0].until_ms: 3 is not after from_ms 10: the rule never matches"},
    {"rule_unknown_label", "", "network { rules { label: \"application_data\" } }", "label",
     "network.rules[0].label: 'application_data' is no label of the classifier, so it would never match"},
    {"rule_epoch_without_label", "", "network { rules { match_epoch: true } }", "match_epoch",
     "network.rules[0].match_epoch: needs a label"},
    {"rule_epoch_without_match", "", "network { rules { label: \"ccs\" epoch: 1 } }", "epoch",
     "network.rules[0].epoch: set but match_epoch is false"},
    {"rule_epoch_range", "", "network { rules { label: \"ccs\" match_epoch: true epoch: 70000 } }", "epoch: 7",
     "network.rules[0].epoch: 70000 is outside [0, 65535]"},
    {"rule_both_directions", "", "network { rules { from: \"cli\" both_directions: true } }", "both_directions",
     "needs both from and to"},
    {"rule_same_address", "", "network { rules { from: \"cli\" to: \"cli\" } }", "to:", "the rule never matches"},
    {"rule_delay_zero", "", "network { rules { action: DELAY } }", "rules", "network.rules[0].delay_us: DELAY needs delay_us > 0"},
    {"rule_delay_unused", "", "network { rules { delay_us: 5 } }", "delay_us",
     "network.rules[0].delay_us: set but action DROP does not use it"},
    {"rule_count", "", "network { rules { action: DUPLICATE count: 17 } }", "count", "17 copies is more than 16"},
    {"rule_count_unused", "", "network { rules { action: HOLD hold_until_ms: 5 count: 2 } }", "count",
     "set but action HOLD does not use it"},
    {"rule_hold_missing", "", "network { rules { action: HOLD } }", "rules",
     "network.rules[0].hold_until_ms: HOLD needs hold_until_ms"},
    {"rule_hold_before_window", "", "network { rules { action: HOLD from_ms: 9 hold_until_ms: 9 } }",
     "hold_until_ms", "9 is not after from_ms 9"},
    {"rule_truncate", "", "network { rules { action: TRUNCATE truncate_to_bytes: 70000 } }", "truncate_to_bytes",
     "70000 is not below the largest datagram"},
    // Actions.
    {"action_unknown_endpoint", "", "actions { endpoint: \"x\" start {} }", "endpoint: \"x",
     "actions[0].endpoint: no endpoint named 'x'"},
    {"action_no_kind", "", "actions { endpoint: \"cli\" }", "actions", "actions[0]: no action kind"},
    {"action_late", "", "actions { endpoint: \"cli\" at_ms: 300001 start {} }", "at_ms",
     "actions[0].at_ms: 300001 ms is after the end of the run (max_virtual_time_ms 300000)"},
    {"action_late_custom_max", "", "max_virtual_time_ms: 10 actions { endpoint: \"cli\" at_ms: 11 start {} }", "at_ms",
     "(max_virtual_time_ms 10)"},
    {"action_server_start", "", "actions { endpoint: \"srv\" start {} }", "start",
     "actions[0].start: 'srv' is a server; only clients start a handshake"},
    {"action_server_restart", "", "actions { endpoint: \"srv\" restart {} }", "restart", "only clients restart"},
    {"action_two_kinds", "", "actions { endpoint: \"cli\" start {} abort {} }", "abort", "oneof"},
    {"send_both", "", "actions { endpoint: \"cli\" send { payload: \"a\" size_bytes: 3 } }", "send",
     "actions[0].send: needs exactly one of payload and size_bytes"},
    {"send_neither", "", "actions { endpoint: \"cli\" send { } }", "send", "needs exactly one of"},
    {"send_size", "", "actions { endpoint: \"cli\" send { size_bytes: 65508 } }", "size_bytes",
     "actions[0].send.size_bytes: 65508 is more than 65507"},
    {"send_interval_alone", "", "actions { endpoint: \"cli\" send { payload: \"a\" interval_ms: 5 } }", "interval_ms",
     "set but count is not above 1"},
    {"after_handshake_start", "", "actions { endpoint: \"cli\" after_handshake: true start {} }", "after_handshake",
     "actions[0].after_handshake: a start action cannot wait for a handshake"},
    {"replay_no_label", "", "actions { endpoint: \"cli\" replay { count: 2 interval_ms: 1 } }", "replay",
     "actions[0].replay.label: empty (name what to replay"},
    {"replay_unknown_label", "", "actions { endpoint: \"cli\" replay { label: \"app\" } }", "label",
     "actions[0].replay.label: 'app' is no label of the classifier"},
    {"replay_count", "", "actions { endpoint: \"cli\" replay { label: \"appdata\" count: 100001 } }", "count",
     "actions[0].replay.count: 100001 is more than 100000"},
    {"replay_interval_alone", "", "actions { endpoint: \"cli\" replay { label: \"appdata\" interval_ms: 5 } }",
     "interval_ms", "actions[0].replay.interval_ms: set but count is not above 1"},
    // Expectations.
    {"expect_unknown_endpoint", "", "expectations { endpoint: \"x\" }", "endpoint: \"x",
     "expectations[0].endpoint: no endpoint named 'x'"},
    {"expect_state", "", "expectations { endpoint: \"cli\" final_state: \"Complete\" }", "final_state",
     "expectations[0].final_state: unknown handshake state 'Complete' (valid: HandshakeNotStarted, "
     "HandshakeInProgress, PeerVerificationFailed, HandshakeComplete)"},
    {"expect_error", "", "expectations { endpoint: \"cli\" last_error: \"Fatal\" }", "last_error",
     "unknown DtlsError 'Fatal' (valid: NoError, InvalidInputParameters, "},
    {"expect_library_excluded_no_finding", "", "expectations { endpoint: \"cli\" library { name: \"GnuTLS\" excluded: true } }",
     "excluded: true", "expectations[0].library[0].excluded: an excluded library needs `finding` (the scenario under scenarios/findings/ that shows why), `missing_feature` or `permitted_by`, one of them"},
    {"expect_library_excluded_two_reasons", "", "expectations { endpoint: \"cli\" library { name: \"GnuTLS\" excluded: true finding: \"002\" permitted_by: \"RFC 6347 §4.1: x\" } }",
     "excluded: true", "expectations[0].library[0].excluded: an excluded library needs `finding`"},
    {"expect_library_permitted_not_excluded", "", "expectations { endpoint: \"cli\" library { name: \"GnuTLS\" permitted_by: \"RFC 6347 §4.1: x\" } }",
     "permitted_by", "expectations[0].library[0].permitted_by: only an excluded library names what permits it"},
    {"expect_library_permitted_uncited", "", "expectations { endpoint: \"cli\" library { name: \"GnuTLS\" excluded: true permitted_by: \"it is fine\" } }",
     "permitted_by", "expectations[0].library[0].permitted_by: 'it is fine' does not cite an RFC section"},
    {"expect_library_missing_feature_supported", "", "expectations { endpoint: \"cli\" library { name: \"OpenSSL\" excluded: true missing_feature: \"MtuControl\" } }",
     "missing_feature", "expectations[0].library[0].missing_feature: OpenSSL supports MtuControl: the waiver no longer holds"},
    {"expect_library_missing_feature_unknown", "", "expectations { endpoint: \"cli\" library { name: \"wolfSSL\" excluded: true missing_feature: \"Teleport\" } }",
     "missing_feature", "expectations[0].library[0].missing_feature: unknown feature 'Teleport'"},
    {"expect_library_missing_cipher_unknown", "", "expectations { endpoint: \"cli\" library { name: \"wolfSSL\" excluded: true missing_feature: \"cipher NOPE-SHA\" } }",
     "missing_feature", "expectations[0].library[0].missing_feature: unknown cipher 'NOPE-SHA'"},
    {"expect_library_finding_not_excluded", "", "expectations { endpoint: \"cli\" library { name: \"GnuTLS\" finding: \"001\" } }",
     "finding:", "expectations[0].library[0].finding: only an excluded library names a finding"},
    {"expect_library_name", "", "expectations { endpoint: \"cli\" library { name: \"LibreSSL\" min_version: \"3.0\" } }",
     "name: \"LibreSSL", "expectations[0].library[0].name: unknown DTLS library 'LibreSSL' (valid: OpenSSL, mbed TLS, GnuTLS, wolfSSL)"},
    {"expect_library_empty_range", "", "expectations { endpoint: \"cli\" library { name: \"OpenSSL\" min_version: \"3.0.22\" below_version: \"3.0.9\" } }",
     "below_version", "expectations[0].library[0].below_version: '3.0.9' is not above min_version '3.0.22': no version is in the range"},
    {"expect_library_endpoint", "", "expectations { endpoint: \"cli\" library { name: \"OpenSSL\" endpoint: \"srvr\" } }",
     "endpoint: \"srvr", "expectations[0].library[0].endpoint: no endpoint named 'srvr'"},
    {"expect_library_version", "", "expectations { endpoint: \"cli\" library { name: \"OpenSSL\" below_version: \"3..0\" } }",
     "below_version", "expectations[0].library[0].below_version: '3..0' is not a version like 3.0.22"},
    {"expect_protocol", "", "expectations { endpoint: \"cli\" protocol: \"DTLSv1.2\" }", "protocol",
     "expectations[0].protocol: unknown protocol 'DTLSv1.2'"},
    {"expect_verification_error", "", "expectations { endpoint: \"cli\" verification_errors: \"NoError\" verification_errors: \"Nope\" }",
     "verification_errors: \"Nope", "expectations[0].verification_errors[1]: unknown SslError 'Nope'"},
    {"expect_retransmissions", "", "expectations { endpoint: \"cli\" max_retransmissions: 1 min_retransmissions: 2 }",
     "min_retransmissions", "2 is more than max_retransmissions 1"},
    {"expect_done_late", "", "expectations { endpoint: \"cli\" handshake_done_by_ms: 400000 }", "handshake_done_by_ms",
     "is after the end of the run"},
    {"expect_contradiction", "", "expectations { endpoint: \"cli\" handshake_done_by_ms: 4 handshake_fails: true }",
     "handshake_fails", "contradicts handshake_done_by_ms"},
    {"expect_state_one_of", "", "expectations { endpoint: \"cli\" final_state_one_of: \"HandshakeComplete\" final_state_one_of: \"Done\" }",
     "final_state_one_of: \"Done", "expectations[0].final_state_one_of[1]: unknown handshake state 'Done'"},
    {"expect_error_one_of", "", "expectations { endpoint: \"cli\" last_error_one_of: \"Timeout\" }", "last_error_one_of",
     "expectations[0].last_error_one_of[0]: unknown DtlsError 'Timeout'"},
    {"expect_delivered_bounds", "", "expectations { endpoint: \"cli\" max_delivered_count: 1 min_delivered_count: 2 }",
     "min_delivered_count", "expectations[0].min_delivered_count: 2 is more than max_delivered_count 1"},
    {"expect_run_end_late", "", "expectations { endpoint: \"cli\" run_ends_by_ms: 300001 }", "run_ends_by_ms",
     "expectations[0].run_ends_by_ms: 300001 ms is after the end of the run"},
    {"expect_run_end_window", "", "expectations { endpoint: \"cli\" run_ends_after_ms: 9 run_ends_by_ms: 8 }",
     "run_ends_after_ms", "expectations[0].run_ends_after_ms: 9 is after run_ends_by_ms 8"},
    // Explicit faults.
    {"fault_id_zero", "", "explicit_faults { dropped: \"loss\" }", "explicit_faults",
     "explicit_faults[0].datagram_id: 0 is not a datagram id"},
    {"fault_id_twice", "", "explicit_faults { datagram_id: 3 dropped: \"loss\" } explicit_faults { datagram_id: 3 dropped: \"mtu\" }",
     "datagram_id: 3 dropped: \"mtu", "explicit_faults[1].datagram_id: 3 appears twice"},
    {"fault_reason", "", "explicit_faults { datagram_id: 1 dropped: \"lost\" }", "dropped",
     "explicit_faults[0].dropped: unknown drop reason 'lost' (valid: loss, burst, mtu, "},
    {"fault_dropped_with_copies", "", "explicit_faults { datagram_id: 1 dropped: \"loss\" copies { } }", "copies",
     "explicit_faults[0].copies[0]: a dropped datagram has no copies"},
    {"fault_nothing", "", "explicit_faults { datagram_id: 1 }", "explicit_faults",
     "explicit_faults[0]: neither dropped nor delivered"},
    {"fault_delay", "", "explicit_faults { datagram_id: 1 copies { delay_us: 3600000001 } }", "delay_us",
     "explicit_faults[0].copies[0].delay_us: 3600000001 us is more than"},
};

class BadScenarioTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadScenarioTest, ErrorNamesPositionFieldAndValue) {
  const BadCase& c = GetParam();
  std::string text;
  if (c.from == nullptr) {
    text = c.to;
  } else if (std::string(c.from).empty()) {
    text = kBase + c.to + "\n";
  } else {
    text = kBase;
    const std::size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, std::string(c.from).size(), c.to);
  }
  LoadedScenario loaded;
  std::string error;
  ASSERT_FALSE(parse(text, &loaded, &error)) << text;
  // An empty marker: the parser reports the end of the text.
  const std::string where = std::string(c.marker).empty()
                                ? std::to_string(std::count(text.begin(), text.end(), '\n') + 1) + ":1"
                                : positionOf(text, c.marker);
  EXPECT_EQ(error.rfind("x.textproto:" + where + ": ", 0), 0u) << "error: " << error << "\nexpected at " << where;
  EXPECT_NE(error.find(c.fragment), std::string::npos) << "error: " << error;
}

INSTANTIATE_TEST_SUITE_P(Rules, BadScenarioTest, testing::ValuesIn(kBadCases),
                         [](const testing::TestParamInfo<BadCase>& row) { return std::string(row.param.name); });

TEST(ScenarioFileTest, MissingKeyFileNamesResolvedPath) {
  std::string text = kBase;
  text.replace(text.find("../certs/server.key.pem"), 23, "keys/x.pem");
  LoadedScenario loaded;
  std::string error;
  ASSERT_FALSE(parse(text, &loaded, &error));
  EXPECT_EQ(error, "x.textproto:7:57: endpoints[0].dtls.private_key: cannot read 'keys/x.pem' (resolved to " +
                       kDataDir + "/keys/x.pem): No such file or directory");
}

}  // namespace
}  // namespace scenarios
