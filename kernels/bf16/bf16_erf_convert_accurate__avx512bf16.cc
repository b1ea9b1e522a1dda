// bf16 GELU through float, AVX-512 BF16: widen 16 bf16 per zero-extend and
// shift (exact), run the body of f32_erf_accurate_onepath__avx512 (exact GELU
// within 1 f32 ULP everywhere, negative tail and subnormals included) in
// registers (kernels/accurate/onepath_impl.h), narrow 32 floats per vcvtne2ps2bf16 (round to
// nearest-even, NaN -> quiet NaN; it ignores MXCSR). The result is the
// correctly rounded bf16 unless the exact value lies within one float ULP
// (2^-16 bf16 ULP) of a bf16 midpoint; the exhaustive sweep over all 65536
// encodings finds no such input (registry line).
// vcvtne2ps2bf16 treats float subnormals as zero (DAZ, per its definition in
// the SDM, whatever MXCSR says). GELU gives float subnormals for |x| <
// 2^-125 and x ~ -14.4 .. -13.2, and bf16 has subnormals of its own there.
// A normal float never rounds to a bf16 zero (same exponent range), so a
// +-0 result (one vptestnmw) marks every lane that may need it: those lanes
// are rounded again in integer arithmetic (add 0x7fff plus the kept LSB:
// exact RNE, to a bf16 subnormal or to +-0 for true zeros) and blended in.
// The branch is skipped when a 32-element group has no zero result.
// The same slow path removes the one systematic double rounding: for |x| <
// 2^-24 the f32 kernel returns x/2 exactly (x^2/sqrt(2 pi) is under half a
// float ULP), x/2 is a bf16 midpoint for odd subnormal x, and exact GELU
// lies just above it; those lanes round ties toward +inf (bf16_convert.h).
// Special values: NaN -> quiet NaN, +inf -> +inf, -inf -> -0 (the f32
// kernel's result), +-0 -> +-0, bf16 subnormals in and out exact.
// Flags relied on: -mavx512f -mavx512bw -mavx512bf16 (file suffix
// __avx512bf16); the f32 kernel wants MXCSR
// default (no FTZ/DAZ).
// Tail (n % 32): masked 16-bit loads/stores, nothing touched past n; in
// place works because each group of 32 is read completely before it is
// written.
// GCC 12 false positive on _mm512_undefined_* inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "kernels/accurate/onepath_impl.h"
#include "kernels/bf16/bf16_convert.h"
#include "kernels/kernel.h"
#include "kernels/prefetch.h"

namespace gelubench {
namespace {

inline __m512 widen16(__m256i h) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16)); }

// Integer rounding of 16 non-NaN floats to bf16: nearest, ties to even, or
// ties toward +inf in the lanes of `up` (bias 0x8000 for positive values,
// 0x7fff for negative ones).
inline __m256i round16(__m512 v, __mmask16 up) {
  const __m512i b = _mm512_castps_si512(v);
  const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(b, 16), _mm512_set1_epi32(1));
  const __m512i positive = _mm512_srli_epi32(_mm512_andnot_si512(b, _mm512_set1_epi32(INT32_MIN)), 31);
  const __m512i bias = _mm512_mask_mov_epi32(lsb, up, positive);
  const __m512i r = _mm512_add_epi32(_mm512_add_epi32(b, _mm512_set1_epi32(0x7fff)), bias);
  return _mm512_cvtepi32_epi16(_mm512_srli_epi32(r, 16));
}

// 32 floats (a: elements 0-15, b: 16-31) to 32 bf16; x: the 32 inputs, read
// only on the slow path, under mask k.
inline __m512i narrow32(__m512 a, __m512 b, const uint16_t* x, __mmask32 k) {
  __m512i r = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(b, a));
  const __mmask32 zero = _mm512_testn_epi16_mask(r, _mm512_set1_epi16(0x7fff));  // +-0 results
  if (__builtin_expect(zero != 0, 0)) {
    const __m512i xmag = _mm512_and_si512(_mm512_maskz_loadu_epi16(k, x), _mm512_set1_epi16(0x7fff));
    const __mmask32 tiny = _mm512_cmplt_epu16_mask(xmag, _mm512_set1_epi16(narrow::kBf16TinyInput));
    const __m512i fixed = _mm512_inserti64x4(_mm512_castsi256_si512(round16(a, static_cast<__mmask16>(tiny))),
                                             round16(b, static_cast<__mmask16>(tiny >> 16)), 1);
    r = _mm512_mask_blend_epi16(zero, r, fixed);
  }
  return r;
}

}  // namespace

void bf16_erf_convert_accurate__avx512bf16(size_t n, const uint16_t* x, uint16_t* y, const U16State*) {
  const accurate::Onepath512<accurate::Accurate> gelu16;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    prefetch_ahead(x + i);
    const __m512 a = gelu16(widen16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i))));
    const __m512 b = gelu16(widen16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i + 16))));
    _mm512_storeu_si512(y + i, narrow32(a, b, x + i, ~__mmask32{0}));
  }
  if (i < n) {
    const size_t r = n - i;  // 1 .. 31
    const __mmask32 m = static_cast<__mmask32>((uint64_t{1} << r) - 1);
    const __m512 a = gelu16(widen16(_mm256_maskz_loadu_epi16(static_cast<__mmask16>(m), x + i)));
    const __m512 b = gelu16(widen16(_mm256_maskz_loadu_epi16(static_cast<__mmask16>(m >> 16), x + i + 16)));
    _mm512_mask_storeu_epi16(y + i, m, narrow32(a, b, x + i, m));
  }
}

}  // namespace gelubench
