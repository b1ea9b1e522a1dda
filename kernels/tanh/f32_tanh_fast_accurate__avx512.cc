// Tanh-form GELU, 0.5x(1 + tanh(u)), u = sqrt(2/pi)(x + 0.044715x^3),
// within 4 ULP of that formula for every float input (exhaustive sweep),
// negative tail and subnormals included, built for speed on the inputs GELU
// sees in a network (near normal(0, 1)).
//
// Method: two paths, chosen per lane (kernels/core_tail_avx512.h):
//   * -3 <= x: the exp-free core path, y = x q(d) with q a degree-5
//     polynomial of the formula's Phi, sigmoid(2u), per slot of x (32 slots,
//     coefficients by vpermt2ps); x >= 6 returns x. Tables:
//     core_tables_tanh.h, made by
//       tools/fit/gelu_core_fit.py --formula tanh --form fast --degree 5 --prefix kCoreTanh --out kernels/tanh/core_tables_tanh.h
//   * x < -3 (and -inf): f32_tanh_exp_div__avx512's algorithm
//     (kernels/xsigmoid/xsigmoid_impl.h), run only on these lanes, packed.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: AVX-512F/DQ (file suffix __avx512); round to nearest; no
// FTZ/DAZ.
// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/core_tail_avx512.h"
#include "kernels/kernel.h"
#include "kernels/xsigmoid/xsigmoid_impl.h"
#include "kernels/tanh/core_tables_tanh.h"

namespace gelubench {

namespace {

namespace t = core_tables;
namespace ct = core_tail;
using perm32::Tab;
using perm32::fetch;
using perm32::tab;

struct Core {
  Tab centre, c[t::kCoreTanhDegree + 1];

  __m512 operator()(__m512 x, __m512 u) const {  // u = x + kCoreTanhOffset
    const __m512i idx = ct::core_slot(u);
    const __m512 d = _mm512_sub_ps(x, fetch(centre, idx));
    const __m512 q = ct::core_poly<t::kCoreTanhDegree>(c, idx, d);
    // x >= 6 and NaN keep x.
    const __mmask16 live = _mm512_cmp_ps_mask(x, _mm512_set1_ps(t::kCoreTanhXTop), _CMP_LT_OQ);
    return _mm512_mask_mul_ps(x, live, x, q);
  }
};

}  // namespace

void f32_tanh_fast_accurate__avx512(size_t n, const float* x, float* y) {
  Core core{tab(t::kCoreTanhCentre), {}};
  const float* const c[] = {t::kCoreTanhC0, t::kCoreTanhC1, t::kCoreTanhC2,
                            t::kCoreTanhC3, t::kCoreTanhC4, t::kCoreTanhC5};
  static_assert(sizeof c / sizeof c[0] == t::kCoreTanhDegree + 1);
  for (int i = 0; i <= t::kCoreTanhDegree; ++i) core.c[i] = tab(c[i]);
  ct::core_tail_loop(n, x, y, t::kCoreTanhOffset, core, xsigmoid::XSigmoid512<xsigmoid::TanhArg, false>());
}

}  // namespace gelubench
