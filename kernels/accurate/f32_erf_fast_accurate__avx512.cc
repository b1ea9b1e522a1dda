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
//     f32_erf_fast_accurate_onepath__avx512 (fast_accurate_avx512.h), run
//     only on these lanes, packed.
// Valid for all float inputs: NaN -> NaN, +inf -> +inf, -inf -> -0,
// +-0 -> +-0.
// Flags relied on: -mavx512f -mavx512dq (file suffix __avx512); round to
// nearest; no FTZ/DAZ.
// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/accurate/core_tables_fast.h"
#include "kernels/core_tail_avx512.h"
#include "kernels/accurate/fast_accurate_avx512.h"
#include "kernels/kernel.h"

namespace gelubench {

namespace {

namespace t = core_tables;
namespace ct = core_tail;
using perm32::Tab;
using perm32::fetch;
using perm32::tab;

struct Core {
  Tab centre, c[t::kCoreFastDegree + 1];

  __m512 operator()(__m512 x, __m512 u) const {  // u = x + kCoreFastOffset
    const __m512i idx = ct::core_slot(u);
    const __m512 d = _mm512_sub_ps(x, fetch(centre, idx));
    const __m512 q = ct::core_poly<t::kCoreFastDegree>(c, idx, d);
    // x >= 6 and NaN keep x.
    const __mmask16 live = _mm512_cmp_ps_mask(x, _mm512_set1_ps(t::kCoreFastXTop), _CMP_LT_OQ);
    return _mm512_mask_mul_ps(x, live, x, q);
  }
};

}  // namespace

void f32_erf_fast_accurate__avx512(size_t n, const float* x, float* y) {
  Core core{tab(t::kCoreFastCentre), {}};
  const float* const c[] = {t::kCoreFastC0, t::kCoreFastC1, t::kCoreFastC2,
                            t::kCoreFastC3, t::kCoreFastC4, t::kCoreFastC5};
  static_assert(sizeof c / sizeof c[0] == t::kCoreFastDegree + 1);
  for (int i = 0; i <= t::kCoreFastDegree; ++i) core.c[i] = tab(c[i]);
  ct::core_tail_loop(n, x, y, t::kCoreFastOffset, core, [](__m512 v) {
    return fast_accurate_avx512::gelu16(v, fast_accurate_avx512::consts());
  });
}

}  // namespace gelubench
