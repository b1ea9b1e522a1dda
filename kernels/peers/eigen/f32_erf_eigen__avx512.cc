// Peer: Eigen 3.4 array expression, GELU written as its users write it:
//   y = 0.5f * x * (1 + (x * M_SQRT1_2).erf())
// on Map<const ArrayXf> / Map<ArrayXf>. .erf() comes from
// <unsupported/Eigen/SpecialFunctions> and is vectorized (HasErf under the
// default EIGEN_FAST_MATH=1) with generic_fast_erf_float: a 13/8 rational on
// x clamped to [-4, 4], so erf is exactly +-1 beyond |x/sqrt(2)| = 4.
// The 1 + erf sum cancels for x < about -3; a comparator, left as is.
// Eigen runs unaligned heads and n % packet tails through its scalar path
// (the same rational, scalar).
// Flags relied on: -mavx512f -mavx512dq (file suffix __avx512): Eigen picks Packet16f.
// __attribute__((flatten)) inlines all of Eigen's (non-ISA-specific, COMDAT)
// template code into this function, so the linker can never substitute the
// instantiation of the same expression compiled for another ISA file.
// GCC 12 false positive inside Eigen's AVX-512 pmin/pmax (_mm512_undefined_ps
// self-initializes by design).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <cmath>
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "kernels/kernel.h"

namespace gelubench {

__attribute__((flatten)) void f32_erf_eigen__avx512(size_t n, const float* x, float* y) {
  if (n == 0) return;
  const Eigen::Index len = static_cast<Eigen::Index>(n);
  Eigen::Map<const Eigen::ArrayXf> xv(x, len);
  Eigen::Map<Eigen::ArrayXf> yv(y, len);
  yv = 0.5f * xv * (1.0f + (xv * static_cast<float>(M_SQRT1_2)).erf());
}

}  // namespace gelubench
