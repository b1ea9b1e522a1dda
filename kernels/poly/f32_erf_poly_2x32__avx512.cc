// GELU = max(-0, x) - G(|x|), G by piecewise polynomials: kernels/poly/poly_erf_impl.h
// (method, range, specials), table PolyErf2x32 from poly_erf_2x32.h.
#include "kernels/kernel.h"
#include "kernels/poly/poly_erf_2x32.h"
#include "kernels/poly/poly_erf_impl.h"

namespace gelubench {

void f32_erf_poly_2x32__avx512(size_t n, const float* x, float* y) {
  poly::poly_erf_avx512<poly::PolyErf2x32>(n, x, y);
}

}  // namespace gelubench
