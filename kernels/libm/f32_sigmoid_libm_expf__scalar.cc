// "Quick GELU": x*sigmoid(1.702*x) = x / (1 + expf(-1.702*x)), in float.
// The division form has no cancellation; it differs from exact GELU by up
// to ~2e-2 absolute by design.
// Flags relied on: none (plain IEEE float, round to nearest).
#include <cmath>

#include "kernels/kernel.h"

namespace gelubench {

void f32_sigmoid_libm_expf__scalar(size_t n, const float* x, float* y) {
  constexpr float kAlpha = 1.702f;
  for (size_t i = 0; i < n; ++i) {
    float v = x[i];
    y[i] = v / (1.0f + std::exp(-kAlpha * v));
  }
}

}  // namespace gelubench
