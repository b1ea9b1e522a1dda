// Peer: glibc libmvec (GLIBC_2.35+) vector erff, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = _ZGVeN16v_erff
// (the x86-64 vector-function-ABI variant of erff that GCC calls when it
// auto-vectorizes erff under -ffast-math: glibc bits/math-vector.h).
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// '_ZGVe' = AVX-512 ABI variant, 16 lanes; declared here by hand (glibc
// installs no C prototype for it), linked from libmvec (-lmvec).
// Tail (n % 16): masked load / masked store (AVX-512F), no access past n.
// Flags relied on: -mavx512f (file suffix __avx512); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>

#include "kernels/kernel.h"

extern "C" __m512 _ZGVeN16v_erff(__m512);

namespace gelubench {

namespace {
inline __m512 gelu16(__m512 v) {
  const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f);
  const __m512 rsqrt2 = _mm512_set1_ps(0.70710678118654752440f);
  const __m512 e = _ZGVeN16v_erff(_mm512_mul_ps(v, rsqrt2));
  return _mm512_mul_ps(_mm512_mul_ps(half, v), _mm512_add_ps(one, e));
}
}  // namespace

void f32_erf_libmvec__avx512(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, gelu16(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, gelu16(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

}  // namespace gelubench
