// Peer: glibc libmvec (GLIBC_2.35+) vector tanhf, tanh-form GELU written as
// its users write it:
//   y = 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
// with tanh = _ZGVdN8v_tanhf (the x86-64 vector-function-ABI variant of tanhf that
// GCC calls when it auto-vectorizes tanhf under -ffast-math: glibc
// bits/math-vector.h).
// '_ZGVd' = AVX2 ABI variant, 8 lanes (glibc resolves it by IFUNC to its
// AVX2+FMA code on CPUs that have both); declared here by hand (glibc installs
// no C prototype for it), linked from libmvec (-lmvec).
// Tail (n % 8): _mm256_maskload_ps / _mm256_maskstore_ps (AVX), no access
// past n (masked-off lanes are not read or written).
// Flags relied on: -mavx2 -mfma (file suffix __avx2); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>

#include "kernels/kernel.h"

extern "C" __m256 _ZGVdN8v_tanhf(__m256);

namespace gelubench {

namespace {
inline __m256 gelu8(__m256 v) {
  const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
  const __m256 beta = _mm256_set1_ps(0.79788456080286535588f);  // sqrt(2/pi)
  const __m256 kappa = _mm256_set1_ps(0.044715f);
  const __m256 v3k = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(kappa, v), v), v);
  const __m256 u = _mm256_mul_ps(beta, _mm256_add_ps(v, v3k));
  const __m256 t = _ZGVdN8v_tanhf(u);
  return _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, t));
}
}  // namespace

void f32_tanh_libmvec__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, gelu8(_mm256_loadu_ps(x + i)));
  if (i < n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n - i)), lane);
    _mm256_maskstore_ps(y + i, m, gelu8(_mm256_maskload_ps(x + i, m)));
  }
}

}  // namespace gelubench
