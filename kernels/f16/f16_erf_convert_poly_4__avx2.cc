// f16 GELU through float, AVX2 + F16C, fast variant: vcvtph2ps / vcvtps2ph
// (nearest-even) around the f32 kernel f32_erf_poly_4__avx2 (piecewise
// degree-4 minimax, several times faster than f32_erf_accurate_onepath__avx2) on
// 2 KiB stack blocks (f16_convert_avx2.h).
// Accuracy is the wrapped kernel's: correctly rounded binary16 for all but a
// handful of encodings near binary16 midpoints, except the negative tail
// x < -5.3448, where the f32 kernel saturates to -0 while exact GELU is
// still a binary16 subnormal down to x ~ -5.9 (up to 4 f16 ULP there; see
// the registry line for the exhaustive figure). f16_erf_convert_accurate__avx2
// is the accurate one.
// Special values: the f32 kernel's (NaN -> NaN, +inf -> +inf, -inf -> -0,
// +-0 -> +-0); f16 subnormal inputs are exact floats.
// Flags relied on: -mavx2 -mfma -mf16c (file suffix __avx2); MXCSR default.
#include "kernels/f16/f16_convert_avx2.h"

namespace gelubench {

void f32_erf_poly_4__avx2(size_t n, const float* x, float* y);

void f16_erf_convert_poly_4__avx2(size_t n, const uint16_t* x, uint16_t* y, const U16State*) {
  narrow::f16_convert_avx2<f32_erf_poly_4__avx2>(n, x, y);
}

}  // namespace gelubench
