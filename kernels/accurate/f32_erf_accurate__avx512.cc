// Exact GELU, x*Phi(x), within 1 ULP of the exact value for every float
// input (exhaustive sweep), negative tail and subnormals included, fast on
// the inputs GELU sees in a network (near normal(0, 1)).
//
// Method: two paths, chosen per lane (kernels/core_tail_avx512.h):
//   * -3 <= x: the exp-free core path, one degree-6 polynomial per slot of
//     x (32 slots, coefficients by vpermt2ps): y = fma(x, H, x q(d)), q(d)
//     ~ Phi(x) - H; x >= 6 returns x. Tables: core_tables_accurate.h, made by
//       tools/fit/gelu_core_fit.py --form accurate --degree 6 --prefix kCoreAcc --out kernels/accurate/core_tables_accurate.h
//     whose docstring has the derivation (fit <= 2^-28.5 relative; the
//     roundings of q and x q are of size |q| <= 0.28 |y|, before the final
//     one).
//   * x < -3 (and -inf): the exp-based algorithm of
//     f32_erf_accurate_onepath__avx512 (kernels/accurate/onepath_impl.h), run only on
//     these lanes, packed.
// Declared error: <= 1 ULP (see the registry line for the measured figure).
// Valid for all float inputs: NaN -> NaN, +inf -> +inf, -inf -> -0,
// +-0 -> +-0 (the slot left of 0 holds both zeros: fma(-0, H, -0 q) = -0).
// Flags relied on: -mavx512f -mavx512dq (file suffix __avx512); round to
// nearest (MXCSR default); no FTZ/DAZ.
// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/accurate/onepath_impl.h"
#include "kernels/accurate/core_tables_accurate.h"
#include "kernels/core_tail_avx512.h"
#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_accurate__avx512(size_t n, const float* x, float* y) {
  namespace t = core_tables;
  const core_tail::PolyCore<t::kCoreAccDegree, true> core(t::kCoreAccCentre, t::kCoreAccHi, t::kCoreAccC, t::kCoreAccXTop);
  core_tail::core_tail_loop(n, x, y, t::kCoreAccOffset, core, accurate::Onepath512<accurate::Accurate>());
}

}  // namespace gelubench
