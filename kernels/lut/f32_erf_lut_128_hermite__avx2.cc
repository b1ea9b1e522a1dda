// Exact GELU from a 128-interval table of GELU samples on [-c, 0], c = 5.3:
//   G(t) = -GELU(-t) = t*Phi(-t) at t_i = i*c/128, cubic Hermite interpolation
// of values and slopes (stored per interval in monomial form),
//   GELU(x) = max(-0, x) - G(|x|) for |x| < c, max(-0, x) beyond.
// Table access: AVX2 64-bit gathers of coefficient pairs (vgatherdpd; see
// lut_erf_impl.h for the measured gain over one vgatherdps per coefficient).
// Tables: tools/fit/lut_tables.py --size 128 --clamp 5.3 --method hermite (in
// lut_erf_128_hermite.h; samples from mpmath, each rounded once to float).
// Range: all floats. Absolute-error design: relative accuracy in the negative
// tail is lost before -c and the result is -0 below it (see the budget in
// kernels/registry.inc).
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings): max |err|
// vs exact GELU 3.07e-07 (x = -0x1.533332p+2), max 1.68e+07 ULP (x =
// -0x1.458decp+3: saturated/cancelled tail), 74.37% correctly rounded.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: AVX2 + FMA (file suffix __avx2); IEEE float, round to
// nearest, no FTZ/DAZ assumptions.
#include "kernels/kernel.h"
#include "kernels/lut/lut_erf_128_hermite.h"
#include "kernels/lut/lut_erf_impl.h"

namespace gelubench {

void f32_erf_lut_128_hermite__avx2(size_t n, const float* x, float* y) {
  lut::lut_erf_avx2<lut::LutErf128Hermite>(n, x, y);
}

}  // namespace gelubench
