// bf16 GELU by lookup, the bf16_erf_table__scalar table (correctly rounded
// for every input) read 16 at a time: kernels/table16_gather.h.
// Flags relied on: -mavx512f -mavx512bw (file suffix __avx512).
// GCC 12 false positive on _mm512_undefined_* inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/kernel.h"
#include "kernels/table16_gather.h"

namespace gelubench {

void bf16_erf_table__avx512(size_t n, const uint16_t* x, uint16_t* y, const U16State* s) {
  table16::lookup_avx512(n, x, y, s->table);
}

}  // namespace gelubench
