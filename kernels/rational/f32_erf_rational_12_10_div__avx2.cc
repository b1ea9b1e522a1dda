// GELU by XNNPACK's 12/10 rational form of erf, quotient by true division:
// kernels/rational/rational_erf_impl.h (method, range, specials).
#include "kernels/kernel.h"
#include "kernels/rational/rational_erf_impl.h"

namespace gelubench {

void f32_erf_rational_12_10_div__avx2(size_t n, const float* x, float* y) {
  rational::rational_erf_avx2<false>(n, x, y);
}

}  // namespace gelubench
