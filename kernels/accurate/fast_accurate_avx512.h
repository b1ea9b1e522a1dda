// The 16-lane body of f32_erf_fast_accurate_onepath__avx512 (method, error
// budget and special values: that file's header), also the tail path of
// f32_erf_fast_accurate__avx512. Internal linkage: include from __avx512*.cc
// files only.
#pragma once

#include <immintrin.h>

#include "kernels/accurate/fast_tables_d4.h"
#include "kernels/perm32_avx512.h"
#include "kernels/pow2_scale.h"

namespace gelubench::fast_accurate_avx512 {
namespace {

namespace t = accurate;

using perm32::Tab;
using perm32::fetch;
using perm32::tab;

struct ExpTable {
  alignas(64) float hi[32];
};
constexpr ExpTable scaled_exp_table() {  // 2^24 * 2^(1 - j/32): exact scaling
  ExpTable e{};
  for (int j = 0; j < 32; ++j) e.hi[j] = t::kFastExpHi[j] * 0x1p24f;
  return e;
}
constexpr ExpTable kExp = scaled_exp_table();

struct Consts {
  Tab centre, magic_k, c0, c1, c2, c3, c4, exp_hi;
};

template <bool kTail>
inline __m512 gelu16_body(__m512 x, const Consts& k) {
  const __m512 one = _mm512_set1_ps(1.0f);
  const __mmask16 gauss =
      _mm512_cmp_epu32_mask(_mm512_castps_si512(x), _mm512_castps_si512(one), _MM_CMPINT_NLT);
  const __m512 tc = _mm512_range_ps(x, _mm512_set1_ps(15.0f), 0xa);  // min(|x|, 15)

  const __m512 u = _mm512_fmadd_ps(tc, _mm512_set1_ps(1.0f - 0x1p-23f), _mm512_set1_ps(2.0f));
  __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(u), 20);
  idx = _mm512_mask_add_epi32(idx, gauss, idx, _mm512_set1_epi32(4));
  const __m512 d = _mm512_sub_ps(tc, fetch(k.centre, idx));

  const __m512 ht = _mm512_maskz_mul_ps(gauss, tc, _mm512_set1_ps(0.5f));
  const __m512 h = _mm512_mul_ps(ht, tc);
  const __m512 hl = _mm512_fmsub_ps(ht, tc, h);

  const __m512 mk = fetch(k.magic_k, idx);
  const __m512 kf = _mm512_fmadd_ps(h, _mm512_set1_ps(t::kFastL), mk);
  const __m512 kk = _mm512_sub_ps(kf, mk);
  const __m512 r1 = _mm512_fnmadd_ps(kk, _mm512_set1_ps(t::kFastChi), h);
  const __m512 r2 = _mm512_fnmadd_ps(kk, _mm512_set1_ps(t::kFastClo), hl);
  const __m512 r = _mm512_add_ps(r1, r2);
  __m512 q = _mm512_fmadd_ps(r, _mm512_set1_ps(t::kFastQ3), _mm512_set1_ps(t::kFastQ2));
  q = _mm512_fmsub_ps(r, q, one);
  q = _mm512_mul_ps(r, q);

  __m512 p = fetch(k.c4, idx);
  p = _mm512_fmadd_ps(p, d, fetch(k.c3, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c2, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c1, idx));
  p = _mm512_fmadd_ps(p, d, fetch(k.c0, idx));

  const __m512 thi = fetch(k.exp_hi, _mm512_castps_si512(kf));
  const __m512 sc = _mm512_fmadd_ps(kf, _mm512_set1_ps(-1.0f / 32), _mm512_set1_ps(12582912.0f / 32 - 24));

  const __m512 eps = _mm512_fmadd_ps(p, q, _mm512_add_ps(p, q));
  const __m512 mt = _mm512_mul_ps(_mm512_range_ps(x, one, 0x2), thi);  // sign(x) min(|x|, 1) T
  const __m512 z = _mm512_fmadd_ps(mt, eps, mt);
  const __m512 v = kTail ? pow2_scale::scalef_without_assist(z, sc) : _mm512_scalef_ps(z, sc);
  const __mmask16 big = _mm512_cmp_ps_mask(x, one, _CMP_NLT_UQ);  // x >= 1 or NaN
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

// The tables in registers, loaded once per call.
inline Consts consts() {
  return {tab(t::kFastCentre), tab(t::kFastMagicK), tab(t::kFastC0), tab(t::kFastC1),
          tab(t::kFastC2),     tab(t::kFastC3),     tab(t::kFastC4), tab(kExp.hi)};
}

}  // namespace
}  // namespace gelubench::fast_accurate_avx512
