// Exact GELU by a rational approximation of erf, XNNPACK's 12/10 form:
//   erf(x/sqrt2) ~ 2x*P(x^2)/Q(x^2),  P, Q of degree 5 in s = x^2, Q(0) = 1
//   (odd numerator of degree 11, even denominator of degree 10),
//   GELU = fma(s, P/Q, x/2) for |x| < c = 5.3, max(-0, x) beyond.
// Quotient: true division (vdivps; correctly rounded quotient).
// Coefficients: tools/fit/rational_fit.py --num 5 --den 5 --clamp 5.3
// (near-minimax, weight sqrt(x^2 + 0.01)), in rational_erf_coeffs.h.
// Range: all floats. Absolute-error design: x/2 + (x/2)erf cancels for
// x < about -3 and the result is -0 below -c, so relative accuracy in the
// negative tail is lost (see the budget in kernels/registry.inc).
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings) (measured
// on the bit-identical AVX2 version; identity checked on all 2^32 inputs):
// max |err| vs exact GELU 9.61e-07 (x = 0x1.36f7ap+2), max 2.38e+07 ULP (x =
// -0x1.5110ep+2: saturated/cancelled tail), 98.68% correctly rounded.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: none (IEEE float, round to nearest; std::fma is a correctly
// rounded libm call here).
#include "kernels/kernel.h"
#include "kernels/rational/rational_erf_impl.h"

namespace gelubench {

void f32_erf_rational_12_10_div__scalar(size_t n, const float* x, float* y) {
  rational::rational_erf_scalar<false>(n, x, y);
}

}  // namespace gelubench
