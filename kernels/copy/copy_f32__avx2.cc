#include <immintrin.h>

#include "kernels/copy/copy.h"

namespace gelubench {

void copy_f32__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_loadu_ps(x + i));
  for (; i < n; ++i) y[i] = x[i];
}

}  // namespace gelubench
