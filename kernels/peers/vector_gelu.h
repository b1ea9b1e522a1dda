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

#include "kernels/simd_ops.h"

namespace gelubench {
namespace {

// One formula for both vector widths, over the ISA's ops (kernels/simd_ops.h).
template <class V, class Erf>
inline V gelu_erf_form(V v, Erf erf) {
  const auto o = simd::ops_for(v);
  const V e = erf(o.mul(v, o.set(0.70710678118654752440f)));
  return o.mul(o.mul(o.set(0.5f), v), o.add(o.set(1.0f), e));
}

template <class V, class Tanh>
inline V gelu_tanh_form(V v, Tanh tanh) {
  const auto o = simd::ops_for(v);
  const V v3k = o.mul(o.mul(o.mul(o.set(0.044715f), v), v), v);
  const V u = o.mul(o.set(0.79788456080286535588f), o.add(v, v3k));
  return o.mul(o.mul(o.set(0.5f), v), o.add(o.set(1.0f), tanh(u)));
}

#if defined(__AVX512F__)
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
