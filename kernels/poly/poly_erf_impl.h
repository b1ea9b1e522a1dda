// The kernels/poly algorithm, once per ISA, for any PolyErf<D>x<N> table
// (poly_erf_<D>x<N>.h, written by tools/fit/poly_fit.py): N = 16 or 32
// intervals, degree D:
//
//   a = |x|,  q = fma(a, k, 1.5*2^23),  j = q - 1.5*2^23,  u = fma(a, k, -j)
//   G = P_j(u)  (Horner, FMA; the low bits of q's encoding index the table:
//               AVX-512 vpermps (16) / vpermt2ps (32), AVX2 vpermps on
//               8-entry groups + blends, scalar loads)
//   y = max(-0, x) - G             if a < c
//   y = max(-0, x)                 otherwise (saturated: x for x > c, -0 below -c)
//
// Fit (tools/fit/poly_fit.py): Remez per interval, relative error on
// interval 0 with G's Taylor terms c0 = 0, c1 = 1/(2k) kept, absolute error
// elsewhere. Range: all floats; an absolute-error design: relative accuracy
// in the negative tail is lost well before -c, as in every saturating GELU
// (the registry's budgets say how much). Flags relied on: the file suffix's
// ISA flags; round to nearest; no FTZ/DAZ assumptions.
// All three versions do the same float operations in the same order, so
// scalar, AVX2 and AVX-512 results are bit-identical. Lanes with a >= c, NaN
// or inf compute garbage indices and are replaced by max(-0, x), whose operand
// order (vmaxps returns its second operand on NaN or equal zeros) maps
// NaN -> NaN, +0 -> +0, -0 -> -0, +inf -> +inf, -inf -> -0.
// Internal linkage only: each ISA's .cc file gets its own copy compiled with
// its own flags (no COMDAT sharing across ISA files).
#pragma once

// GCC 12 false positive inside its own AVX-512 intrinsics (_mm512_undefined_ps
// passthrough operands of permutexvar/max): silence it for the kernel files
// that include this header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <cmath>

#include <immintrin.h>

#include "kernels/simd_loop.h"

namespace gelubench::poly {
namespace {

constexpr float kMagic = 12582912.0f;  // 1.5 * 2^23: fma(a, k, kMagic) rounds a*k to an integer

template <class T>
inline float poly_erf_scalar_one(float x) {
  constexpr int D = T::kDegree;
  const float a = std::fabs(x);
  const float m = -0.0f > x ? -0.0f : x;  // vmaxps(-0, x) semantics
  if (!(a < T::kSaturate)) return m;
  const float q = std::fma(a, T::kScale, kMagic);
  const float j = q - kMagic;
  const float u = std::fma(a, T::kScale, -j);
  uint32_t qb;
  std::memcpy(&qb, &q, sizeof qb);
  const unsigned idx = qb & (T::kIntervals - 1);  // vpermps/vpermt2ps use the low bits
  float p = T::kCoef[D][idx];
  for (int i = D - 1; i >= 0; --i) p = std::fma(p, u, T::kCoef[i][idx]);
  return m - p;
}

template <class T>
void poly_erf_scalar(size_t n, const float* x, float* y) {
  families::loop_scalar(n, x, y, [](float v) { return poly_erf_scalar_one<T>(v); });
}

#if defined(__AVX512F__)
template <class T>
struct PolyErfAvx512 {
  static_assert(T::kIntervals == 16 || T::kIntervals == 32,
                "one vpermps register (16) or a vpermt2ps pair (32) per coefficient");
  static constexpr bool kPair = T::kIntervals == 32;
  __m512 c[T::kDegree + 1], c2[T::kDegree + 1];
  PolyErfAvx512() {
    for (int i = 0; i <= T::kDegree; ++i) {
      c[i] = _mm512_load_ps(T::kCoef[i]);
      c2[i] = kPair ? _mm512_load_ps(T::kCoef[i] + 16) : c[i];
    }
  }
  GELU_FAMILIES_INLINE __m512 coef(int i, __m512i idx) const {
    if constexpr (kPair) return _mm512_permutex2var_ps(c[i], idx, c2[i]);
    return _mm512_permutexvar_ps(idx, c[i]);
  }
  // K vectors at a time, each step applied to all K before the next, so K
  // dependency chains advance together; same per-lane operations for any K.
  template <int K>
  GELU_FAMILIES_INLINE void run(const __m512* x, __m512* y) const {
#define GELU_EACH _Pragma("GCC unroll 8") for (int k = 0; k < K; ++k)
    const __m512 kk = _mm512_set1_ps(T::kScale);
    const __m512 magic = _mm512_set1_ps(kMagic);
    __m512 a[K], q[K], u[K], p[K];
    GELU_EACH a[k] = _mm512_abs_ps(x[k]);
    GELU_EACH q[k] = _mm512_fmadd_ps(a[k], kk, magic);
    GELU_EACH u[k] = _mm512_fmsub_ps(a[k], kk, _mm512_sub_ps(q[k], magic));
    GELU_EACH p[k] = coef(T::kDegree, _mm512_castps_si512(q[k]));
#pragma GCC unroll 8
    for (int i = T::kDegree - 1; i >= 0; --i)
      GELU_EACH p[k] = _mm512_fmadd_ps(p[k], u[k], coef(i, _mm512_castps_si512(q[k])));
    GELU_EACH {
      const __m512 m = _mm512_max_ps(_mm512_set1_ps(-0.0f), x[k]);
      const __mmask16 in = _mm512_cmp_ps_mask(a[k], _mm512_set1_ps(T::kSaturate), _CMP_LT_OQ);
      y[k] = _mm512_mask_sub_ps(m, in, m, p[k]);
    }
#undef GELU_EACH
  }
  GELU_FAMILIES_INLINE __m512 operator()(__m512 x) const {
    __m512 y;
    run<1>(&x, &y);
    return y;
  }
};

template <class T>
void poly_erf_avx512(size_t n, const float* x, float* y) {
  families::loop_avx512_batched<4>(n, x, y, PolyErfAvx512<T>());
}
#endif  // __AVX512F__

#if defined(__AVX2__) && defined(__FMA__)
template <class T>
struct PolyErfAvx2 {
  static_assert(T::kIntervals == 16 || T::kIntervals == 32, "8-entry vpermps groups");
  static constexpr int kGroups = T::kIntervals / 8;
  __m256 t[T::kDegree + 1][kGroups];
  PolyErfAvx2() {
    for (int i = 0; i <= T::kDegree; ++i)
      for (int g = 0; g < kGroups; ++g) t[i][g] = _mm256_load_ps(T::kCoef[i] + 8 * g);
  }
  GELU_FAMILIES_INLINE __m256 operator()(__m256 x) const {
    const __m256 a = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    const __m256 k = _mm256_set1_ps(T::kScale);
    const __m256 magic = _mm256_set1_ps(kMagic);
    const __m256 q = _mm256_fmadd_ps(a, k, magic);
    const __m256 j = _mm256_sub_ps(q, magic);
    const __m256 u = _mm256_fmsub_ps(a, k, j);
    const __m256i idx = _mm256_castps_si256(q);
    // Index bits 3 (and 4) pick the 8-entry group: moved to the sign bit for blendv.
    const __m256 bit3 = _mm256_castsi256_ps(_mm256_slli_epi32(idx, 28));
    const __m256 bit4 = _mm256_castsi256_ps(_mm256_slli_epi32(idx, 27));
    auto coef = [&](int i) __attribute__((always_inline)) {
      __m256 v = _mm256_blendv_ps(_mm256_permutevar8x32_ps(t[i][0], idx),
                                  _mm256_permutevar8x32_ps(t[i][1], idx), bit3);
      if constexpr (kGroups == 4) {
        const __m256 w = _mm256_blendv_ps(_mm256_permutevar8x32_ps(t[i][2], idx),
                                          _mm256_permutevar8x32_ps(t[i][3], idx), bit3);
        v = _mm256_blendv_ps(v, w, bit4);
      }
      return v;
    };
    __m256 p = coef(T::kDegree);
    for (int i = T::kDegree - 1; i >= 0; --i) p = _mm256_fmadd_ps(p, u, coef(i));
    const __m256 m = _mm256_max_ps(_mm256_set1_ps(-0.0f), x);
    const __m256 in = _mm256_cmp_ps(a, _mm256_set1_ps(T::kSaturate), _CMP_LT_OQ);
    return _mm256_blendv_ps(m, _mm256_sub_ps(m, p), in);
  }
};

template <class T>
void poly_erf_avx2(size_t n, const float* x, float* y) {
  families::loop_avx2(n, x, y, PolyErfAvx2<T>());
}
#endif  // __AVX2__ && __FMA__

}  // namespace
}  // namespace gelubench::poly
