// GELU as most frameworks write it: 0.5*x*(1 + erff(x/sqrt(2))), in float.
// Accurate in the core; for x < about -3 the sum 1 + erf cancels and the
// result loses all relative accuracy (the tail the erfc form fixes).
// Flags relied on: none (plain IEEE float, round to nearest).
#include <cmath>

#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_libm_erff__scalar(size_t n, const float* x, float* y) {
  constexpr float kRsqrt2 = 0.70710678118654752440f;
  for (size_t i = 0; i < n; ++i) {
    float v = x[i];
    y[i] = 0.5f * v * (1.0f + std::erf(v * kRsqrt2));
  }
}

}  // namespace gelubench
