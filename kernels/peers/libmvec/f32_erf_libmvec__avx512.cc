// Peer: glibc libmvec (GLIBC_2.35+) vector erff, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = _ZGVeN16v_erff
// (the x86-64 vector-function-ABI variant of erff that GCC calls when it
// auto-vectorizes erff under -ffast-math: glibc bits/math-vector.h).
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// '_ZGVe' = AVX-512 ABI variant, 16 lanes; declared here by hand (glibc
// installs no C prototype for it), linked from libmvec (-lmvec).
// Array loop, tail and formula: kernels/peers/vector_gelu.h.
// Flags relied on: -mavx512f (file suffix __avx512); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>

#include "kernels/kernel.h"
#include "kernels/peers/vector_gelu.h"

extern "C" __m512 _ZGVeN16v_erff(__m512);

namespace gelubench {

void f32_erf_libmvec__avx512(size_t n, const float* x, float* y) {
  map_avx512(n, x, y, [](__m512 v) { return gelu_erf_form(v, [](__m512 a) { return _ZGVeN16v_erff(a); }); });
}

}  // namespace gelubench
