// The memory roof: a plain vectorized copy, run beside the GELU kernels in
// every throughput run. Not a GELU kernel, so not in registry.inc.
#pragma once

#include <cstddef>

namespace gelubench {

void copy_f32__scalar(size_t n, const float* x, float* y);  // SSE2 (x86-64 baseline)
void copy_f32__avx2(size_t n, const float* x, float* y);
void copy_f32__avx512(size_t n, const float* x, float* y);

}  // namespace gelubench
