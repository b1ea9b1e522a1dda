// Peer: Eigen's erf-form GELU expression (kernels/peers/eigen/eigen_gelu.h).
#include "kernels/kernel.h"
#include "kernels/peers/eigen/eigen_gelu.h"

namespace gelubench {

__attribute__((flatten)) void f32_erf_eigen__avx2(size_t n, const float* x, float* y) {
  eigen_peer::gelu_erf(n, x, y);
}

}  // namespace gelubench
