// Region boundaries and error-profile bins of the accuracy figures, part of
// the JSON contract (written as context.region_bounds; the report reads
// them from there). Depends on nothing.
#pragma once

namespace gelubench {

inline constexpr double kTailBelow = -3.0;  // neg_tail: x < -3; core: -3..3; pos: x > 3
inline constexpr double kCoreAbove = 3.0;
inline constexpr double kProfileLo = -20.0, kProfileHi = 20.0, kProfileBinWidth = 1.0 / 32;

}  // namespace gelubench
