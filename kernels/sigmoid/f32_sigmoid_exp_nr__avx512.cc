// GELU in x*sigmoid(1.702x), the sigmoid (quick GELU) form,
// computed as x*sigmoid(v) from 2^-|z| (no 1 + tanh cancellation):
//   z = 1.702*log2(e)*x with the constant split in two floats;
//   2^-|z| = 2^n * P6(g), P6 a degree-6 minimax polynomial of 2^g on |g| <= 1/2;
//   y = x/(1 + t) for x >= 0, (x*P6/(1 + t))*2^n for x < 0 (t = 2^-|z|), the
//   final 2^n exact with one rounding. Quotient: reciprocal estimate vrcp14ps + one Newton-Raphson step.
// Coefficients and split constants: tools/fit/tanh_exp2_fit.py --degree 6
// (Remez, relative error), in kernels/sigmoid/exp2_consts.h.
// Range: all floats; x < -64 gives -0 (true value < 2^-150), x > 64 gives x.
// Relative accuracy holds in the negative tail down to the subnormals.
// ERROR_SUMMARY
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: -mavx512f (file suffix); IEEE float, round to nearest, no FTZ/DAZ (subnormal results are produced and must not be flushed).
#include "kernels/kernel.h"
#include "kernels/sigmoid/xsigmoid_impl.h"

namespace gelubench {

void f32_sigmoid_exp_nr__avx512(size_t n, const float* x, float* y) {
  xsigmoid::xsigmoid_avx512<xsigmoid::SigmoidArg, true>(n, x, y);
}

}  // namespace gelubench
