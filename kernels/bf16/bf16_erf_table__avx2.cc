// bf16 GELU by lookup, the bf16_erf_table__scalar table (correctly rounded
// for every input) read 16 (two 8-lane gathers) at a time: kernels/table16_gather.h.
// Flags relied on: -mavx2 (file suffix __avx2).
#include "kernels/kernel.h"
#include "kernels/table16_gather.h"

namespace gelubench {

void bf16_erf_table__avx2(size_t n, const uint16_t* x, uint16_t* y, const U16State* s) {
  table16::lookup_avx2(n, x, y, s->table);
}

}  // namespace gelubench
