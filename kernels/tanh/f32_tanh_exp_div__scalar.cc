// Tanh-form GELU, 0.5x(1 + tanh(u)), u = sqrt(2/pi)(x + 0.044715x^3),
// computed as x*sigmoid(2u) from 2^-|z| (no 1 + tanh cancellation):
//   z = 2u*log2(e) = x*(D1 + D2*x^2), carried as hi + lo (x^2 split by FMA,
//   the rounding of D1 + D2*x^2 recovered exactly: xsigmoid_impl.h TanhArg);
//   2^-|z| = 2^n * P6(g), P6 a degree-6 minimax polynomial of 2^g, |g| <= 1/2;
//   y = x/(1 + t) for x >= 0, (x*P6/(1 + t))*2^n for x < 0 (t = 2^-|z|),
//   the final 2^n exact with one rounding. Quotient: true division.
// Coefficients and split constants: tools/fit/tanh_exp2_fit.py --degree 6
// (Remez, relative error), in kernels/xsigmoid/exp2_consts.h.
// Range: all floats; x < -12 gives -0 (true value < 2^-150), x > 12 gives x.
// Relative accuracy holds in the negative tail down to the subnormals.
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings) (measured
// on the bit-identical AVX2 version; identity checked on all 2^32 inputs): vs
// its own formula max 3.22 ULP (x = -0x1.d37bbp+0), 96.20% correctly rounded;
// vs exact GELU max |err| 0.000474 (x = 0x1.5996cap+1), the formula's own
// distance from exact GELU.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: none (IEEE float, round to nearest; std::fma,
// std::nearbyint correctly rounded; 2^n scaling exact in double, then one
// rounding to float: xsigmoid_impl.h ldexp_exact).
#include "kernels/kernel.h"
#include "kernels/xsigmoid/xsigmoid_impl.h"

namespace gelubench {

void f32_tanh_exp_div__scalar(size_t n, const float* x, float* y) {
  xsigmoid::xsigmoid_scalar<xsigmoid::TanhArg, false>(n, x, y);
}

}  // namespace gelubench
