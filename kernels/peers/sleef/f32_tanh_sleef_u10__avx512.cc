// Peer: SLEEF 3.x vector tanh, tanh-form GELU written as its users write it:
//   y = 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
// with tanh = Sleef_tanhf16_u10avx512f (the AVX-512F entry point of
// Sleef_tanhf16_u10, <= 1.0 ULP tanh), 16 lanes.
// Array loop, tail and formula: kernels/peers/vector_gelu.h.
// Flags relied on: -mavx512f (file suffix __avx512); plain IEEE float ops,
// separate mul/add in the order of f32_tanh_libm_tanhf__scalar (no contraction
// under -std=c++20).
#include <immintrin.h>
#include <sleef.h>

#include "kernels/kernel.h"
#include "kernels/peers/vector_gelu.h"

namespace gelubench {

void f32_tanh_sleef_u10__avx512(size_t n, const float* x, float* y) {
  map_avx512(n, x, y, [](__m512 v) { return gelu_tanh_form(v, [](__m512 a) { return Sleef_tanhf16_u10avx512f(a); }); });
}

}  // namespace gelubench
