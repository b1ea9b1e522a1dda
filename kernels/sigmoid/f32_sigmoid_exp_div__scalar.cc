// Sigmoid-form ("quick") GELU, x*sigmoid(1.702x), from 2^-|z|:
//   z = 1.702*log2(e)*x with the constant split in two floats (hi + lo);
//   2^-|z| = 2^n * P6(g), P6 a degree-6 minimax polynomial of 2^g, |g| <= 1/2;
//   y = x/(1 + t) for x >= 0, (x*P6/(1 + t))*2^n for x < 0 (t = 2^-|z|),
//   the final 2^n exact with one rounding. Quotient: true division.
// Coefficients and split constants: tools/fit/tanh_exp2_fit.py --degree 6
// (Remez, relative error), in kernels/xsigmoid/exp2_consts.h.
// Range: all floats; x < -64 gives -0 (true value < 2^-150), x > 64 gives x.
// Relative accuracy holds in the negative tail down to the subnormals.
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings) (measured
// on the bit-identical AVX2 version; identity checked on all 2^32 inputs): vs
// its own formula max 3.44 ULP (x = -0x1.4b8d16p+1), 95.90% correctly
// rounded; vs exact GELU max |err| 0.0203 (x = 0x1.229334p+1), the formula's
// own distance from exact GELU.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: none (IEEE float, round to nearest; std::fma,
// std::nearbyint correctly rounded; 2^n scaling exact in double, then one
// rounding to float: xsigmoid_impl.h ldexp_exact).
#include "kernels/kernel.h"
#include "kernels/xsigmoid/xsigmoid_impl.h"

namespace gelubench {

void f32_sigmoid_exp_div__scalar(size_t n, const float* x, float* y) {
  xsigmoid::xsigmoid_scalar<xsigmoid::SigmoidArg, false>(n, x, y);
}

}  // namespace gelubench
