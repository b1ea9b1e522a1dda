#include "harness/json_format.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace gelubench {

std::string hexfloat(float f) {
  if (std::isnan(f)) return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
  return fmt::format("{:a}", f);
}

nlohmann::json json_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

double number_from_json(const nlohmann::json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "inf") return INFINITY;
    if (s == "-inf") return -INFINITY;
    if (s == "nan") return NAN;
    throw std::runtime_error(fmt::format("not a number: '{}'", s));
  }
  return v.get<double>();
}

}  // namespace gelubench
