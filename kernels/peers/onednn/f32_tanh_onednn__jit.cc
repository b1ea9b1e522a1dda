// Peer: oneDNN (libdnnl) eltwise algorithm eltwise_gelu_tanh, f32,
// forward_inference on a 1-D tensor of n elements (dnnl::eltwise_forward).
// oneDNN computes the tanh form 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
// with its own JIT tanh. A comparator: its tail is not fixed here.
// Single-threaded on the caller's thread; see onednn_eltwise.h for caching,
// threading and thread safety.
// Flags relied on: none (oneDNN dispatches internally; --isa caps it through
// ONEDNN_MAX_CPU_ISA, set by the harness before first use).
#include "kernels/kernel.h"
#include "kernels/peers/onednn/onednn_eltwise.h"

namespace gelubench {

void f32_tanh_onednn__jit(size_t n, const float* x, float* y) {
  peers::onednn_eltwise_f32<dnnl::algorithm::eltwise_gelu_tanh>(n, x, y);
}

}  // namespace gelubench
