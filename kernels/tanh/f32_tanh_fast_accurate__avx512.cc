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

void f32_tanh_fast_accurate__avx512(size_t n, const float* x, float* y) {
  namespace t = core_tables;
  const core_tail::PolyCore<t::kCoreTanhDegree, false> core(t::kCoreTanhCentre, nullptr, t::kCoreTanhC, t::kCoreTanhXTop);
  core_tail::core_tail_loop(n, x, y, t::kCoreTanhOffset, core, xsigmoid::XSigmoid512<xsigmoid::TanhArg, false>());
}

}  // namespace gelubench
