// GELU = max(-0, x) - G(|x|), G from a table of GELU samples: kernels/lut/lut_erf_impl.h
// (method, table access, range, specials), table LutErf64Hermite from lut_erf_64_hermite.h.
#include "kernels/kernel.h"
#include "kernels/lut/lut_erf_64_hermite.h"
#include "kernels/lut/lut_erf_impl.h"

namespace gelubench {

void f32_erf_lut_64_hermite__avx512(size_t n, const float* x, float* y) {
  lut::lut_erf_avx512<lut::LutErf64Hermite, 0>(n, x, y);
}

}  // namespace gelubench
