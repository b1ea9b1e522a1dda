// SSE2 is part of x86-64, so the baseline copy is 128-bit without extra flags.
#include <immintrin.h>

#include "kernels/copy/copy.h"

namespace gelubench {

void copy_f32__scalar(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm_storeu_ps(y + i, _mm_loadu_ps(x + i));
  for (; i < n; ++i) y[i] = x[i];
}

}  // namespace gelubench
