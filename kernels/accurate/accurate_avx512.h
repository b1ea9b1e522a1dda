// The 16-lane body of f32_erf_accurate_onepath__avx512 (method, error budget and
// special values: that file's header), shared with the kernels that wrap it
// in a format conversion (kernels/f16, kernels/bf16) so that they convert in
// registers instead of through a buffer. Internal linkage: include from
// __avx512*.cc files only.
#pragma once

#include <immintrin.h>

#include "kernels/accurate/accurate_exp_scaled.h"
#include "kernels/accurate/accurate_tables_d5.h"
#include "kernels/perm32_avx512.h"
#include "kernels/pow2_scale.h"
#include "kernels/kernel.h"

namespace gelubench::accurate_avx512 {
namespace {

namespace t = accurate;

using perm32::Tab;
using perm32::fetch;
using perm32::tab;

using accurate::kExp;  // the exp table scaled by 2^24 (accurate_exp_scaled.h)

struct Consts {
  Tab centre, magic_k, c0, c1, c2, c3, c4, c5, exp_hi, exp_lo;
};

template <bool kTail>
inline __m512 gelu16_body(__m512 x, const Consts& k) {
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512i xi = _mm512_castps_si512(x);
  // Lanes with the Gaussian factor: all but 0 <= x < 1 (+0 .. 1.0 as bits).
  const __mmask16 gauss = _mm512_cmp_epu32_mask(xi, _mm512_castps_si512(one), _MM_CMPINT_NLT);
  // tc = min(|x|, 15) in one vrangeps (min-abs, sign cleared). A NaN x
  // gives 15 here; NaN reaches the output through the final x - v instead.
  const __m512 tc = _mm512_range_ps(x, _mm512_set1_ps(15.0f), 0xa);

  // Slot: exponent and 3 mantissa bits of u = t(1 - 2^-23) + 2, + 4 for
  // Gaussian lanes (the slot rule: f32_erf_accurate_onepath__avx512.cc).
  const __m512 u = _mm512_fmadd_ps(tc, _mm512_set1_ps(1.0f - 0x1p-23f), _mm512_set1_ps(2.0f));
  __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(u), 20);
  idx = _mm512_mask_add_epi32(idx, gauss, idx, _mm512_set1_epi32(4));
  const __m512 d = _mm512_sub_ps(tc, fetch(k.centre, idx));  // exact (Sterbenz, or centre 0)

  // h + hl = t^2/2 exactly (Gaussian lanes; 0 elsewhere).
  const __m512 ht = _mm512_maskz_mul_ps(gauss, tc, _mm512_set1_ps(0.5f));
  const __m512 h = _mm512_mul_ps(ht, tc);
  const __m512 hl = _mm512_fmsub_ps(ht, tc, h);

  // J = K + k in the low bits of kf; r = h + hl - K ln2/32.
  const __m512 mk = fetch(k.magic_k, idx);
  const __m512 kf = _mm512_fmadd_ps(h, _mm512_set1_ps(t::kAccL), mk);
  const __m512 kk = _mm512_sub_ps(kf, mk);
  const __m512 r1 = _mm512_fnmadd_ps(kk, _mm512_set1_ps(t::kAccChi), h);  // exact
  const __m512 r2 = _mm512_fnmadd_ps(kk, _mm512_set1_ps(t::kAccClo), hl);
  const __m512 r = _mm512_add_ps(r1, r2);
  // q = e^-r - 1 = r (-1 + r (q2 + r q3))
  __m512 q = _mm512_fmadd_ps(r, _mm512_set1_ps(t::kAccQ3), _mm512_set1_ps(t::kAccQ2));
  q = _mm512_fmsub_ps(r, q, one);
  q = _mm512_mul_ps(r, q);

  // p(d), Horner.
  __m512 p = fetch(k.c5, idx);
  p = _mm512_fmadd_ps(p, d, fetch(k.c4, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c3, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c2, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c1, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c0, idx));

  // 2^24 * 2^(-J/32) = (Thi + Tlo) * 2^-floor(...): j = J mod 32 indexes the table.
  const __m512i ji = _mm512_castps_si512(kf);
  const __m512 thi = fetch(k.exp_hi, ji);
  const __m512 tlo = fetch(k.exp_lo, ji);
  // sc = -J/32 - 24 (exact); scalef applies 2^floor(sc).
  const __m512 sc = _mm512_fmadd_ps(kf, _mm512_set1_ps(-1.0f / 32), _mm512_set1_ps(12582912.0f / 32 - 24));

  // T (1 + p)(1 + q) = Thi + W, W = Thi p + (Thi q (1 + p) + Tlo).
  const __m512 a = _mm512_fmadd_ps(p, q, q);
  const __m512 b = _mm512_fmadd_ps(thi, a, tlo);
  const __m512 w = _mm512_fmadd_ps(thi, p, b);
  // m = sign(x) * min(|x|, 1) (vrangeps: min-abs, sign of src1).
  const __m512 m = _mm512_range_ps(x, one, 0x2);
  const __m512 z = _mm512_fmadd_ps(m, thi, _mm512_mul_ps(m, w));
  const __m512 v = kTail ? pow2_scale::scalef_without_assist(z, sc) : _mm512_scalef_ps(z, sc);
  // x >= 1: GELU = x - t Phi(-t). Unordered counts as big, so NaN -> x - v = NaN.
  const __mmask16 big = _mm512_cmp_ps_mask(x, one, _CMP_NLT_UQ);
  return _mm512_mask_sub_ps(v, big, x, v);
}

// Lanes below x = -13 may have results under 2^-126 (GELU(-13.15) ~
// -2^-126), for which vscalefps takes a microcode assist on Intel: vectors
// with such a lane scale without it (kernels/pow2_scale.h), the others take
// the plain instruction. The same bits either way. (Inputs themselves near
// the subnormal range also give such results; they keep the assist.)
inline constexpr float kTailX = -13.0f;
inline __m512 gelu16(__m512 x, const Consts& k) {
  if (__builtin_expect(_mm512_cmp_ps_mask(x, _mm512_set1_ps(kTailX), _CMP_LT_OQ) == 0, 1))
    return gelu16_body<false>(x, k);
  return gelu16_body<true>(x, k);
}

// The coefficient tables in registers, loaded once per call.
inline Consts consts() {
  return {tab(t::kAccCentre), tab(t::kAccMagicK), tab(t::kAccC0), tab(t::kAccC1), tab(t::kAccC2),
          tab(t::kAccC3),     tab(t::kAccC4),     tab(t::kAccC5), tab(kExp.hi),    tab(kExp.lo)};
}

}  // namespace
}  // namespace gelubench::accurate_avx512
