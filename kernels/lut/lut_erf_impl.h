// The kernels/lut algorithm, once per ISA, for any table lut_erf_<N>_<method>.h
// (written by tools/fit/lut_tables.py): GELU samples G(t_i) = -GELU(-t_i)
// on t_i = i*h, interpolated linearly (2 numbers per interval) or by cubic
// Hermite (4 per interval, value and slope at both ends, monomial form):
//
//   a = |x|,  f = a*(1/h),  fi = min(floor(f), N - 1),  i = int(fi),  w = f - fi
//   G = C_K[i] w^K + ... + C_0[i]   (Horner, FMA)
//   y = max(-0, x) - G              if a < c = N*h
//   y = max(-0, x)                  otherwise (x > c: x; x < -c: -0)
//
// The index is clamped before it is used, so NaN/inf/huge lanes read inside
// the table (vminps returns its second operand, N - 1, for a NaN f); they
// are then replaced by max(-0, x): NaN -> NaN, +inf -> +inf, -inf -> -0.
// Table access: AVX-512 permutes, 64-bit gathers of coefficient pairs, or
// a mix (lut_erf_avx512<T, kRowPairs>, below); AVX2 64-bit gathers of the
// pairs (lut_erf_avx2, no two-register permute there); scalar loads. On the
// Sapphire Rapids-class Xeon the kernels were tuned on (single thread,
// L1-resident arrays, interleaved A/B runs), permutes won for 64 entries,
// gathering (C_0, C_1) and permuting (C_2, C_3) for 128, and gathering the
// one pair for 256; one vgatherdps per coefficient lost everywhere. The
// balance is that CPU's: where gathers are slow (the Gather Data Sampling
// microcode on Skylake-SP .. Ice Lake, Zen 4's vgatherdpd zmm) more permutes
// would likely win; kRowPairs is the one number to change.
// Tables (tools/fit/lut_tables.py): samples from mpmath, each rounded once to
// float. Range: all floats; an absolute-error design: relative accuracy in
// the negative tail is lost before -c and the result is -0 below it (the
// registry's budgets say how much). Linear tables: near 0 the first chord's
// slope G(h)/h is below G'(0) = 1/2 (by 1.7% for h = 5.3/256), so tiny and
// subnormal inputs are off by that much (~1e5 ULP, e.g. +-min_normal); the
// Hermite tables keep G's slope at 0. Flags relied on: the file suffix's ISA
// flags; round to nearest; no FTZ/DAZ assumptions.
// All versions do the same float operations, so results are bit-identical
// across ISAs.
// Internal linkage only: each ISA's .cc file gets its own copy.
#pragma once

// GCC 12 false positive inside its own AVX-512 intrinsics (_mm512_undefined_ps
// passthrough operands): silenced for the kernel files including this header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <immintrin.h>

#include <cmath>
#include <cstddef>

#include "kernels/simd_loop.h"

namespace gelubench::lut {
namespace {

template <class T>
constexpr int kTerms = sizeof(T::kC) / sizeof(T::kC[0]);

template <class T>
inline float lut_erf_scalar_one(float x) {
  const float a = std::fabs(x);
  const float m = -0.0f > x ? -0.0f : x;  // vmaxps(-0, x)
  if (!(a < T::kSaturate)) return m;
  const float f = a * T::kInvStep;
  float fi = std::floor(f);
  fi = fi < float(T::kSize - 1) ? fi : float(T::kSize - 1);
  const int i = static_cast<int>(fi);
  const float w = f - fi;
  constexpr int K = kTerms<T>;
  float p = T::kC[K - 1][i];
  for (int k = K - 2; k >= 0; --k) p = std::fma(p, w, T::kC[k][i]);
  return m - p;
}

template <class T>
void lut_erf_scalar(size_t n, const float* x, float* y) {
  families::loop_scalar(n, x, y, [](float v) { return lut_erf_scalar_one<T>(v); });
}

// The K coefficients of interval i side by side (row i = C_0[i] .. C_{K-1}[i]),
// so one 64-bit gather element brings two coefficients from the same line.
template <class T>
struct Rows {
  alignas(64) float v[T::kSize * kTerms<T>];
};
template <class T>
constexpr Rows<T> make_rows() {
  Rows<T> r{};
  for (int i = 0; i < T::kSize; ++i)
    for (int k = 0; k < kTerms<T>; ++k) r.v[i * kTerms<T> + k] = T::kC[k][i];
  return r;
}
template <class T>
constexpr Rows<T> kRows = make_rows<T>();

#if defined(__AVX512F__)
// Index, fraction and saturation mask, shared by both table accesses.
template <class T>
struct LutArgs512 {
  __m512 w, m;
  __m512i i;
  __mmask16 in;
  GELU_FAMILIES_INLINE explicit LutArgs512(__m512 x) {
    const __m512 a = _mm512_abs_ps(x);
    const __m512 f = _mm512_mul_ps(a, _mm512_set1_ps(T::kInvStep));
    __m512 fi = _mm512_roundscale_ps(f, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    fi = _mm512_min_ps(fi, _mm512_set1_ps(float(T::kSize - 1)));
    i = _mm512_cvttps_epi32(fi);
    w = _mm512_sub_ps(f, fi);
    m = _mm512_max_ps(_mm512_set1_ps(-0.0f), x);
    in = _mm512_cmp_ps_mask(a, _mm512_set1_ps(T::kSaturate), _CMP_LT_OQ);
  }
};


// Coefficient k of 16 lanes, by one of two accesses:
//  * row gather (k even, with k + 1): two vgatherdpd of 8 lanes x 64 bits
//    (16 element loads, where two vgatherdps would make 32), then two
//    vpermt2ps to split the pairs into one vector per coefficient;
//  * permute tree: one vpermt2ps per 32-entry group (index bits 0-4, the
//    table operands straight from L1 or registers), then a binary tree of
//    masked moves on index bits 5, 6, ... (N = 32 * 2^b entries).
// The first kRowPairs pairs (C_0, C_1), ... are gathered, the rest permuted:
// the gathers load on the load ports what the permutes would do on port 5.
template <class T, int kRowPairs>
struct LutErf512 {
  static constexpr int K = kTerms<T>;
  static constexpr int kGroups = T::kSize / 32;
  static_assert(T::kSize % 32 == 0 && (T::kSize & (T::kSize - 1)) == 0 && T::kSize <= 256,
                "32, 64, 128 or 256 entries");
  static_assert(K % 2 == 0 && 2 * kRowPairs <= K, "whole coefficient pairs");

  GELU_FAMILIES_INLINE __m512 permuted(int k, __m512i i, const __mmask16* bit) const {
    __m512 v[kGroups];
#pragma GCC unroll 8
    for (int g = 0; g < kGroups; ++g)
      v[g] = _mm512_permutex2var_ps(_mm512_load_ps(T::kC[k] + 32 * g), i,
                                    _mm512_load_ps(T::kC[k] + 32 * g + 16));
#pragma GCC unroll 3
    for (int width = 1, level = 0; width < kGroups; width *= 2, ++level)
#pragma GCC unroll 4
      for (int g = 0; g < kGroups; g += 2 * width) v[g] = _mm512_mask_mov_ps(v[g], bit[level], v[g + width]);
    return v[0];
  }

  GELU_FAMILIES_INLINE __m512 operator()(__m512 x) const {
    const LutArgs512<T> g(x);
    __m512 c[K];
    if constexpr (kRowPairs > 0) {
      // Row index in 8-byte units, for the low and the high 8 lanes.
      const __m512i r = _mm512_mullo_epi32(g.i, _mm512_set1_epi32(K / 2));
      const __m256i r_lo = _mm512_castsi512_si256(r), r_hi = _mm512_extracti64x4_epi64(r, 1);
      const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
      const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
#pragma GCC unroll 2
      for (int k = 0; k < 2 * kRowPairs; k += 2) {
        const double* base = reinterpret_cast<const double*>(kRows<T>.v + k);
        const __m512 lo = _mm512_castpd_ps(_mm512_i32gather_pd(r_lo, base, 8));
        const __m512 hi = _mm512_castpd_ps(_mm512_i32gather_pd(r_hi, base, 8));
        c[k] = _mm512_permutex2var_ps(lo, even, hi);
        c[k + 1] = _mm512_permutex2var_ps(lo, odd, hi);
      }
    }
    if constexpr (2 * kRowPairs < K) {
      __mmask16 bit[3] = {};
#pragma GCC unroll 3
      for (int level = 0; (32 << level) < T::kSize; ++level)
        bit[level] = _mm512_test_epi32_mask(g.i, _mm512_set1_epi32(32 << level));
#pragma GCC unroll 4
      for (int k = 2 * kRowPairs; k < K; ++k) c[k] = permuted(k, g.i, bit);
    }
    __m512 p = c[K - 1];
#pragma GCC unroll 4
    for (int k = K - 2; k >= 0; --k) p = _mm512_fmadd_ps(p, g.w, c[k]);
    return _mm512_mask_sub_ps(g.m, g.in, g.m, p);
  }
};

template <class T, int kRowPairs>
void lut_erf_avx512(size_t n, const float* x, float* y) {
  families::loop_avx512(n, x, y, LutErf512<T, kRowPairs>());
}
#endif  // __AVX512F__

#if defined(__AVX2__) && defined(__FMA__)
// The coefficient pairs of kRows<T> by 64-bit gathers: per pair two
// vgatherdpd of 4 lanes (8 element loads, where two vgatherdps make 16),
// split by one vshufps and one vpermpd per coefficient: faster than one
// vgatherdps per coefficient (the AVX2 code before) for every table size,
// in an interleaved A/B run at L1 size.
template <class T>
struct LutErfPairs256 {
  GELU_FAMILIES_INLINE __m256 operator()(__m256 x) const {
    const __m256 a = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    const __m256 f = _mm256_mul_ps(a, _mm256_set1_ps(T::kInvStep));
    __m256 fi = _mm256_floor_ps(f);
    fi = _mm256_min_ps(fi, _mm256_set1_ps(float(T::kSize - 1)));
    constexpr int K = kTerms<T>;
    const __m256i r = _mm256_mullo_epi32(_mm256_cvttps_epi32(fi), _mm256_set1_epi32(K / 2));
    const __m128i r_lo = _mm256_castsi256_si128(r), r_hi = _mm256_extracti128_si256(r, 1);
    const __m256 w = _mm256_sub_ps(f, fi);
    __m256 c[K];
    for (int k = 0; k < K; k += 2) {
      const double* base = reinterpret_cast<const double*>(kRows<T>.v + k);
      // lo = pairs of lanes 0-3, hi = lanes 4-7; vshufps takes the even
      // (or odd) floats as lanes 0 1 4 5 | 2 3 6 7, vpermpd puts them in order.
      const __m256 lo = _mm256_castpd_ps(_mm256_i32gather_pd(base, r_lo, 8));
      const __m256 hi = _mm256_castpd_ps(_mm256_i32gather_pd(base, r_hi, 8));
      c[k] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(lo, hi, 0x88)), 0xd8));
      c[k + 1] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(lo, hi, 0xdd)), 0xd8));
    }
    __m256 p = c[K - 1];
    for (int k = K - 2; k >= 0; --k) p = _mm256_fmadd_ps(p, w, c[k]);
    const __m256 m = _mm256_max_ps(_mm256_set1_ps(-0.0f), x);
    const __m256 in = _mm256_cmp_ps(a, _mm256_set1_ps(T::kSaturate), _CMP_LT_OQ);
    return _mm256_blendv_ps(m, _mm256_sub_ps(m, p), in);
  }
};

template <class T>
void lut_erf_avx2(size_t n, const float* x, float* y) {
  families::loop_avx2(n, x, y, LutErfPairs256<T>());
}
#endif  // __AVX2__ && __FMA__

}  // namespace
}  // namespace gelubench::lut
