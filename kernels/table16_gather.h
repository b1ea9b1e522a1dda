// The narrow table kernels' vector body: y = table[x] for 16-bit encodings
// (f16, bf16: the table the harness prepares, U16State), with 32-bit
// gathers. A gather reads the aligned 4-byte word that holds entry x
// (word x / 2) and a variable shift keeps its half (the upper one for odd
// x): no read outside the 128 KiB table, whatever x is. Lookups are exact,
// so every ISA version gives the scalar kernel's bits
// (tests/isa_siblings_test.cc).
// Internal linkage: include from __avx2*.cc or __avx512*.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace gelubench::table16 {
namespace {

#if defined(__AVX512BW__)
// 16 encodings (zero-extended to 32 bits) -> their entries (low 16 bits).
inline __m512i lookup16(__m512i x, const uint16_t* table, __mmask16 live) {
  const __m512i word = _mm512_srli_epi32(x, 1);
  const __m512i got = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), live, word, table, 4);
  const __m512i shift = _mm512_slli_epi32(_mm512_and_si512(x, _mm512_set1_epi32(1)), 4);
  return _mm512_srlv_epi32(got, shift);  // vpmovdw below drops the upper half
}

inline void lookup_avx512(size_t n, const uint16_t* x, uint16_t* y, const uint16_t* table) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {  // two independent gathers in flight
    const __m512i a = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)));
    const __m512i b = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i + 16)));
    const __m512i ya = lookup16(a, table, 0xffff);
    const __m512i yb = lookup16(b, table, 0xffff);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), _mm512_cvtepi32_epi16(ya));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i + 16), _mm512_cvtepi32_epi16(yb));
  }
  for (; i < n; i += 16) {
    const __mmask16 live = n - i >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
    const __m512i a = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(live, x + i));
    _mm256_mask_storeu_epi16(y + i, live, _mm512_cvtepi32_epi16(lookup16(a, table, live)));
  }
}
#endif

#if defined(__AVX2__)
// 8 encodings (zero-extended to 32 bits) -> their entries (low 16 bits, the
// upper half cleared for the saturating pack).
inline __m256i lookup8(__m256i x, const uint16_t* table) {
  const __m256i word = _mm256_srli_epi32(x, 1);
  const __m256i got = _mm256_i32gather_epi32(reinterpret_cast<const int*>(table), word, 4);
  const __m256i shift = _mm256_slli_epi32(_mm256_and_si256(x, _mm256_set1_epi32(1)), 4);
  return _mm256_and_si256(_mm256_srlv_epi32(got, shift), _mm256_set1_epi32(0xffff));
}

inline void lookup_avx2(size_t n, const uint16_t* x, uint16_t* y, const uint16_t* table) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i a = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
    const __m256i b = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i + 8)));
    // packus works per 128-bit lane: a0-3 b0-3 a4-7 b4-7, put back in order.
    const __m256i packed = _mm256_packus_epi32(lookup8(a, table), lookup8(b, table));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), _mm256_permute4x64_epi64(packed, 0xd8));
  }
  for (; i < n; ++i) y[i] = table[x[i]];
}
#endif

}  // namespace
}  // namespace gelubench::table16
