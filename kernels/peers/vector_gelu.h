// GELU around another library's vector erf or tanh, as that library's users
// write it, applied over an array with a masked tail (nothing read or
// written past n). Shared by the SLEEF and libmvec peers.
//
//   erf form:  0.5*x*(1 + erf(x/sqrt(2)))
//   tanh form: 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
//
// Plain IEEE float ops, separate mul/add (no contraction under -std=c++20).
// Everything here has internal linkage: each including file compiles it with
// its own ISA flags, and the linker must not merge an AVX-512 copy into an
// AVX2 kernel.
#pragma once

#include <immintrin.h>

#include <cstddef>

namespace gelubench {
namespace {

#if defined(__AVX512F__)
template <class Erf>
inline __m512 gelu_erf_form(__m512 v, Erf erf) {
  const __m512 e = erf(_mm512_mul_ps(v, _mm512_set1_ps(0.70710678118654752440f)));
  return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v), _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

template <class Tanh>
inline __m512 gelu_tanh_form(__m512 v, Tanh tanh) {
  const __m512 v3k = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.044715f), v), v), v);
  const __m512 u = _mm512_mul_ps(_mm512_set1_ps(0.79788456080286535588f), _mm512_add_ps(v, v3k));
  return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v), _mm512_add_ps(_mm512_set1_ps(1.0f), tanh(u)));
}

// y[i] = g(x[i]) 16 lanes at a time; the tail with masked load and store.
template <class G>
inline void map_avx512(size_t n, const float* x, float* y, G g) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, g(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, g(_mm512_maskz_loadu_ps(m, x + i)));
  }
}
#elif defined(__AVX2__)
template <class Erf>
inline __m256 gelu_erf_form(__m256 v, Erf erf) {
  const __m256 e = erf(_mm256_mul_ps(v, _mm256_set1_ps(0.70710678118654752440f)));
  return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), v), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

template <class Tanh>
inline __m256 gelu_tanh_form(__m256 v, Tanh tanh) {
  const __m256 v3k = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.044715f), v), v), v);
  const __m256 u = _mm256_mul_ps(_mm256_set1_ps(0.79788456080286535588f), _mm256_add_ps(v, v3k));
  return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), v), _mm256_add_ps(_mm256_set1_ps(1.0f), tanh(u)));
}

// y[i] = g(x[i]) 8 lanes at a time; the tail with AVX maskload/maskstore.
template <class G>
inline void map_avx2(size_t n, const float* x, float* y, G g) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, g(_mm256_loadu_ps(x + i)));
  if (i < n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n - i)), lane);
    _mm256_maskstore_ps(y + i, m, g(_mm256_maskload_ps(x + i, m)));
  }
}
#endif

}  // namespace
}  // namespace gelubench
