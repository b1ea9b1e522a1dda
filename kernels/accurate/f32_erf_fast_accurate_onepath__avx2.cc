// Exact GELU, x*Phi(x), within 4 ULP of the exact value for every float
// input (exhaustive sweep), negative tail and subnormals included: the
// f32_erf_fast_accurate_onepath__avx512 algorithm (degree-4 tables fast_tables_d4.h
// from
//   tools/fit/gelu_accurate_fit.py --degree 4 --prefix kFast --out kernels/accurate/fast_tables_d4.h,
// no low part of 2^(-J/32), V = fma(m*T, eps, m*T); see that file for the
// error budget) on 8 lanes, with the AVX2 substitutes of
// f32_erf_accurate_onepath__avx2 (row loads and a transpose for the per-slot
// values, a gather for the exp table, two power-of-two multiplies for
// scalef; see that file): the same bits as the AVX-512 kernel.
// Flags relied on: -mavx2 -mfma (file suffix __avx2); round to nearest; no
// FTZ/DAZ. NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Tail (n % 8): copied through a stack buffer, no access past n.
#include <immintrin.h>

#include <cstring>

#include "kernels/accurate/avx2_rows.h"
#include "kernels/accurate/fast_tables_d4.h"
#include "kernels/kernel.h"
#include "kernels/pow2_scale.h"

namespace gelubench {

namespace {

namespace t = accurate;

struct ExpTable {
  alignas(64) float hi[32];
};
constexpr ExpTable scaled_exp_table() {  // 2^24 * 2^(1 - j/32), exact scaling
  ExpTable e{};
  for (int j = 0; j < 32; ++j) e.hi[j] = t::kFastExpHi[j] * 0x1p24f;
  return e;
}
constexpr ExpTable kExp = scaled_exp_table();

constexpr const float* kCols[7] = {t::kFastCentre, t::kFastMagicK, t::kFastC0, t::kFastC1,
                                   t::kFastC2,     t::kFastC3,     t::kFastC4};
constexpr t::RowTable<7> kRows = t::make_rows(kCols);

inline __m256 fetch(const float* table, __m256i idx) { return _mm256_i32gather_ps(table, idx, 4); }

inline __m256 gelu8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256i xi = _mm256_castps_si256(x);
  // Gaussian lanes: bits(x) >= bits(1.0) as unsigned (all but 0 <= x < 1).
  const __m256i gauss = _mm256_cmpgt_epi32(_mm256_xor_si256(xi, _mm256_set1_epi32(INT32_MIN)),
                                           _mm256_set1_epi32(static_cast<int32_t>(0xbf7fffffu)));
  const __m256 sign = _mm256_and_ps(x, _mm256_set1_ps(-0.0f));
  const __m256 tabs = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
  const __m256 tc = _mm256_min_ps(tabs, _mm256_set1_ps(15.0f));  // NaN -> 15; see the final step

  const __m256 u = _mm256_fmadd_ps(tc, _mm256_set1_ps(1.0f - 0x1p-23f), _mm256_set1_ps(2.0f));
  __m256i idx = _mm256_srli_epi32(_mm256_castps_si256(u), 20);
  idx = _mm256_add_epi32(idx, _mm256_and_si256(gauss, _mm256_set1_epi32(4)));
  idx = _mm256_and_si256(idx, _mm256_set1_epi32(31));
  __m256 col[8];  // centre, magic + k, c0 .. c4 of each lane's slot (col[7] unused)
  t::lookup_rows(kRows.rows, idx, col);
  const __m256 d = _mm256_sub_ps(tc, col[0]);

  const __m256 ht = _mm256_and_ps(_mm256_mul_ps(tc, _mm256_set1_ps(0.5f)), _mm256_castsi256_ps(gauss));
  const __m256 h = _mm256_mul_ps(ht, tc);
  const __m256 hl = _mm256_fmsub_ps(ht, tc, h);

  const __m256 mk = col[1];
  const __m256 kf = _mm256_fmadd_ps(h, _mm256_set1_ps(t::kFastL), mk);
  const __m256 kk = _mm256_sub_ps(kf, mk);
  const __m256 r1 = _mm256_fnmadd_ps(kk, _mm256_set1_ps(t::kFastChi), h);
  const __m256 r2 = _mm256_fnmadd_ps(kk, _mm256_set1_ps(t::kFastClo), hl);
  const __m256 r = _mm256_add_ps(r1, r2);
  __m256 q = _mm256_fmadd_ps(r, _mm256_set1_ps(t::kFastQ3), _mm256_set1_ps(t::kFastQ2));
  q = _mm256_fmsub_ps(r, q, one);
  q = _mm256_mul_ps(r, q);

  __m256 p = col[6];
  p = _mm256_fmadd_ps(p, d, col[5]);
  p = _mm256_fmadd_ps(p, d, col[4]);
  p = _mm256_fmadd_ps(p, d, col[3]);
  p = _mm256_fmadd_ps(p, d, col[2]);

  // J = K + k; j = J mod 32 indexes the exp table.
  const __m256i jj = _mm256_sub_epi32(_mm256_castps_si256(kf), _mm256_set1_epi32(0x4b400000));
  const __m256i j = _mm256_and_si256(jj, _mm256_set1_epi32(31));
  const __m256 thi = fetch(kExp.hi, j);

  const __m256 eps = _mm256_fmadd_ps(p, q, _mm256_add_ps(p, q));
  const __m256 mt = _mm256_mul_ps(_mm256_or_ps(_mm256_min_ps(tc, one), sign), thi);
  const __m256 vv = _mm256_fmadd_ps(mt, eps, mt);

  // v = vv * 2^e, e = floor(-J/32) - 24 = -24 - ceil(J/32).
  const __m256i c = _mm256_srai_epi32(_mm256_add_epi32(jj, _mm256_set1_epi32(31)), 5);
  const __m256i e = _mm256_sub_epi32(_mm256_set1_epi32(-24), c);
  const __m256 v = pow2_scale::scale(vv, e, _mm256_cmpgt_epi32(_mm256_set1_epi32(-148), e));

  // x >= 1 (or NaN): x - v.
  const __m256 big = _mm256_cmp_ps(x, one, _CMP_NLT_UQ);
  return _mm256_blendv_ps(v, _mm256_sub_ps(x, v), big);
}

}  // namespace

void f32_erf_fast_accurate_onepath__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, gelu8(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float buf[8] = {};
    std::memcpy(buf, x + i, (n - i) * sizeof(float));
    _mm256_store_ps(buf, gelu8(_mm256_load_ps(buf)));
    std::memcpy(y + i, buf, (n - i) * sizeof(float));
  }
}

}  // namespace gelubench
