// z * 2^e rounded once to nearest-even, subnormal results included, with no
// floating-point instruction producing a subnormal or underflowing.
//
// Why: on a Sapphire Rapids-class Xeon (microbenchmark, 8 independent
// chains) a vmulps whose result is subnormal costs ~35 ns instead of 0.15-0.3
// ns (a microcode assist); vscalefps costs ~61 ns when its result is
// subnormal *or underflows to 0*; subnormal inputs cost nothing, nor does a
// multiply underflowing to 0. The exp-based kernels built GELU's tail that
// way and ran 10-25x slower on inputs in [-15, -11] than on [-10, 10]. AMD
// Zen 4 has no such penalty.
//
// How: a subnormal float is an integer count of 2^-149. Where |z| * 2^e is
// below 2^-126, add C = 2^(-126 - e) to |z|: the sum lies in [C, 2C), whose
// spacing C * 2^-23 is exactly 2^-149 after scaling, so the (normal) add
// rounds |z| * 2^e to the subnormal grid, nearest-even, once; bits(sum) -
// bits(C) is then the subnormal's encoding (2^23, the smallest normal, when
// it rounds up to it). Other lanes take the plain instruction. The bits are
// the plain instruction's everywhere. This costs ~12 instructions, so
// callers run it only for vectors with a lane in their tail, tested cheaply
// on x first (lanes outside the test whose results are still tiny, inputs
// themselves near the subnormal range, are right but pay the assist).
//
// Domain (all callers: the exp-based tails of kernels/accurate and
// kernels/xsigmoid): z finite (NaN and zero pass through correctly), e <= 0,
// and e >= -253 or |z| < 2^100 (then the result is 0 either way).
// Internal linkage: include from __avx2.cc / __avx512*.cc files only.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace gelubench::pow2_scale {
namespace {

#if defined(__AVX512F__)
// vscalefps(z, s): z * 2^floor(s), without the assist.
inline __m512 scalef_without_assist(__m512 z, __m512 s) {
  // Result below 2^-126 <=> getexp(z) + floor(s) < -126 <=> getexp(z) + s < -126
  // (the left side's integer part is exact; zero's getexp is -inf).
  const __mmask16 tiny = _mm512_cmp_ps_mask(_mm512_add_ps(_mm512_getexp_ps(z), s), _mm512_set1_ps(-126.0f), _CMP_LT_OQ);
  const __m512i e = _mm512_max_epi32(_mm512_cvt_roundps_epi32(s, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC),
                                     _mm512_set1_epi32(-253));
  const __m512i c = _mm512_slli_epi32(_mm512_sub_epi32(_mm512_set1_epi32(1), e), 23);  // 2^(-126 - e)
  const __m512 sum = _mm512_add_ps(_mm512_abs_ps(z), _mm512_castsi512_ps(c));
  const __m512i mag = _mm512_sub_epi32(_mm512_castps_si512(sum), c);
  // mag | (z & sign): imm 0xf8 = A | (B & C).
  const __m512i sub = _mm512_ternarylogic_epi32(mag, _mm512_castps_si512(z), _mm512_set1_epi32(INT32_MIN), 0xf8);
  return _mm512_mask_scalef_ps(_mm512_castsi512_ps(sub), static_cast<__mmask16>(~tiny), z, s);
}

// _mm512_mask_scalef_ps(src, k, z, s); lanes in k & maybe_tiny (the
// caller's cheap test of its tail) without the assist.
inline __m512 mask_scalef(__m512 src, __mmask16 k, __m512 z, __m512 s, __mmask16 maybe_tiny) {
  if (__builtin_expect((maybe_tiny & k) == 0, 1)) return _mm512_mask_scalef_ps(src, k, z, s);
  return _mm512_mask_mov_ps(src, k, scalef_without_assist(z, s));
}
#endif

#if defined(__AVX2__)
// z * 2^e for integer e in [-253, 0], as two exact power-of-two multiplies
// where the result is normal: 2^e = 2^e1 * 2^e2, e2 = max(e, -126).
// maybe_tiny (all-ones lanes): the caller's cheap test of its tail; when
// empty, the two multiplies alone.
inline __m256 scale(__m256 z, __m256i e, __m256i maybe_tiny) {
  const __m256i zi = _mm256_castps_si256(z);
  const __m256i sign = _mm256_set1_epi32(INT32_MIN);
  const auto normal = [&](__m256i en) {
    const __m256i e2 = _mm256_max_epi32(en, _mm256_set1_epi32(-126));
    const __m256i e1 = _mm256_sub_epi32(en, e2);  // in [-127, 0]: z * 2^e1 is exact here
    const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(e1, _mm256_set1_epi32(127)), 23));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(e2, _mm256_set1_epi32(127)), 23));
    return _mm256_mul_ps(_mm256_mul_ps(z, s1), s2);
  };
  if (__builtin_expect(_mm256_testz_si256(maybe_tiny, maybe_tiny), 1)) return normal(e);
  // biased exponent of z + e < 1 (zero: 0 + e < 1 as well).
  const __m256i be = _mm256_srli_epi32(_mm256_andnot_si256(sign, zi), 23);
  const __m256i tiny = _mm256_cmpgt_epi32(_mm256_set1_epi32(1), _mm256_add_epi32(be, e));
  const __m256i c = _mm256_slli_epi32(_mm256_sub_epi32(_mm256_set1_epi32(1), e), 23);  // 2^(-126 - e)
  const __m256 sum = _mm256_add_ps(_mm256_castsi256_ps(_mm256_andnot_si256(sign, zi)), _mm256_castsi256_ps(c));
  const __m256i sub = _mm256_or_si256(_mm256_sub_epi32(_mm256_castps_si256(sum), c), _mm256_and_si256(zi, sign));
  // Tiny lanes scale by 2^0 on the normal path, so no multiply there goes subnormal.
  const __m256 v = normal(_mm256_andnot_si256(tiny, e));
  return _mm256_blendv_ps(v, _mm256_castsi256_ps(sub), _mm256_castsi256_ps(tiny));
}
#endif

}  // namespace
}  // namespace gelubench::pow2_scale
