// GELU = max(-0, x) - G(|x|), G by piecewise polynomials: kernels/poly/poly_erf_impl.h
// (method, range, specials), table PolyErf4x16 from poly_erf_4x16.h.
#include "kernels/kernel.h"
#include "kernels/poly/poly_erf_4x16.h"
#include "kernels/poly/poly_erf_impl.h"

namespace gelubench {

void f32_erf_poly_4__scalar(size_t n, const float* x, float* y) {
  poly::poly_erf_scalar<poly::PolyErf4x16>(n, x, y);
}

}  // namespace gelubench
