// Peer: SLEEF 3.x vector tanh, tanh-form GELU written as its users write it:
//   y = 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
// with tanh = Sleef_tanhf8_u10avx2 (the AVX2+FMA entry point of
// Sleef_tanhf8_u10, <= 1.0 ULP tanh), 8 lanes. Called directly rather than
// through the dispatching Sleef_tanhf8_u10 so the ISA measured is the one in
// the name.
// Array loop, tail and formula: kernels/peers/vector_gelu.h.
// Flags relied on: -mavx2 -mfma (file suffix __avx2); plain IEEE float ops,
// separate mul/add in the order of f32_tanh_libm_tanhf__scalar (no contraction
// under -std=c++20).
#include <immintrin.h>
#include <sleef.h>

#include "kernels/kernel.h"
#include "kernels/peers/vector_gelu.h"

namespace gelubench {

void f32_tanh_sleef_u10__avx2(size_t n, const float* x, float* y) {
  map_avx2(n, x, y, [](__m256 v) { return gelu_tanh_form(v, [](__m256 a) { return Sleef_tanhf8_u10avx2(a); }); });
}

}  // namespace gelubench
