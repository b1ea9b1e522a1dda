// GELU in the stable form 0.5*x*erfcf(-x/sqrt(2)), in float. No cancellation
// in the negative tail, but rounding x/sqrt(2) to float costs about x^2 ULP
// there (erfc's condition number is about 2z^2).
// Flags relied on: none (plain IEEE float, round to nearest).
#include <cmath>

#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_libm_erfcf__scalar(size_t n, const float* x, float* y) {
  constexpr float kRsqrt2 = 0.70710678118654752440f;
  for (size_t i = 0; i < n; ++i) {
    float v = x[i];
    y[i] = 0.5f * v * std::erfc(-v * kRsqrt2);
  }
}

}  // namespace gelubench
