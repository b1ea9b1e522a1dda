// Peer: SLEEF 3.x vector erf, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = Sleef_erff16_u10avx512f
// (the AVX-512F entry point of Sleef_erff16_u10, <= 1.0 ULP erf), 16 lanes.
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// Tail (n % 16): masked load / masked store (AVX-512F), no access past n.
// Flags relied on: -mavx512f (file suffix __avx512); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>
#include <sleef.h>

#include "kernels/kernel.h"

namespace gelubench {

namespace {
inline __m512 gelu16(__m512 v) {
  const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f);
  const __m512 rsqrt2 = _mm512_set1_ps(0.70710678118654752440f);
  const __m512 e = Sleef_erff16_u10avx512f(_mm512_mul_ps(v, rsqrt2));
  return _mm512_mul_ps(_mm512_mul_ps(half, v), _mm512_add_ps(one, e));
}
}  // namespace

void f32_erf_sleef_u10__avx512(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, gelu16(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, gelu16(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

}  // namespace gelubench
