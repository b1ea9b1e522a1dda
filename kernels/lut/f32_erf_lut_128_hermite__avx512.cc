// GELU = max(-0, x) - G(|x|), G from a table of GELU samples: kernels/lut/lut_erf_impl.h
// (method, table access, range, specials), table LutErf128Hermite from lut_erf_128_hermite.h.
#include "kernels/kernel.h"
#include "kernels/lut/lut_erf_128_hermite.h"
#include "kernels/lut/lut_erf_impl.h"

namespace gelubench {

void f32_erf_lut_128_hermite__avx512(size_t n, const float* x, float* y) {
  lut::lut_erf_avx512<lut::LutErf128Hermite, 1>(n, x, y);
}

}  // namespace gelubench
