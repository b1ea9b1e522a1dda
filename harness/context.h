// Facts about the run recorded inside every result file (never in names).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "harness/cpu_features.h"

namespace gelubench {

// CPU, ISA cap, compiler, flags, commit, library versions, date.
nlohmann::json run_context(IsaCap cap);

// The `gelubench info` document (schema gelubench.info/1).
nlohmann::json cpu_info_json();

// Library name -> version, for the context and `gelubench info`.
nlohmann::json library_versions();

}  // namespace gelubench
