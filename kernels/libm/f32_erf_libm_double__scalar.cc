// Exact GELU evaluated in double with glibc's erfc and rounded once to float.
// Double carries ~29 more bits than the result needs, so misrounding happens
// only when the exact value lies within ~2^-29 ULP of a rounding midpoint
// (the accuracy sweep counts how often). The erfc form keeps the negative
// tail accurate: x/sqrt(2) rounded in double costs ~x^2 * 2^-53, far below
// float resolution. Below x = -40 the exact value is under 2^-1000, so the
// correctly rounded result is -0; returning it directly also maps -inf to -0
// (the formula alone would give -inf * 0 = NaN).
// Flags relied on: none (plain IEEE double, round to nearest).
#include <cmath>

#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_libm_double__scalar(size_t n, const float* x, float* y) {
  constexpr double kRsqrt2 = 0.70710678118654752440;
  for (size_t i = 0; i < n; ++i) {
    double v = x[i];
    y[i] = v < -40.0 ? -0.0f : static_cast<float>(0.5 * v * std::erfc(-v * kRsqrt2));
  }
}

}  // namespace gelubench
