// Peer: glibc libmvec (GLIBC_2.35+) vector erff, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = _ZGVdN8v_erff
// (the x86-64 vector-function-ABI variant of erff that GCC calls when it
// auto-vectorizes erff under -ffast-math: glibc bits/math-vector.h).
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// '_ZGVd' = AVX2 ABI variant, 8 lanes (glibc resolves it by IFUNC to its
// AVX2+FMA code on CPUs that have both); declared here by hand (glibc installs
// no C prototype for it), linked from libmvec (-lmvec).
// Array loop, tail and formula: kernels/peers/vector_gelu.h.
// Flags relied on: -mavx2 -mfma (file suffix __avx2); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>

#include "kernels/kernel.h"
#include "kernels/peers/vector_gelu.h"

extern "C" __m256 _ZGVdN8v_erff(__m256);

namespace gelubench {

void f32_erf_libmvec__avx2(size_t n, const float* x, float* y) {
  map_avx2(n, x, y, [](__m256 v) { return gelu_erf_form(v, [](__m256 a) { return _ZGVdN8v_erff(a); }); });
}

}  // namespace gelubench
