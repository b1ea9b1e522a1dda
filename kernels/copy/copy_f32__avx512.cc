#include <immintrin.h>

#include "kernels/copy/copy.h"
#include "kernels/prefetch.h"

namespace gelubench {

void copy_f32__avx512(size_t n, const float* x, float* y) {
  size_t i = 0;
  // The same input prefetch as the AVX-512 kernels, so that the roof is
  // the memory system's, not the hardware prefetcher's alone.
  for (; i + 16 <= n; i += 16) {
    prefetch_ahead(x + i);
    _mm512_storeu_ps(y + i, _mm512_loadu_ps(x + i));
  }
  if (i < n) {
    __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, _mm512_maskz_loadu_ps(m, x + i));
  }
}

}  // namespace gelubench
