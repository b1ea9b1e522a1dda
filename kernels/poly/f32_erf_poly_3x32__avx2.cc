// GELU = max(-0, x) - G(|x|), G by piecewise polynomials: kernels/poly/poly_erf_impl.h
// (method, range, specials), table PolyErf3x32 from poly_erf_3x32.h.
#include "kernels/kernel.h"
#include "kernels/poly/poly_erf_3x32.h"
#include "kernels/poly/poly_erf_impl.h"

namespace gelubench {

void f32_erf_poly_3x32__avx2(size_t n, const float* x, float* y) {
  poly::poly_erf_avx2<poly::PolyErf3x32>(n, x, y);
}

}  // namespace gelubench
