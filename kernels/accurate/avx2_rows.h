// Table lookup for the AVX2 kernels of kernels/accurate/: AVX2 has no
// two-register permute, and eight vgatherdps per vector of x cost more than
// the arithmetic. Instead each slot keeps its 8 per-slot values (centre,
// magic+k, c0..c5 or c0..c4 and a pad) in one 32-byte row: one aligned load
// per lane and an 8x8 transpose (24 shuffles) give all eight columns.
// Include only from __avx2.cc files (needs -mavx2).
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace gelubench::accurate {

struct alignas(32) Row8 {
  float v[8];
};

// rows[s].v[j] = cols[j][s] for the given column tables (unused columns 0).
template <int kCols>
struct RowTable {
  Row8 rows[32];
};

template <int kCols>
constexpr RowTable<kCols> make_rows(const float* const (&cols)[kCols]) {
  RowTable<kCols> t{};
  for (int s = 0; s < 32; ++s)
    for (int j = 0; j < kCols; ++j) t.rows[s].v[j] = cols[j][s];
  return t;
}

// out[j] = lane-wise rows[idx[lane]].v[j], j = 0..7 (idx in [0, 32)).
inline void lookup_rows(const Row8* rows, __m256i idx, __m256 out[8]) {
  alignas(32) int32_t i[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(i), idx);
  const __m256 r0 = _mm256_load_ps(rows[i[0]].v), r1 = _mm256_load_ps(rows[i[1]].v);
  const __m256 r2 = _mm256_load_ps(rows[i[2]].v), r3 = _mm256_load_ps(rows[i[3]].v);
  const __m256 r4 = _mm256_load_ps(rows[i[4]].v), r5 = _mm256_load_ps(rows[i[5]].v);
  const __m256 r6 = _mm256_load_ps(rows[i[6]].v), r7 = _mm256_load_ps(rows[i[7]].v);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
  out[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  out[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  out[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  out[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  out[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  out[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  out[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  out[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

}  // namespace gelubench::accurate
