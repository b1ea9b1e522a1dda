// Peer: SLEEF 3.x vector erf, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = Sleef_erff16_u10avx512f
// (the AVX-512F entry point of Sleef_erff16_u10, <= 1.0 ULP erf), 16 lanes.
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// Array loop, tail and formula: kernels/peers/vector_gelu.h.
// Flags relied on: -mavx512f (file suffix __avx512); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>
#include <sleef.h>

#include "kernels/kernel.h"
#include "kernels/peers/vector_gelu.h"

namespace gelubench {

void f32_erf_sleef_u10__avx512(size_t n, const float* x, float* y) {
  map_avx512(n, x, y, [](__m512 v) { return gelu_erf_form(v, [](__m512 a) { return Sleef_erff16_u10avx512f(a); }); });
}

}  // namespace gelubench
