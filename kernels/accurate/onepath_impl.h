// The exp-based "onepath" algorithm of kernels/accurate, written once: one
// body over a variant (Accurate: degree-5 tables, the exp table's low part;
// Fast: degree-4 tables, no low part, a cheaper final combination) and an
// ISA (AVX-512, AVX2). Every version does the same float operations in the
// same order, so the AVX2 and AVX-512 versions of a variant return the same
// bits (tests/isa_siblings_test.cc). Used by the onepath kernels, as the
// tail path of the core + tail kernels (f32_erf_accurate__avx512,
// f32_erf_fast_accurate__avx512) and by the narrow kernels that convert
// around it in registers (kernels/f16, kernels/bf16, kernels/qs8).
//
// Method (tables made by tools/fit/gelu_accurate_fit.py, whose docstring
// has the derivation and the error budget):
//   t = |x|, m = sign(x)*min(t, 1), h = t^2/2 (h = 0 for 0 <= x < 1),
//   V = m * exp(-h) * G(t),  GELU(x) = V for x < 1, x - V for x >= 1,
//   with G = Phi(x) (0 <= x < 1), Phi(-t) e^(t^2/2) (-1 < x < 0) or
//   t Phi(-t) e^(t^2/2) (t >= 1): smooth functions with no Gaussian decay,
//   so no 1 + erf cancellation anywhere and no tail clamp.
//   * h = t^2/2 is split exactly into h + hl with an FMA (rounding x/sqrt(2)
//     or t^2 would cost ~x^2 ULP in the tail).
//   * G on 29 intervals (slot = exponent and top 3 mantissa bits of
//     u = fma(t, 1 - 2^-23, 2), plus 4 for the Gaussian lanes): G =
//     2^(-k/32) (1 + p(d)), p a polynomial in d = t - centre (exact:
//     Sterbenz). The shrink by 2^-23 keeps every t < 1 out of 1's slot
//     (where G changes function); elsewhere a t within ~2^-20 of a boundary
//     may be evaluated by the neighbouring slot of the same function, whose
//     fit holds on the closed interval and that little beyond. AVX2 has no
//     truncating add either, so both ISAs use this rule.
//   * exp(-h) 2^(-k/32) = 2^(-J/32) e^(-r): J = K + k from one FMA with the
//     slot's magic constant, r = (h - K*C_hi) - K*C_lo + hl, e^(-r) - 1 a
//     degree-3 minimax; 2^(-J/32) from a 32-entry table pre-scaled by 2^24
//     (so no product goes subnormal before the last step) times
//     2^(-24 - ceil(J/32)), applied with one rounding, subnormal results
//     included, without a subnormal-producing instruction where that costs
//     a microcode assist (kernels/pow2_scale.h).
// Valid for all float inputs: |x| is clamped to 15 (GELU(-15) rounds to -0,
// GELU(15) to 15); NaN -> NaN (the final x - v), +inf -> +inf, -inf -> -0,
// +-0 -> +-0 (a positive c0 in slot 4 keeps -0's sign).
// Flags relied on: the file suffix's ISA flags; round to nearest (MXCSR
// default); no FTZ/DAZ (subnormal inputs and results are exact IEEE
// operations here). Array tails: those of kernels/simd_loop.h.
// Internal linkage only: each ISA's .cc file gets its own copy.
#pragma once

// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <immintrin.h>

#include <cstdint>

#include "kernels/accurate/accurate_tables_d5.h"
#include "kernels/accurate/fast_tables_d4.h"
#include "kernels/pow2_scale.h"
#include "kernels/simd_loop.h"
#include "kernels/simd_ops.h"
#if defined(__AVX512F__)
#include "kernels/perm32_avx512.h"
#endif
#if defined(__AVX2__)
#include "kernels/accurate/avx2_rows.h"
#endif

namespace gelubench::accurate {
namespace {

// A 32-entry table times 2^24 (exact), aligned for whole-register loads.
struct Table32 {
  alignas(64) float v[32];
};
constexpr Table32 scaled_by_2p24(const float (&t)[32]) {
  Table32 e{};
  for (int j = 0; j < 32; ++j) e.v[j] = t[j] * 0x1p24f;
  return e;
}

// ------------------------------------------------------------------ variants
// Accurate: degree 5, 2^(-J/32) as hi + lo; T (1 + p)(1 + q) = Thi + W,
// W = Thi p + (Thi q (1 + p) + Tlo), result fma(m, Thi, m W): the only
// roundings of size ~|p| are in p itself, W and m W. Error budget (relative,
// before the final rounding): the fit (its table's header), the exp
// polynomial 2^-33.2, the argument reduction <= 2^-30.5, the roundings of
// p, W and m W <= 2^-27 each at |p| <= 0.1: ~0.4 ULP on top of the final 0.5.
struct Accurate {
  static constexpr int kDegree = kAccDegree;
  static constexpr bool kHasExpLo = true;
  static constexpr const float* kCols[kDegree + 3] = {kAccCentre, kAccMagicK, kAccC0, kAccC1,
                                                      kAccC2,     kAccC3,     kAccC4, kAccC5};
  static constexpr float kL = kAccL, kChi = kAccChi, kClo = kAccClo, kQ2 = kAccQ2, kQ3 = kAccQ3;
  static constexpr Table32 kExpHi = scaled_by_2p24(kAccExpHi), kExpLo = scaled_by_2p24(kAccExpLo);
  template <class V, class O>
  static GELU_FAMILIES_INLINE V combine(V p, V q, V m, V thi, V tlo, const O& o) {
    const V a = o.fmadd(p, q, q);
    const V b = o.fmadd(thi, a, tlo);
    const V w = o.fmadd(thi, p, b);
    return o.fmadd(m, thi, o.mul(m, w));
  }
};

// Fast: degree 4, no low part of 2^(-J/32), V = fma(m T, eps, m T) with
// eps = p + q + p q and m T rounded. Kept (each worth 2^-18 or more in the
// tail): the exact split of t^2/2, the two-constant reduction, the degree-3
// e^-r. Error budget (relative, before the final rounding, in units of the
// 2^-24 one ULP can be): the fit <= 1.7, no table low part <= 0.5, m T <= 1
// (2^-24 when |x| < 1, exact otherwise), other roundings ~0.2: ~3.9 ULP with
// the final rounding.
struct Fast {
  static constexpr int kDegree = kFastDegree;
  static constexpr bool kHasExpLo = false;
  static constexpr const float* kCols[kDegree + 3] = {kFastCentre, kFastMagicK, kFastC0, kFastC1,
                                                      kFastC2,     kFastC3,     kFastC4};
  static constexpr float kL = kFastL, kChi = kFastChi, kClo = kFastClo, kQ2 = kFastQ2, kQ3 = kFastQ3;
  static constexpr Table32 kExpHi = scaled_by_2p24(kFastExpHi), kExpLo{};
  template <class V, class O>
  static GELU_FAMILIES_INLINE V combine(V p, V q, V m, V thi, V, const O& o) {
    const V eps = o.fmadd(p, q, o.add(p, q));
    const V mt = o.mul(m, thi);
    return o.fmadd(mt, eps, mt);
  }
};

// ------------------------------------------------------------------ the body
// S: the ISA's pieces (below): lane masks, slot lookup, exp table, scaling.
template <class Var, class S, bool kTail>
GELU_FAMILIES_INLINE typename S::V onepath_body(typename S::V x, const S& s) {
  using V = typename S::V;
  const typename S::Ops o;
  const V one = o.set(1.0f);
  const auto gauss = s.gaussian(x);  // lanes with the Gaussian factor: all but 0 <= x < 1
  const V tc = s.abs_min15(x);       // min(|x|, 15); NaN gives 15, NaN reaches the output via x - v
  const V u = o.fmadd(tc, o.set(1.0f - 0x1p-23f), o.set(2.0f));
  const auto slot = s.slot(u, gauss);
  const V d = o.sub(tc, slot.col(0));  // exact (Sterbenz, or centre 0)

  // h + hl = t^2/2 exactly (Gaussian lanes; 0 elsewhere).
  const V ht = s.half_where(gauss, tc);
  const V h = o.mul(ht, tc);
  const V hl = o.fmsub(ht, tc, h);

  // J = K + k in the low bits of kf; r = h + hl - K ln2/32.
  const V mk = slot.col(1);
  const V kf = o.fmadd(h, o.set(Var::kL), mk);
  const V kk = o.sub(kf, mk);
  const V r1 = o.fnmadd(kk, o.set(Var::kChi), h);  // exact
  const V r2 = o.fnmadd(kk, o.set(Var::kClo), hl);
  const V r = o.add(r1, r2);
  // q = e^-r - 1 = r (-1 + r (q2 + r q3))
  V q = o.fmadd(r, o.set(Var::kQ3), o.set(Var::kQ2));
  q = o.fmsub(r, q, one);
  q = o.mul(r, q);

  // p(d), Horner.
  V p = slot.col(2 + Var::kDegree);
  for (int i = Var::kDegree - 1; i >= 0; --i) p = o.fmadd(p, d, slot.col(2 + i));

  // 2^24 * 2^(-J/32) = Thi (+ Tlo): j = J mod 32 indexes the table.
  V thi, tlo;
  s.exp_table(kf, thi, tlo);
  const V z = Var::combine(p, q, s.signed_min1(x, tc), thi, tlo, o);
  // z * 2^(-24 - ceil(J/32)), one rounding.
  const V v = s.template scale<kTail>(z, kf);
  return s.x_minus_where_big(x, v);  // x >= 1 (or NaN): x - v
}

// ------------------------------------------------------------------ AVX-512
#if defined(__AVX512F__)
// Tables in registers (loaded once per call), coefficients by vpermt2ps.
template <class Var>
struct Onepath512 {
  using V = __m512;
  using Ops = simd::Ops512;
  perm32::Tab col[Var::kDegree + 3], exp_hi, exp_lo;

  Onepath512() {
    for (int i = 0; i < Var::kDegree + 3; ++i) col[i] = perm32::tab(Var::kCols[i]);
    exp_hi = perm32::tab(Var::kExpHi.v);
    if constexpr (Var::kHasExpLo) exp_lo = perm32::tab(Var::kExpLo.v);
  }

  struct Slot {
    const Onepath512& s;
    __m512i idx;
    GELU_FAMILIES_INLINE __m512 col(int i) const { return perm32::fetch(s.col[i], idx); }
  };

  GELU_FAMILIES_INLINE __mmask16 gaussian(__m512 x) const {  // bits(x) >= bits(1.0) as unsigned
    return _mm512_cmp_epu32_mask(_mm512_castps_si512(x), _mm512_castps_si512(_mm512_set1_ps(1.0f)),
                                 _MM_CMPINT_NLT);
  }
  GELU_FAMILIES_INLINE __m512 abs_min15(__m512 x) const {  // vrangeps: min-abs, sign cleared
    return _mm512_range_ps(x, _mm512_set1_ps(15.0f), 0xa);
  }
  GELU_FAMILIES_INLINE Slot slot(__m512 u, __mmask16 gauss) const {
    const __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(u), 20);
    return {*this, _mm512_mask_add_epi32(idx, gauss, idx, _mm512_set1_epi32(4))};
  }
  GELU_FAMILIES_INLINE __m512 half_where(__mmask16 gauss, __m512 tc) const {
    return _mm512_maskz_mul_ps(gauss, tc, _mm512_set1_ps(0.5f));
  }
  GELU_FAMILIES_INLINE void exp_table(__m512 kf, __m512& thi, __m512& tlo) const {
    thi = perm32::fetch(exp_hi, _mm512_castps_si512(kf));
    if constexpr (Var::kHasExpLo) tlo = perm32::fetch(exp_lo, _mm512_castps_si512(kf));
  }
  GELU_FAMILIES_INLINE __m512 signed_min1(__m512 x, __m512) const {  // vrangeps: min-abs, sign of x
    return _mm512_range_ps(x, _mm512_set1_ps(1.0f), 0x2);
  }
  template <bool kTail>
  GELU_FAMILIES_INLINE __m512 scale(__m512 z, __m512 kf) const {
    // sc = -J/32 - 24 (exact); scalef applies 2^floor(sc).
    const __m512 sc = _mm512_fmadd_ps(kf, _mm512_set1_ps(-1.0f / 32), _mm512_set1_ps(12582912.0f / 32 - 24));
    return kTail ? pow2_scale::scalef_without_assist(z, sc) : _mm512_scalef_ps(z, sc);
  }
  GELU_FAMILIES_INLINE __m512 x_minus_where_big(__m512 x, __m512 v) const {
    const __mmask16 big = _mm512_cmp_ps_mask(x, _mm512_set1_ps(1.0f), _CMP_NLT_UQ);
    return _mm512_mask_sub_ps(v, big, x, v);
  }

  // Lanes below x = -13 may have results under 2^-126 (GELU(-13.15) ~
  // -2^-126), for which vscalefps takes a microcode assist on Intel: vectors
  // with such a lane scale without it (kernels/pow2_scale.h), the others take
  // the plain instruction. The same bits either way. (Inputs themselves near
  // the subnormal range also give such results; they keep the assist.)
  static constexpr float kTailX = -13.0f;
  GELU_FAMILIES_INLINE __m512 operator()(__m512 x) const {
    if (__builtin_expect(_mm512_cmp_ps_mask(x, _mm512_set1_ps(kTailX), _CMP_LT_OQ) == 0, 1))
      return onepath_body<Var, Onepath512, false>(x, *this);
    return onepath_body<Var, Onepath512, true>(x, *this);
  }
};

template <class Var>
void onepath_avx512(size_t n, const float* x, float* y) {
  families::loop_avx512(n, x, y, Onepath512<Var>());
}
#endif  // __AVX512F__

// ------------------------------------------------------------------ AVX2
#if defined(__AVX2__) && defined(__FMA__)
// No two-register permute: the per-slot values come as rows and a transpose
// (avx2_rows.h), the exp table (indexed by J, not by slot) by vgatherdps;
// masks are vectors; the final scaling is pow2_scale::scale.
template <class Var>
struct Onepath256 {
  using V = __m256;
  using Ops = simd::Ops256;
  static constexpr RowTable<Var::kDegree + 3> kRows = make_rows(Var::kCols);

  struct Slot {
    __m256 c[8];  // centre, magic + k, c0 .. c_degree of each lane's slot
    GELU_FAMILIES_INLINE __m256 col(int i) const { return c[i]; }
  };

  GELU_FAMILIES_INLINE __m256i gaussian(__m256 x) const {  // bits(x) >= bits(1.0) as unsigned
    return _mm256_cmpgt_epi32(_mm256_xor_si256(_mm256_castps_si256(x), _mm256_set1_epi32(INT32_MIN)),
                              _mm256_set1_epi32(static_cast<int32_t>(0xbf7fffffu)));
  }
  GELU_FAMILIES_INLINE __m256 abs_min15(__m256 x) const {
    return _mm256_min_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), x), _mm256_set1_ps(15.0f));
  }
  GELU_FAMILIES_INLINE Slot slot(__m256 u, __m256i gauss) const {
    __m256i idx = _mm256_srli_epi32(_mm256_castps_si256(u), 20);
    idx = _mm256_add_epi32(idx, _mm256_and_si256(gauss, _mm256_set1_epi32(4)));
    idx = _mm256_and_si256(idx, _mm256_set1_epi32(31));
    Slot s;
    lookup_rows(kRows.rows, idx, s.c);
    return s;
  }
  GELU_FAMILIES_INLINE __m256 half_where(__m256i gauss, __m256 tc) const {
    return _mm256_and_ps(_mm256_mul_ps(tc, _mm256_set1_ps(0.5f)), _mm256_castsi256_ps(gauss));
  }
  // J = bits(kf) - bits(1.5 * 2^23).
  static GELU_FAMILIES_INLINE __m256i big_j(__m256 kf) {
    return _mm256_sub_epi32(_mm256_castps_si256(kf), _mm256_set1_epi32(0x4b400000));
  }
  GELU_FAMILIES_INLINE void exp_table(__m256 kf, __m256& thi, __m256& tlo) const {
    const __m256i j = _mm256_and_si256(big_j(kf), _mm256_set1_epi32(31));
    thi = _mm256_i32gather_ps(Var::kExpHi.v, j, 4);
    if constexpr (Var::kHasExpLo) tlo = _mm256_i32gather_ps(Var::kExpLo.v, j, 4);
  }
  GELU_FAMILIES_INLINE __m256 signed_min1(__m256 x, __m256 tc) const {
    return _mm256_or_ps(_mm256_min_ps(tc, _mm256_set1_ps(1.0f)), _mm256_and_ps(x, _mm256_set1_ps(-0.0f)));
  }
  template <bool>
  GELU_FAMILIES_INLINE __m256 scale(__m256 z, __m256 kf) const {
    // e = floor(-J/32) - 24 = -24 - ceil(J/32).
    const __m256i c = _mm256_srai_epi32(_mm256_add_epi32(big_j(kf), _mm256_set1_epi32(31)), 5);
    const __m256i e = _mm256_sub_epi32(_mm256_set1_epi32(-24), c);
    return pow2_scale::scale(z, e, _mm256_cmpgt_epi32(_mm256_set1_epi32(-148), e));
  }
  GELU_FAMILIES_INLINE __m256 x_minus_where_big(__m256 x, __m256 v) const {
    const __m256 big = _mm256_cmp_ps(x, _mm256_set1_ps(1.0f), _CMP_NLT_UQ);
    return _mm256_blendv_ps(v, _mm256_sub_ps(x, v), big);
  }
  GELU_FAMILIES_INLINE __m256 operator()(__m256 x) const { return onepath_body<Var, Onepath256, false>(x, *this); }
};

template <class Var>
void onepath_avx2(size_t n, const float* x, float* y) {
  families::loop_avx2(n, x, y, Onepath256<Var>());
}
#endif  // __AVX2__ && __FMA__

}  // namespace
}  // namespace gelubench::accurate
