// scenarios/cli/backend_options.h — the options that put endpoints on a DTLS stack, shared by
// run, sweep and catalog:
//   --backend NAME          endpoints whose scenario names no backend (applyDefaultBackend)
//   --client-backend NAME   every client, whatever its scenario names (applyRoleBackends)
//   --server-backend NAME   every server, likewise
#pragma once

#include <string>
#include <vector>

#include "args.h"
#include "scenarios/scenario_file.h"

namespace dtlsim_cli {

// The three options, to append to a command's OptionSpec list.
std::vector<OptionSpec> backendOptionSpecs();

// Applies the options given, --backend first (the role options override it for their role).
// Errors: an unknown name ("--client-backend: unknown backend 'x' (valid: openssl, mbedtls, gnutls, wolfssl)").
bool applyBackendOptions(const ParsedArgs& args, scenarios::LoadedScenario* scenario,
                         std::string* error);

// The rows and columns of a matrix: --backends A,B,... (parseBackendList) or, when not given,
// every backend compiled in (dtls::availableBackends(), so a new one joins by registering).
// Errors: "--backends: unknown backend 'x' (valid: openssl, mbedtls, gnutls, wolfssl)" and parseBackendList's.
bool matrixBackends(const ParsedArgs& args, std::vector<std::string>* out, std::string* error);

// The options given, as " --backend mbedtls --client-backend openssl" (each with a leading
// space): what a printed `dtlsim run` needs to rebuild the same world.
std::string backendFlags(const ParsedArgs& args);

}  // namespace dtlsim_cli
