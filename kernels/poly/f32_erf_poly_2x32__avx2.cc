// Exact GELU, x*Phi(x), by piecewise minimax polynomials of degree 2:
//   GELU(x) = max(-0, x) - G(|x|),  G(t) = t*Phi(-t),
// G on 32 intervals of width 1/5.9 covering |x| < c = 5.3390, one degree-2
// polynomial per interval (AVX-512: one vpermt2ps per coefficient; AVX2: four
// vpermps + three blends; see poly_erf_impl.h).
// Coefficients: tools/fit/poly_fit.py --intervals 32 --scale 5.9 --degree 2
// (Remez per interval: relative error on interval 0 with G's Taylor terms
// c0 = 0, c1 = 1/(2k) kept, absolute error elsewhere), in poly_erf_2x32.h.
// Range: all floats. |x| >= c saturates to x (x > 0) / -0 (x < 0), error
// G(c) < 2.5e-7. Absolute-error design: relative accuracy in the negative
// tail is lost well before -c, as in every saturating GELU (budget in
// kernels/registry.inc).
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings): max |err|
// vs exact GELU 1.97e-05 (x = 0x1.9c27c2p-1), max 1.68e+07 ULP (x =
// -0x1.458decp+3: saturated/cancelled tail), 71.98% correctly rounded.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Scalar, AVX2 and AVX-512 versions are bit-identical.
// Flags relied on: AVX2 + FMA (file suffix __avx2); IEEE float, round to
// nearest, no FTZ/DAZ assumptions.
#include "kernels/kernel.h"
#include "kernels/poly/poly_erf_2x32.h"
#include "kernels/poly/poly_erf_impl.h"

namespace gelubench {

void f32_erf_poly_2x32__avx2(size_t n, const float* x, float* y) {
  poly::poly_erf_avx2<poly::PolyErf2x32>(n, x, y);
}

}  // namespace gelubench
