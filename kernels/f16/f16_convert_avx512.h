// The block loop of the AVX-512 f16 convert-path kernels: widen 16 binary16
// per vcvtph2ps (zmm; exact for every encoding, subnormals included, NaN
// made quiet), run an f32 kernel in place on a 2 KiB stack block, narrow
// with vcvtps2ph (round to nearest-even from the immediate, not MXCSR;
// subnormal results and overflow to +-inf per IEEE).
// Any n; tail (n % 16) through masked 16-bit loads/stores, nothing touched
// past n; in place works because each block is read completely before any
// of it is written. Internal linkage: include from __avx512*.cc files only.
#pragma once

#include <immintrin.h>

#include "kernels/f16/f16_convert.h"
#include "kernels/kernel.h"

namespace gelubench::narrow {
namespace {

constexpr int kF16Rne512 = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

inline __mmask16 first16(size_t r) { return r >= 16 ? __mmask16(0xffff) : __mmask16((1u << r) - 1); }

inline void widen_f16_avx512(size_t m, const uint16_t* x, float* buf) {
  size_t i = 0;
  for (; i + 32 <= m; i += 32) {
    const __m512 a = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)));
    const __m512 b = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i + 16)));
    _mm512_store_ps(buf + i, a);
    _mm512_store_ps(buf + i + 16, b);
  }
  for (; i < m; i += 16) _mm512_store_ps(buf + i, _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(first16(m - i), x + i)));
}

inline void narrow_f16_avx512(size_t m, const float* buf, uint16_t* y) {
  size_t i = 0;
  for (; i + 32 <= m; i += 32) {
    const __m256i a = _mm512_cvtps_ph(_mm512_load_ps(buf + i), kF16Rne512);
    const __m256i b = _mm512_cvtps_ph(_mm512_load_ps(buf + i + 16), kF16Rne512);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), a);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i + 16), b);
  }
  for (; i < m; i += 16) {
    const __mmask16 k = first16(m - i);
    _mm256_mask_storeu_epi16(y + i, k, _mm512_cvtps_ph(_mm512_maskz_load_ps(k, buf + i), kF16Rne512));
  }
}

template <F32Kernel kF32>
inline void f16_convert_avx512(size_t n, const uint16_t* x, uint16_t* y) {
  alignas(64) float buf[kBlock];
  while (n > 0) {
    const size_t m = n < kBlock ? n : kBlock;
    widen_f16_avx512(m, x, buf);
    kF32(m, buf, buf);
    narrow_f16_avx512(m, buf, y);
    x += m, y += m, n -= m;
  }
}

}  // namespace
}  // namespace gelubench::narrow
