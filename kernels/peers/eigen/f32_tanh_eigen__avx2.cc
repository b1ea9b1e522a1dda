// Peer: Eigen 3.4 array expression, tanh-form GELU written as its users write it:
//   y = 0.5f * x * (1 + (sqrt(2/pi) * (x + 0.044715f * x * x * x)).tanh())
// on Map<const ArrayXf> / Map<ArrayXf>. .tanh() is vectorized (HasTanh under
// the default EIGEN_FAST_MATH=1) with generic_fast_tanh_float: a 13/6
// rational on x clamped to +-7.9988 with FMA (tanh exactly +-1 beyond), and
// tanh(x) = x for |x| < 4e-4.
// Eigen runs unaligned heads and n % packet tails through its scalar path.
// Flags relied on: -mavx2 -mfma (file suffix __avx2): Eigen picks Packet8f.
// __attribute__((flatten)) inlines all of Eigen's (non-ISA-specific, COMDAT)
// template code into this function, so the linker can never substitute the
// instantiation of the same expression compiled for another ISA file.
#include <Eigen/Core>

#include "kernels/kernel.h"

namespace gelubench {

__attribute__((flatten)) void f32_tanh_eigen__avx2(size_t n, const float* x, float* y) {
  if (n == 0) return;
  constexpr float kSqrt2OverPi = 0.79788456080286535588f;
  constexpr float kCubic = 0.044715f;
  const Eigen::Index len = static_cast<Eigen::Index>(n);
  Eigen::Map<const Eigen::ArrayXf> xv(x, len);
  Eigen::Map<Eigen::ArrayXf> yv(y, len);
  yv = 0.5f * xv * (1.0f + (kSqrt2OverPi * (xv + kCubic * xv * xv * xv)).tanh());
}

}  // namespace gelubench
