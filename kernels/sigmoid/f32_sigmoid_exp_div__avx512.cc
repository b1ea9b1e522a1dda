// Sigmoid-form ("quick") GELU x*sigmoid(1.702x) as x*sigmoid(v) from 2^-|z|, quotient by true division:
// kernels/xsigmoid/xsigmoid_impl.h (method, range, specials).
#include "kernels/kernel.h"
#include "kernels/xsigmoid/xsigmoid_impl.h"

namespace gelubench {

void f32_sigmoid_exp_div__avx512(size_t n, const float* x, float* y) {
  xsigmoid::xsigmoid_avx512<xsigmoid::SigmoidArg, false>(n, x, y);
}

}  // namespace gelubench
