// The onepath algorithm, Accurate variant: kernels/accurate/onepath_impl.h.
#include "kernels/accurate/onepath_impl.h"
#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_accurate_onepath__avx512(size_t n, const float* x, float* y) { accurate::onepath_avx512<accurate::Accurate>(n, x, y); }

}  // namespace gelubench
