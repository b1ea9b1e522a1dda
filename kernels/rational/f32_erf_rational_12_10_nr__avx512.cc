// Exact GELU by a rational approximation of erf, XNNPACK's 12/10 form:
//   erf(x/sqrt2) ~ 2x*P(x^2)/Q(x^2),  P, Q of degree 5 in s = x^2, Q(0) = 1
//   (odd numerator of degree 11, even denominator of degree 10),
//   GELU = fma(s, P/Q, x/2) for |x| < c = 5.3, max(-0, x) beyond.
// Quotient: reciprocal estimate vrcp14ps (2^-14) + one Newton-Raphson step.
// Coefficients: tools/fit/rational_fit.py --num 5 --den 5 --clamp 5.3
// (near-minimax, weight sqrt(x^2 + 0.01)), in rational_erf_coeffs.h.
// Range: all floats. Absolute-error design: x/2 + (x/2)erf cancels for
// x < about -3 and the result is -0 below -c, so relative accuracy in the
// negative tail is lost (see the budget in kernels/registry.inc).
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings): max |err|
// vs exact GELU 1.03e-06 (x = 0x1.443d72p+2), max 2.5e+07 ULP (x =
// -0x1.5190fep+2: saturated/cancelled tail), 98.66% correctly rounded.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: AVX-512F/DQ (file suffix __avx512); IEEE float, round to
// nearest, no FTZ/DAZ assumptions.
#include "kernels/kernel.h"
#include "kernels/rational/rational_erf_impl.h"

namespace gelubench {

void f32_erf_rational_12_10_nr__avx512(size_t n, const float* x, float* y) {
  rational::rational_erf_avx512<true>(n, x, y);
}

}  // namespace gelubench
