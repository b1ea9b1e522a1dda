// Peer: SLEEF 3.x vector erf, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = Sleef_erff8_u10avx2
// (the AVX2+FMA entry point of Sleef_erff8_u10, <= 1.0 ULP erf), 8 lanes.
// Called directly rather than through the dispatching Sleef_erff8_u10 so the
// ISA measured is the one in the name.
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// Tail (n % 8): _mm256_maskload_ps / _mm256_maskstore_ps (AVX), no access
// past n (masked-off lanes are not read or written).
// Flags relied on: -mavx2 -mfma (file suffix __avx2); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>
#include <sleef.h>

#include "kernels/kernel.h"

namespace gelubench {

namespace {
inline __m256 gelu8(__m256 v) {
  const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
  const __m256 rsqrt2 = _mm256_set1_ps(0.70710678118654752440f);
  const __m256 e = Sleef_erff8_u10avx2(_mm256_mul_ps(v, rsqrt2));
  return _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e));
}
}  // namespace

void f32_erf_sleef_u10__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, gelu8(_mm256_loadu_ps(x + i)));
  if (i < n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n - i)), lane);
    _mm256_maskstore_ps(y + i, m, gelu8(_mm256_maskload_ps(x + i, m)));
  }
}

}  // namespace gelubench
