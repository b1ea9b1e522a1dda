// qs8 GELU by lookup: y = table[uint8_t(x)], the 256-entry table the harness
// prepares per quantization parameter set (QS8State: dequantize, exact GELU,
// round to nearest-even in output units, clamp to [-128, 127]). Exact by
// construction (0 LSB from the prepared code) for every input.
// Flags relied on: none.
#include "kernels/kernel.h"

namespace gelubench {

void qs8_erf_lut__scalar(size_t n, const int8_t* x, int8_t* y, const QS8State* s) {
  const int8_t* table = s->table;
  for (size_t i = 0; i < n; ++i) y[i] = table[static_cast<uint8_t>(x[i])];
}

}  // namespace gelubench
