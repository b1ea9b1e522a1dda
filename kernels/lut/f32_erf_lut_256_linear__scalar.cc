// GELU = max(-0, x) - G(|x|), G from a table of GELU samples: kernels/lut/lut_erf_impl.h
// (method, table access, range, specials), table LutErf256Linear from lut_erf_256_linear.h.
#include "kernels/kernel.h"
#include "kernels/lut/lut_erf_256_linear.h"
#include "kernels/lut/lut_erf_impl.h"

namespace gelubench {

void f32_erf_lut_256_linear__scalar(size_t n, const float* x, float* y) {
  lut::lut_erf_scalar<lut::LutErf256Linear>(n, x, y);
}

}  // namespace gelubench
