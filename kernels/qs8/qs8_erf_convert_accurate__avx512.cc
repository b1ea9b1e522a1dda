// qs8 GELU by computing, AVX-512: a compute-path comparator for the lookup
// kernels. Dequantize 16 codes per step exactly as the harness's reference
// does (sign-extend, subtract the input zero point in int32, convert exactly,
// one float multiply by the input scale), run the f32 kernel
// f32_erf_accurate__avx512 (exact GELU within 1 f32 ULP) on a 2 KiB stack
// block, requantize: t = fma(g, 1/output_scale, output_zero_point) (one
// rounding), clamp |t| to 128 with vrangeps (keeps vcvtps2dq in range),
// vcvtps2dq (round to nearest-even under the default MXCSR), vpmovsdb
// (saturating: the clamp to [-128, 127]).
// The float roundings (f32 kernel, reciprocal, fma) move t by ~1e-5 output
// LSB at most, so the result differs from the prepared table only where the
// exact value is that close to a rounding midpoint, e.g. GELU(x) = x to
// float precision while x / output_scale is an odd multiple of 1/2; the
// sweep over all codes and quantization cases measures it (registry line).
// Flags relied on: -mavx512f -mavx512bw -mavx512dq (vrangeps), file suffix
// __avx512; MXCSR rounding mode round to nearest (the default).
// Tail (n % 16): masked loads/stores, nothing touched past n; in place works
// because each block is read completely before any of it is written.
// GCC 12 false positive on _mm512_undefined_* inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "kernels/kernel.h"

namespace gelubench {

void f32_erf_accurate__avx512(size_t n, const float* x, float* y);

namespace {

constexpr size_t kBlock = 512;

struct Quant {
  __m512i in_zp;
  __m512 in_scale, inv_out_scale, out_zp, limit;
};

inline __m512 dequant16(__m128i q, const Quant& p) {
  const __m512i d = _mm512_sub_epi32(_mm512_cvtepi8_epi32(q), p.in_zp);
  return _mm512_mul_ps(_mm512_cvtepi32_ps(d), p.in_scale);
}

inline __m128i requant16(__m512 g, const Quant& p) {
  __m512 t = _mm512_fmadd_ps(g, p.inv_out_scale, p.out_zp);
  t = _mm512_range_ps(t, p.limit, 0x2);  // min(|t|, 128) with the sign of t
  return _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(t));
}

}  // namespace

void qs8_erf_convert_accurate__avx512(size_t n, const int8_t* x, int8_t* y, const QS8State* s) {
  const QuantParams& qp = s->params;
  const Quant p{_mm512_set1_epi32(qp.input_zero_point), _mm512_set1_ps(qp.input_scale),
                _mm512_set1_ps(1.0f / qp.output_scale), _mm512_set1_ps(static_cast<float>(qp.output_zero_point)),
                _mm512_set1_ps(128.0f)};
  alignas(64) float buf[kBlock];
  while (n > 0) {
    const size_t m = n < kBlock ? n : kBlock;
    size_t i = 0;
    for (; i + 16 <= m; i += 16)
      _mm512_store_ps(buf + i, dequant16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)), p));
    const __mmask16 k = static_cast<__mmask16>((1u << (m - i)) - 1);
    if (i < m) _mm512_store_ps(buf + i, dequant16(_mm_maskz_loadu_epi8(k, x + i), p));
    f32_erf_accurate__avx512(m, buf, buf);
    for (i = 0; i + 16 <= m; i += 16)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), requant16(_mm512_load_ps(buf + i), p));
    if (i < m) _mm_mask_storeu_epi8(y + i, k, requant16(_mm512_maskz_load_ps(k, buf + i), p));
    x += m, y += m, n -= m;
  }
}

}  // namespace gelubench
