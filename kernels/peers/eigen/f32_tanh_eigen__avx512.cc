// Peer: Eigen's tanh-form GELU expression (kernels/peers/eigen/eigen_gelu.h).
#include "kernels/kernel.h"
#include "kernels/peers/eigen/eigen_gelu.h"

namespace gelubench {

__attribute__((flatten)) void f32_tanh_eigen__avx512(size_t n, const float* x, float* y) {
  eigen_peer::gelu_tanh(n, x, y);
}

}  // namespace gelubench
