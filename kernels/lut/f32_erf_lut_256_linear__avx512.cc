// Exact GELU from a 256-interval table of GELU samples on [-c, 0], c = 5.3:
//   G(t) = -GELU(-t) = t*Phi(-t) at t_i = i*c/256, linear interpolation
// (stored: G_i and G_{i+1} - G_i),
//   GELU(x) = max(-0, x) - G(|x|) for |x| < c, max(-0, x) beyond.
// Table access: AVX-512 64-bit gathers of (G_i, G_{i+1} - G_i) stored side
// by side (two vgatherdpd per 16 lanes, then two vpermt2ps to split the
// pairs). On this Sapphire Rapids that measured ~1.5x the two vgatherdps and
// ~2x the permute tree (8 vpermt2ps + 7 masked moves per coefficient); see
// lut_erf_impl.h for the table of variants.
// Tables: tools/fit/lut_tables.py --size 256 --clamp 5.3 --method linear (in
// lut_erf_256_linear.h; samples from mpmath, each rounded once to float).
// Range: all floats. Absolute-error design: relative accuracy in the negative
// tail is lost before -c and the result is -0 below it (see the budget in
// kernels/registry.inc).
// Exhaustive (gelubench accuracy --exhaustive, all 2^32 encodings): max |err|
// vs exact GELU 4.27e-05 (x = 0x1.5335c8p-7), max 1.68e+07 ULP (x =
// -0x1.458decp+3: saturated/cancelled tail), 49.09% correctly rounded.
// Special-value checks not passed: +max_subnormal, -max_subnormal,
// +min_normal, -min_normal.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0. Deliberate
// difference: near 0 the first chord's slope (G(h)/h, h = 5.3/256) is 1.7%
// below G'(0) = 1/2, so tiny and subnormal inputs are ~1.7% (~1e5 ULP) off,
// e.g. +-min_normal; the Hermite kernels keep G's slope at 0 and do not.
// Flags relied on: AVX-512F/DQ (file suffix __avx512); IEEE float, round to
// nearest, no FTZ/DAZ assumptions.
#include "kernels/kernel.h"
#include "kernels/lut/lut_erf_256_linear.h"
#include "kernels/lut/lut_erf_impl.h"

namespace gelubench {

void f32_erf_lut_256_linear__avx512(size_t n, const float* x, float* y) {
  lut::lut_erf_avx512<lut::LutErf256Linear, 1>(n, x, y);
}

}  // namespace gelubench
