// The kernels/rational algorithm (XNNPACK/Eigen form), once per ISA:
//
//   s = x*x,  h = x/2
//   P = Horner(kP, s),  Q = Horner(kQ, s)          (FMA; Q >= 1 on the interval)
//   r = P/Q   (kNewton = false: true division, correctly rounded)
//             (kNewton = true: reciprocal estimate + one Newton-Raphson step,
//              r0 = rcp(Q), r1 = r0 + r0*(1 - Q*r0), r = P*r1)
//   y = min(fma(s, r, h), max(-0, x))               if s < c^2
//   y = max(-0, x)                                   otherwise (x > c: x; x < -c: -0)
//
// The x/2 + (x/2)erf sum cancels for x < about -3: the family claims absolute
// error there, not relative. NaN lanes fail s < c^2 and get max(-0, NaN) =
// NaN (vmaxps returns its second operand on NaN), +-inf saturate. The min
// with max(-0, x) (GELU(x) <= max(-0, x) everywhere) keeps the sign of
// cancelled negative-tail results and turns fma(+0, r, -0) = +0 into -0.
// Coefficients: tools/fit/rational_fit.py (near-minimax, weight
// sqrt(x^2 + 0.01)), rational_erf_coeffs.h. Range: all floats. Flags relied
// on: the file suffix's ISA flags; round to nearest; no FTZ/DAZ assumptions.
// The div versions are bit-identical across scalar, AVX2 and AVX-512. The
// reciprocal estimates differ: AVX-512 uses vrcp14ps (2^-14), AVX2 and the
// scalar file vrcpps/rcpss (about 2^-11.5, SSE, part of x86-64): after one
// Newton step about 2^-28 and 2^-23 relative.
// Internal linkage only: each ISA's .cc file gets its own copy.
#pragma once

// GCC 12 false positive inside its own AVX-512 intrinsics (_mm512_undefined_ps
// passthrough operands): silenced for the kernel files including this header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <immintrin.h>

#include <cmath>
#include <cstddef>

#include "kernels/simd_loop.h"
#include "kernels/simd_ops.h"
#include "kernels/rational/rational_erf_coeffs.h"

namespace gelubench::rational {
namespace {

using C = RationalErf;

template <bool kNewton>
inline float rational_erf_scalar_one(float x) {
  const float s = x * x;
  const float m = -0.0f > x ? -0.0f : x;  // vmaxps(-0, x)
  if (!(s < C::kSaturateSq)) return m;
  const float h = 0.5f * x;
  float p = C::kP[5], q = C::kQ[5];
  for (int i = 4; i >= 0; --i) {
    p = std::fma(p, s, C::kP[i]);
    q = std::fma(q, s, C::kQ[i]);
  }
  const float r = kNewton ? p * simd::ScalarOps().rcp_nr(q) : p / q;
  const float v = std::fma(s, r, h);
  return v < m ? v : m;  // vminps(v, m)
}

template <bool kNewton>
void rational_erf_scalar(size_t n, const float* x, float* y) {
  families::loop_scalar(n, x, y, [](float v) { return rational_erf_scalar_one<kNewton>(v); });
}

#if defined(__AVX512F__)
// K vectors at a time, each step applied to all K before the next: one
// vector's chain (two degree-5 Horner chains, the quotient) is ~50 cycles,
// and interleaving lets K chains advance together. Same per-lane operations
// as K = 1 (the tail).
template <bool kNewton>
struct RationalErfAvx512 {
  template <int K>
  GELU_FAMILIES_INLINE void run(const __m512* x, __m512* y) const {
#define GELU_EACH _Pragma("GCC unroll 8") for (int k = 0; k < K; ++k)
    __m512 s[K], h[K], p[K], q[K], r[K];
    GELU_EACH s[k] = _mm512_mul_ps(x[k], x[k]);
    GELU_EACH h[k] = _mm512_mul_ps(x[k], _mm512_set1_ps(0.5f));
    GELU_EACH p[k] = _mm512_set1_ps(C::kP[5]);
    GELU_EACH q[k] = _mm512_set1_ps(C::kQ[5]);
#pragma GCC unroll 5
    for (int i = 4; i >= 0; --i) {
      GELU_EACH p[k] = _mm512_fmadd_ps(p[k], s[k], _mm512_set1_ps(C::kP[i]));
      GELU_EACH q[k] = _mm512_fmadd_ps(q[k], s[k], _mm512_set1_ps(C::kQ[i]));
    }
    if constexpr (kNewton) {
      GELU_EACH r[k] = _mm512_mul_ps(p[k], simd::Ops512().rcp_nr(q[k]));
    } else {
      GELU_EACH r[k] = _mm512_div_ps(p[k], q[k]);
    }
    // min(y, m): GELU(x) <= max(-0, x), so this only repairs the sign of a
    // cancelled negative-tail result (and gives -0, not +0, for x = -0).
    GELU_EACH {
      const __m512 m = _mm512_max_ps(_mm512_set1_ps(-0.0f), x[k]);
      const __mmask16 in = _mm512_cmp_ps_mask(s[k], _mm512_set1_ps(C::kSaturateSq), _CMP_LT_OQ);
      y[k] = _mm512_mask_min_ps(m, in, _mm512_fmadd_ps(s[k], r[k], h[k]), m);
    }
#undef GELU_EACH
  }
  GELU_FAMILIES_INLINE __m512 operator()(__m512 x) const {
    __m512 y;
    run<1>(&x, &y);
    return y;
  }
};

template <bool kNewton>
void rational_erf_avx512(size_t n, const float* x, float* y) {
  families::loop_avx512_batched<4>(n, x, y, RationalErfAvx512<kNewton>());
}
#endif  // __AVX512F__

#if defined(__AVX2__) && defined(__FMA__)
template <bool kNewton>
struct RationalErfAvx2 {
  GELU_FAMILIES_INLINE __m256 operator()(__m256 x) const {
    const __m256 s = _mm256_mul_ps(x, x);
    const __m256 h = _mm256_mul_ps(x, _mm256_set1_ps(0.5f));
    __m256 p = _mm256_set1_ps(C::kP[5]);
    __m256 q = _mm256_set1_ps(C::kQ[5]);
    for (int i = 4; i >= 0; --i) {
      p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(C::kP[i]));
      q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(C::kQ[i]));
    }
    const __m256 r = kNewton ? _mm256_mul_ps(p, simd::Ops256().rcp_nr(q)) : _mm256_div_ps(p, q);
    const __m256 m = _mm256_max_ps(_mm256_set1_ps(-0.0f), x);
    const __m256 in = _mm256_cmp_ps(s, _mm256_set1_ps(C::kSaturateSq), _CMP_LT_OQ);
    return _mm256_blendv_ps(m, _mm256_min_ps(_mm256_fmadd_ps(s, r, h), m), in);
  }
};

template <bool kNewton>
void rational_erf_avx2(size_t n, const float* x, float* y) {
  families::loop_avx2(n, x, y, RationalErfAvx2<kNewton>());
}
#endif  // __AVX2__ && __FMA__

}  // namespace
}  // namespace gelubench::rational
