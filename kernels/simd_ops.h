// The float operations the kernel families write their one body with, once
// per ISA: scalar (std::fma), AVX2 (__m256) and AVX-512 (__m512). A body
// templated over one of these does the same IEEE operations in the same
// order on every ISA, so its versions return the same bits.
// rcp_nr(d): 1/d from the ISA's reciprocal estimate (scalar rcpss and AVX2
// vrcpps: about 2^-11.5; AVX-512 vrcp14ps: 2^-14) and one Newton-Raphson
// step, r0 + r0 (1 - d r0). Callers refine the reciprocal and then multiply:
// refining a quotient instead (q0 + q0 e) would give inf*0 = NaN for
// x = +inf. The estimates differ between ISAs, so its results do too.
// ops_for(v): the Ops of v's vector type, for bodies templated on it.
// Internal linkage only: each ISA's .cc file gets its own copy.
#pragma once

#include <immintrin.h>

#include <cmath>

#include "kernels/simd_loop.h"

namespace gelubench::simd {
namespace {

struct ScalarOps {
  using V = float;
  float set(float v) const { return v; }
  float mul(float a, float b) const { return a * b; }
  float add(float a, float b) const { return a + b; }
  float sub(float a, float b) const { return a - b; }
  float fmadd(float a, float b, float c) const { return std::fma(a, b, c); }
  float fmsub(float a, float b, float c) const { return std::fma(a, b, -c); }
  float fnmadd(float a, float b, float c) const { return std::fma(-a, b, c); }
  float rcp_nr(float d) const {
    const float r0 = _mm_cvtss_f32(_mm_rcp_ss(_mm_set_ss(d)));
    return fmadd(r0, fnmadd(d, r0, 1.0f), r0);
  }
};


#if defined(__AVX512F__)
struct Ops512 {
  using V = __m512;
  GELU_FAMILIES_INLINE __m512 set(float v) const { return _mm512_set1_ps(v); }
  GELU_FAMILIES_INLINE __m512 mul(__m512 a, __m512 b) const { return _mm512_mul_ps(a, b); }
  GELU_FAMILIES_INLINE __m512 add(__m512 a, __m512 b) const { return _mm512_add_ps(a, b); }
  GELU_FAMILIES_INLINE __m512 sub(__m512 a, __m512 b) const { return _mm512_sub_ps(a, b); }
  GELU_FAMILIES_INLINE __m512 fmadd(__m512 a, __m512 b, __m512 c) const { return _mm512_fmadd_ps(a, b, c); }
  GELU_FAMILIES_INLINE __m512 fmsub(__m512 a, __m512 b, __m512 c) const { return _mm512_fmsub_ps(a, b, c); }
  GELU_FAMILIES_INLINE __m512 fnmadd(__m512 a, __m512 b, __m512 c) const { return _mm512_fnmadd_ps(a, b, c); }
  GELU_FAMILIES_INLINE __m512 rcp_nr(__m512 d) const {
    const __m512 r0 = _mm512_rcp14_ps(d);
    return fmadd(r0, fnmadd(d, r0, set(1.0f)), r0);
  }
};
inline Ops512 ops_for(__m512) { return {}; }
#endif

#if defined(__AVX2__) && defined(__FMA__)
struct Ops256 {
  using V = __m256;
  GELU_FAMILIES_INLINE __m256 set(float v) const { return _mm256_set1_ps(v); }
  GELU_FAMILIES_INLINE __m256 mul(__m256 a, __m256 b) const { return _mm256_mul_ps(a, b); }
  GELU_FAMILIES_INLINE __m256 add(__m256 a, __m256 b) const { return _mm256_add_ps(a, b); }
  GELU_FAMILIES_INLINE __m256 sub(__m256 a, __m256 b) const { return _mm256_sub_ps(a, b); }
  GELU_FAMILIES_INLINE __m256 fmadd(__m256 a, __m256 b, __m256 c) const { return _mm256_fmadd_ps(a, b, c); }
  GELU_FAMILIES_INLINE __m256 fmsub(__m256 a, __m256 b, __m256 c) const { return _mm256_fmsub_ps(a, b, c); }
  GELU_FAMILIES_INLINE __m256 fnmadd(__m256 a, __m256 b, __m256 c) const { return _mm256_fnmadd_ps(a, b, c); }
  GELU_FAMILIES_INLINE __m256 rcp_nr(__m256 d) const {
    const __m256 r0 = _mm256_rcp_ps(d);
    return fmadd(r0, fnmadd(d, r0, set(1.0f)), r0);
  }
};
inline Ops256 ops_for(__m256) { return {}; }
#endif

}  // namespace
}  // namespace gelubench::simd
