// Tanh-form GELU 0.5x(1 + tanh(u)) as x*sigmoid(v) from 2^-|z|, quotient by vrcp14ps and a Newton step:
// kernels/xsigmoid/xsigmoid_impl.h (method, range, specials).
#include "kernels/kernel.h"
#include "kernels/xsigmoid/xsigmoid_impl.h"

namespace gelubench {

void f32_tanh_exp_nr__avx512(size_t n, const float* x, float* y) {
  xsigmoid::xsigmoid_avx512<xsigmoid::TanhArg, true>(n, x, y);
}

}  // namespace gelubench
