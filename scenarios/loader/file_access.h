// Private to scenarios/loader: reading files a scenario refers to, with positioned errors.
#pragma once

#include <string>

#include "scenarios/scenario_file.h"

namespace scenarios::loader {

// Reads the file `relative` (as written in the scenario at `field_path`) resolved against the
// scenario's base_dir into *content. On failure stores
// "file:line:col: <field_path>: cannot read '<relative>' (resolved to <absolute>): <strerror>"
// in *error. Files above 16 MiB are refused.
bool readReferencedFile(const LoadedScenario& loaded, const std::string& field_path,
                        const std::string& relative, std::string* content, std::string* error);

// "'<relative>' (resolved to <absolute>)" for messages about a file's content.
std::string describeFile(const LoadedScenario& loaded, const std::string& relative);

}  // namespace scenarios::loader
