// The tanh approximation of GELU (Hendrycks & Gimpel), in float with tanhf:
// 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3))). Like 1 + erf, the sum
// 1 + tanh cancels for negative x, and differs from exact GELU by ~4.7e-4.
// Flags relied on: none (plain IEEE float, round to nearest).
#include <cmath>

#include "kernels/kernel.h"

namespace gelubench {

void f32_tanh_libm_tanhf__scalar(size_t n, const float* x, float* y) {
  constexpr float kSqrt2OverPi = 0.79788456080286535588f;
  constexpr float kCubic = 0.044715f;
  for (size_t i = 0; i < n; ++i) {
    float v = x[i];
    float u = kSqrt2OverPi * (v + kCubic * v * v * v);
    y[i] = 0.5f * v * (1.0f + std::tanh(u));
  }
}

}  // namespace gelubench
