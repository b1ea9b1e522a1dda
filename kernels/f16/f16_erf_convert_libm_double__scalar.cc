// f16 GELU through float: decode each binary16 in software (exact), run the
// f32 kernel f32_erf_libm_double__scalar (exact GELU in double, rounded once
// to float: <= 0.501 f32 ULP) on a stack block of floats, round back to
// binary16 in software (nearest-even, f16_convert.h). Two roundings (double
// -> float -> binary16) can misround only when the exact value lies within
// half a float ULP (2^-14 f16 ULP) of a binary16 midpoint: 3 of the 63488
// finite encodings, x = +-0x1.5fp-10 and x = +2^-24 (the float result is
// exactly the midpoint 2^-25; +0 instead of 2^-24). The exhaustive sweep
// measures it (registry line).
// Special values: NaN -> quiet NaN, +inf -> +inf, -inf -> -0 (the f32
// kernel's result), +-0 -> +-0, subnormal inputs and results exact IEEE.
// Flags relied on: none; the conversions are integer code (no MXCSR
// dependence), the f32 kernel assumes round to nearest.
#include "kernels/f16/f16_convert.h"
#include "kernels/kernel.h"
#include "kernels/narrow_blocks.h"

namespace gelubench {

void f32_erf_libm_double__scalar(size_t n, const float* x, float* y);

void f16_erf_convert_libm_double__scalar(size_t n, const uint16_t* x, uint16_t* y, const U16State*) {
  narrow::through_f32(n, x, y, f32_erf_libm_double__scalar, narrow::f16_to_f32,
                      [](float r, uint16_t) { return narrow::f32_to_f16(r); });
}

}  // namespace gelubench
