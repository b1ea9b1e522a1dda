// Exact GELU, x*Phi(x), within 4 ULP of the exact value for every float
// input (exhaustive sweep), negative tail and subnormals included, built for
// speed on the inputs GELU sees in a network (near normal(0, 1)).
//
// Method: two paths, chosen per lane (kernels/core_tail_avx512.h):
//   * -3 <= x: the exp-free core path, y = x q(d) with q a degree-5
//     polynomial of Phi per slot of x (32 slots, coefficients by
//     vpermt2ps); x >= 6 returns x. Tables: core_tables_fast.h, made by
//       tools/fit/gelu_core_fit.py --form fast --degree 5 --prefix kCoreFast --out kernels/accurate/core_tables_fast.h
//     (fit <= 2^-24.4 relative; q's and the product's roundings add
//     ~1.5 ULP).
//   * x < -3 (and -inf): the exp-based algorithm of
//     f32_erf_fast_accurate_onepath__avx512 (kernels/accurate/onepath_impl.h), run
//     only on these lanes, packed.
// Valid for all float inputs: NaN -> NaN, +inf -> +inf, -inf -> -0,
// +-0 -> +-0.
// Flags relied on: -mavx512f -mavx512dq (file suffix __avx512); round to
// nearest; no FTZ/DAZ.
// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/accurate/core_tables_fast.h"
#include "kernels/core_tail_avx512.h"
#include "kernels/accurate/onepath_impl.h"
#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_fast_accurate__avx512(size_t n, const float* x, float* y) {
  namespace t = core_tables;
  const core_tail::PolyCore<t::kCoreFastDegree, false> core(t::kCoreFastCentre, nullptr, t::kCoreFastC, t::kCoreFastXTop);
  core_tail::core_tail_loop(n, x, y, t::kCoreFastOffset, core, accurate::Onepath512<accurate::Fast>());
}

}  // namespace gelubench
