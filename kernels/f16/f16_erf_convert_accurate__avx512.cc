// f16 GELU through float, AVX-512: vcvtph2ps / vcvtps2ph zmm (nearest-even)
// around the body of f32_erf_accurate_onepath__avx512 (exact GELU within 1 f32 ULP
// everywhere, negative tail and subnormals included), in registers: 16
// halves in, 16 out, no buffer (kernels/accurate/onepath_impl.h). The result is the correctly rounded
// binary16 unless the exact value lies within one float ULP (2^-13 f16 ULP)
// of a binary16 midpoint, where the two roundings (exact -> float ->
// binary16) can go the wrong way: 2 of the 63488 finite encodings, x =
// -0x1.5fp-10 and x = +2^-24 (the float result is exactly the midpoint
// 2^-25, exact GELU lies 2^-49 above it; +0 instead of 2^-24). The
// exhaustive sweep measures it (registry line).
// Special values: NaN -> quiet NaN, +inf -> +inf, -inf -> -0 (the f32
// kernel's result), +-0 -> +-0; f16 subnormal inputs are exact floats, f16
// subnormal results (x ~ -5.9 .. -5.4 and |x| < 2^-13) round correctly.
// Flags relied on: -mavx512f -mavx512bw (masked 16-bit tail), file suffix
// __avx512; MXCSR default (round to nearest, no FTZ/DAZ), as the f32 kernel
// wants.
// GCC 12 false positive on _mm512_undefined_* inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/accurate/onepath_impl.h"
#include "kernels/f16/f16_convert_avx512.h"
#include "kernels/prefetch.h"

namespace gelubench {

void f16_erf_convert_accurate__avx512(size_t n, const uint16_t* x, uint16_t* y, const U16State*) {
  using narrow::kF16Rne512;
  const accurate::Onepath512<accurate::Accurate> gelu16;
  size_t i = 0;
  // 32 halves (one 64-byte line) per iteration: two independent chains.
  for (; i + 32 <= n; i += 32) {
    prefetch_ahead(x + i);
    const __m512 a = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)));
    const __m512 b = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i + 16)));
    const __m256i ya = _mm512_cvtps_ph(gelu16(a), kF16Rne512);
    const __m256i yb = _mm512_cvtps_ph(gelu16(b), kF16Rne512);
    // Two 32-byte stores: joining the halves first (vinserti64x4) would
    // add a port-5 uop, the port the table permutes already saturate.
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), ya);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i + 16), yb);
  }
  for (; i + 16 <= n; i += 16) {
    const __m512 v = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), _mm512_cvtps_ph(gelu16(v), kF16Rne512));
  }
  if (i < n) {
    const __mmask16 m = narrow::first16(n - i);
    const __m512 v = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, x + i));
    _mm256_mask_storeu_epi16(y + i, m, _mm512_cvtps_ph(gelu16(v), kF16Rne512));
  }
}

}  // namespace gelubench
