// Peer: SLEEF 3.x vector erf, GELU written as its users write it:
//   y = 0.5*x*(1 + erf(x/sqrt(2)))   with erf = Sleef_erff8_u10avx2
// (the AVX2+FMA entry point of Sleef_erff8_u10, <= 1.0 ULP erf), 8 lanes.
// Called directly rather than through the dispatching Sleef_erff8_u10 so the
// ISA measured is the one in the name.
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// Array loop, tail and formula: kernels/peers/vector_gelu.h.
// Flags relied on: -mavx2 -mfma (file suffix __avx2); plain IEEE float ops,
// separate mul/add (no contraction under -std=c++20).
#include <immintrin.h>
#include <sleef.h>

#include "kernels/kernel.h"
#include "kernels/peers/vector_gelu.h"

namespace gelubench {

void f32_erf_sleef_u10__avx2(size_t n, const float* x, float* y) {
  map_avx2(n, x, y, [](__m256 v) { return gelu_erf_form(v, [](__m256 a) { return Sleef_erff8_u10avx2(a); }); });
}

}  // namespace gelubench
