// Exact GELU, x*Phi(x), by piecewise minimax polynomials of degree 4:
//   GELU(x) = max(-0, x) - G(|x|),  G(t) = t*Phi(-t),
// G on 16 intervals of width 1/2.9 covering |x| < c = 5.3448, one degree-4
// polynomial per interval (AVX-512: one vpermps per coefficient; AVX2: two
// vpermps + blend; see poly_erf_impl.h).
// Coefficients: tools/fit/poly_fit.py --intervals 16 --scale 2.9 --degree 4
// (Remez per interval: relative error on interval 0 with G's Taylor terms
// c0 = 0, c1 = 1/(2k) kept, absolute error elsewhere), in poly_erf_4x16.h.
// Range: all floats. |x| >= c saturates to x (x > 0) / -0 (x < 0), error
// G(c) < 2.5e-7. Absolute-error design: relative accuracy in the negative
// tail is lost well before -c, as in every saturating GELU (budget in
// kernels/registry.inc).
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings) (measured
// on the bit-identical AVX2 version; identity checked on all 2^32 inputs):
// max |err| vs exact GELU 2.65e-07 (x = 0x1.a8a402p-1), max 1.68e+07 ULP (x =
// -0x1.458decp+3: saturated/cancelled tail), 76.84% correctly rounded.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Scalar, AVX2 and AVX-512 versions are bit-identical.
// Flags relied on: none (IEEE float, round to nearest; std::fma is a correctly
// rounded libm call here).
#include "kernels/kernel.h"
#include "kernels/poly/poly_erf_4x16.h"
#include "kernels/poly/poly_erf_impl.h"

namespace gelubench {

void f32_erf_poly_4__scalar(size_t n, const float* x, float* y) {
  poly::poly_erf_scalar<poly::PolyErf4x16>(n, x, y);
}

}  // namespace gelubench
