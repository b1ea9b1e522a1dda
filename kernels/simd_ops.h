// The float operations the kernel families write their one body with, once
// per ISA: scalar (std::fma), AVX2 (__m256) and AVX-512 (__m512). A body
// templated over one of these does the same IEEE operations in the same
// order on every ISA, so its versions return the same bits.
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
};
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
};
#endif

}  // namespace
}  // namespace gelubench::simd
