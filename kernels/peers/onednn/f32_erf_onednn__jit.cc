// Peer: oneDNN (libdnnl) eltwise algorithm eltwise_gelu_erf, f32,
// forward_inference on a 1-D tensor of n elements (dnnl::eltwise_forward).
// oneDNN computes 0.5*x*(1 + erf(x/sqrt(2))) with its own JIT erf (AVX-512:
// piecewise polynomials; AVX2/SSE4.1: Abramowitz-Stegun 7.1.26 with exp(-x^2)),
// saturating erf for large |x|. A comparator: its tail is not fixed here.
// Single-threaded on the caller's thread; see onednn_eltwise.h for caching,
// threading and thread safety.
// Flags relied on: none (oneDNN dispatches internally; --isa caps it through
// ONEDNN_MAX_CPU_ISA, set by the harness before first use).
#include "kernels/kernel.h"
#include "kernels/peers/onednn/onednn_eltwise.h"

namespace gelubench {

void f32_erf_onednn__jit(size_t n, const float* x, float* y) {
  peers::onednn_eltwise_f32<dnnl::algorithm::eltwise_gelu_erf>(n, x, y);
}

}  // namespace gelubench
