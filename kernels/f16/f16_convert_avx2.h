// The block loop of the AVX2 + F16C f16 convert-path kernels: widen 8
// binary16 per vcvtph2ps (ymm; exact for every encoding, subnormals
// included, NaN made quiet), run an f32 kernel in place on a 2 KiB stack
// block, narrow with vcvtps2ph (round to nearest-even from the immediate,
// not MXCSR; subnormal results and overflow to +-inf per IEEE).
// Any n; tail (n % 8) through an 8-element stack buffer, nothing touched
// past n; in place works because each block is read completely before any of
// it is written. Internal linkage: include from __avx2.cc files only.
#pragma once

#include <immintrin.h>

#include <cstring>

#include "kernels/f16/f16_convert.h"
#include "kernels/kernel.h"

namespace gelubench::narrow {
namespace {

constexpr int kF16Rne = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

inline void widen_f16_avx2(size_t m, const uint16_t* x, float* buf) {
  size_t i = 0;
  for (; i + 16 <= m; i += 16) {
    const __m256 a = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
    const __m256 b = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i + 8)));
    _mm256_store_ps(buf + i, a);
    _mm256_store_ps(buf + i + 8, b);
  }
  for (; i + 8 <= m; i += 8)
    _mm256_store_ps(buf + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i))));
  if (i < m) {  // buf has room: i + 8 <= kBlock
    alignas(16) uint16_t t[8] = {};
    std::memcpy(t, x + i, (m - i) * sizeof(uint16_t));
    _mm256_store_ps(buf + i, _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(t))));
  }
}

inline void narrow_f16_avx2(size_t m, const float* buf, uint16_t* y) {
  size_t i = 0;
  for (; i + 16 <= m; i += 16) {
    const __m128i a = _mm256_cvtps_ph(_mm256_load_ps(buf + i), kF16Rne);
    const __m128i b = _mm256_cvtps_ph(_mm256_load_ps(buf + i + 8), kF16Rne);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i + 8), b);
  }
  for (; i + 8 <= m; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), _mm256_cvtps_ph(_mm256_load_ps(buf + i), kF16Rne));
  if (i < m) {  // lanes past m hold widened zeros: defined, discarded
    alignas(16) uint16_t t[8];
    _mm_store_si128(reinterpret_cast<__m128i*>(t), _mm256_cvtps_ph(_mm256_load_ps(buf + i), kF16Rne));
    std::memcpy(y + i, t, (m - i) * sizeof(uint16_t));
  }
}

template <F32Kernel kF32>
inline void f16_convert_avx2(size_t n, const uint16_t* x, uint16_t* y) {
  alignas(32) float buf[kBlock];
  while (n > 0) {
    const size_t m = n < kBlock ? n : kBlock;
    widen_f16_avx2(m, x, buf);
    kF32(m, buf, buf);
    narrow_f16_avx2(m, buf, y);
    x += m, y += m, n -= m;
  }
}

}  // namespace
}  // namespace gelubench::narrow
