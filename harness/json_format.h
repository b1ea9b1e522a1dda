// How numbers are written in result files: C99 hex floats for float values
// ("-0x1.8p+1", "nan", "inf") and numbers that may be infinite or NaN
// ("inf"/"nan" as strings; JSON has neither). The bottom floor of the
// result files: it depends on nothing of gelubench.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace gelubench {

std::string hexfloat(float f);
nlohmann::json json_number(double v);
// The inverse of json_number; throws std::runtime_error on other strings.
double number_from_json(const nlohmann::json& v);

}  // namespace gelubench
