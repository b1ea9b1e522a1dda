/* An example gelubench plugin, in plain C: two tanh-form GELU kernels that
 * gelubench measures like its own (see kernels/plugin.h and README.md,
 * "Your own kernels"):
 *
 *   f32_tanh_example_double__scalar  x / (1 + exp(-2z)) in double, rounded once
 *   f32_tanh_example_float__scalar   the same in float
 *
 * with z = sqrt(2/pi) * (x + 0.044715 x^3). Written as x * sigmoid(2z), the
 * tanh form has no 1 + tanh cancellation in the negative tail; below
 * x = -40 the result is -0 in both precisions, returned directly, which also
 * maps -inf to -0 instead of -inf / inf = NaN.
 *
 * The budgets are the exhaustive maxima over all 2^32 inputs, rounded up
 * (gelubench accuracy --plugin ... --exhaustive: 0.5000000019 and 249.7 ULP
 * against the tanh formula, 4.74e-4 absolute against exact GELU);
 * tests/cli_test.cc holds the kernels to them on a sample. The float
 * kernel's error is the tail's: z rounded to float moves e^(2z) by ~|2z|
 * float ULPs. Build: CMake target gelubench_example_plugin.
 * Flags relied on: none (IEEE double/float, round to nearest, no FMA
 * contraction: -ffp-contract=off). */
#include <math.h>

#include "kernels/plugin.h"

static const double kSqrt2OverPi = 0.79788456080286535588;

static void tanh_double(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    const double z = kSqrt2OverPi * (v + 0.044715 * v * v * v);
    y[i] = v < -40.0 ? -0.0f : (float)(v / (1.0 + exp(-2.0 * z)));
  }
}

/* In float, exp(-2z) overflows for z < -44.4 (x < -10) while the result is
 * still a normal float: for z < 0 it takes e = exp(2z), which only underflows
 * gracefully, and returns x * e / (1 + e). */
static void tanh_float(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float z = (float)kSqrt2OverPi * (v + 0.044715f * v * v * v);
    if (v < -40.0f) {
      y[i] = -0.0f;
    } else if (z < 0.0f) {
      const float e = expf(2.0f * z);
      y[i] = v * e / (1.0f + e);
    } else {
      y[i] = v / (1.0f + expf(-2.0f * z));
    }
  }
}

static const gelubench_plugin_kernel kKernels[] = {
    {"f32_tanh_example_double__scalar", "tanh", 0, 0.5000001, INFINITY, 4.8e-4, tanh_double},
    {"f32_tanh_example_float__scalar", "tanh", 0, 250, INFINITY, 4.8e-4, tanh_float},
};

const gelubench_plugin* gelubench_plugin_v1(void) {
  static const gelubench_plugin plugin = {GELUBENCH_PLUGIN_ABI_VERSION, 2, kKernels};
  return &plugin;
}
