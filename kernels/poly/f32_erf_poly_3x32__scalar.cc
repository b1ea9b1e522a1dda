// GELU = max(-0, x) - G(|x|), G by piecewise polynomials: kernels/poly/poly_erf_impl.h
// (method, range, specials), table PolyErf3x32 from poly_erf_3x32.h.
#include "kernels/kernel.h"
#include "kernels/poly/poly_erf_3x32.h"
#include "kernels/poly/poly_erf_impl.h"

namespace gelubench {

void f32_erf_poly_3x32__scalar(size_t n, const float* x, float* y) {
  poly::poly_erf_scalar<poly::PolyErf3x32>(n, x, y);
}

}  // namespace gelubench
