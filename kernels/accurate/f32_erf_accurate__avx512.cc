// Exact GELU, x*Phi(x), within 1 ULP of the exact value for every float
// input (exhaustive sweep), negative tail and subnormals included, fast on
// the inputs GELU sees in a network (near normal(0, 1)).
//
// Method: two paths, chosen per lane (kernels/core_tail_avx512.h):
//   * -3 <= x: the exp-free core path, one degree-6 polynomial per slot of
//     x (32 slots, coefficients by vpermt2ps), in the "gelu" form
//     y = H + q(d) below x = -1/2 and the "phi" form y = fma(x, H, x q(d))
//     above it; x >= 6 returns x. Tables: core_tables_accurate.h, made by
//       tools/fit/gelu_core_fit.py --form accurate --degree 6 --prefix kCoreAcc --out kernels/accurate/core_tables_accurate.h
//     whose docstring has the derivation (fit <= 2^-29 relative; one
//     rounding of size |q| <= 0.22 |y| before the final one).
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

namespace {

namespace t = core_tables;
namespace ct = core_tail;
using perm32::Tab;
using perm32::fetch;
using perm32::tab;

struct Core {
  Tab centre, hi, c[t::kCoreAccDegree + 1];

  __m512 operator()(__m512 x, __m512 u) const {  // u = x + kCoreAccOffset
    const __m512i idx = ct::core_slot(u);
    const __m512 d = _mm512_sub_ps(x, fetch(centre, idx));
    const __m512 q = ct::core_poly<t::kCoreAccDegree>(c, idx, d);
    // a = x in the phi form (and for NaN), 1 in the gelu form: y = fma(a, H, a q).
    const __mmask16 phi = _mm512_cmp_ps_mask(u, _mm512_set1_ps(t::kCoreAccUPhi), _CMP_NLT_UQ);
    const __m512 a = _mm512_mask_blend_ps(phi, _mm512_set1_ps(1.0f), x);
    // x >= 6 and NaN keep a = x.
    const __mmask16 live = _mm512_cmp_ps_mask(x, _mm512_set1_ps(t::kCoreAccXTop), _CMP_LT_OQ);
    return _mm512_mask_fmadd_ps(a, live, fetch(hi, idx), _mm512_mul_ps(a, q));
  }
};

}  // namespace

void f32_erf_accurate__avx512(size_t n, const float* x, float* y) {
  Core core{tab(t::kCoreAccCentre), tab(t::kCoreAccHi), {}};
  for (int i = 0; i <= t::kCoreAccDegree; ++i) core.c[i] = tab(t::kCoreAccC[i]);
  ct::core_tail_loop(n, x, y, t::kCoreAccOffset, core, accurate::Onepath512<accurate::Accurate>());
}

}  // namespace gelubench
